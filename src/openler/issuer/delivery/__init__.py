"""Delivery of issued credentials to learners: claim offers, mail, OpenID4VCI."""
