"""The verifier: an organization asks a learner's wallet for credentials and checks the answer.

Spec: OpenID for Verifiable Presentations 1.0. Modules: ``dcql`` (the query
language, section 6, shared with the wallet), ``requests`` (making a request
and its request object, section 5) and ``responses`` (the ``direct_post``
Response URI, sections 8 and 14.1). No web imports here.
"""
