"""Test helpers for the wallet backup and export tests."""

from __future__ import annotations

import uuid

from openler.core.jsonld import default_loader
from openler.core.proofs import sign
from openler.wallet import service
from openler.wallet.keys import ensure_wallet

OB3 = ["https://www.w3.org/ns/credentials/v2",
       "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def self_reported(session, config, user_id, clock, name="Volunteer first aider"):
    """A self-reported entry: an AchievementCredential signed by the learner's own key."""
    wallet = ensure_wallet(session, master=config.master, user_id=user_id, now=clock())
    pair = wallet.keypair()
    doc = {"@context": OB3, "id": f"urn:uuid:{uuid.uuid4()}",
           "type": ["VerifiableCredential", "AchievementCredential"], "name": name,
           "issuer": {"id": wallet.did, "type": ["Profile"], "name": "Ana Learner"},
           "validFrom": "2026-01-01T00:00:00Z",
           "credentialSubject": {"id": wallet.did, "type": ["AchievementSubject"],
                                 "achievement": {"id": f"urn:uuid:{uuid.uuid4()}",
                                                 "type": ["Achievement"], "name": name,
                                                 "description": "Red Cross volunteer.",
                                                 "criteria": {"narrative": "Two years."}}}}
    signed = sign(doc, keypair=pair, verification_method=pair.id, loader=default_loader(),
                  created=clock())
    return service.store(session, config=config, user_id=user_id, credential=signed,
                         source="self", now=clock(), state="kept")
