"""The issuer role: organization signing keys, did:web identity, status lists, issuance."""
