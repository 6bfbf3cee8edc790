"""Pure standards core: JSON-LD, keys and DIDs, Data Integrity proofs, OB3/CLR
models, status lists, SD-JWT VC, presentations and verification.

Nothing here imports a web framework, an ORM or an HTTP client; every outside
dependency (document loader, DID fetcher, status-list fetcher, clock,
randomness) is passed in.
"""
