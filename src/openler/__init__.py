"""OpenLER: Learning and Employment Records as open, verifiable credentials."""

__version__ = "0.1.0"
