"""The learner wallet: records the learner keeps, encrypted at rest with their own key.

Modules: ``crypto`` (per-learner data keys wrapped by the master key, and the
threat model), ``keys`` (the learner's Ed25519 did:key), ``summary`` (what a
credential says), ``verification`` (checks on arrival and on view),
``service`` (use cases), ``models`` and ``errors``. No web imports here.
"""
