"""Test material for selective disclosure: SD-JWT VC records issued by an outside
organization to a learner's wallet key, and a self-reported record, stored the one way in
(``service.store``). Import as ``from disclosure_material import ...``."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from openler.core.dids import did_key_from_public, did_key_vm_id
from openler.core.keys import generate_keypair
from openler.core.sdjwt import issue_sd_jwt_vc, public_jwk
from openler.wallet import service
from openler.wallet.keys import open_wallet
from openler.wallet.models import CheckReport, Record

CLAIMS: dict[str, Any] = {
    "name": "Forklift Operator Licence",
    "issuer_name": "Port Training Centre",
    "given_name": "Ana",
    "family_name": "Learner",
    "birthdate": "1994-03-05",
    "email": "ana.private@example.org",
    "grade": "Distinction",
}
DISCLOSABLE = ("given_name", "family_name", "birthdate", "email", "grade")
# Values only the learner knows unless she discloses them.
SECRET_VALUES = {"birthdate": "1994-03-05", "email": "ana.private@example.org",
                 "grade": "Distinction", "family_name": "Learner", "given_name": "Ana"}


class OutsideIssuer:
    """An organization on another host, named by a did:key (offline resolvable)."""

    def __init__(self) -> None:
        self.keypair = generate_keypair("Ed25519")
        self.did = did_key_from_public(self.keypair.public_key())
        self.vm = did_key_vm_id(self.keypair.public_key())


def sd_jwt_record(session: Session, *, config: service.WalletConfig, user_id: str,
                  now: datetime, issuer: OutsideIssuer | None = None, bound: bool = True,
                  claims: dict[str, Any] | None = None) -> Record:
    """Keep an SD-JWT VC in the learner's wallet, bound to the wallet's key when ``bound``."""
    service.wallet_did(session, config=config, user_id=user_id, now=now)
    wallet = open_wallet(session, master=config.master, user_id=user_id)
    assert wallet is not None
    issuer = issuer or OutsideIssuer()
    holder = public_jwk(wallet.keypair()) if bound else public_jwk(generate_keypair("Ed25519"))
    token = issue_sd_jwt_vc(claims or CLAIMS, disclosable=DISCLOSABLE, issuer_key=issuer.keypair,
                            issuer=issuer.did, vct="https://credentials.example/forklift",
                            kid=issuer.vm, holder_jwk=holder, issued_at=now)
    return service.store(session, config=config, user_id=user_id, credential=token,
                         record_format="dc+sd-jwt", source="import", state="kept", now=now)


def self_reported_record(session: Session, *, config: service.WalletConfig, user_id: str,
                         now: datetime, name: str = "Volunteer translator") -> Record:
    """A record the learner added herself (an unsigned description of her own learning)."""
    did = service.wallet_did(session, config=config, user_id=user_id, now=now)
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": {
            "id": did, "type": ["Profile"], "name": "Ana Learner"},
        "validFrom": "2026-01-01T00:00:00Z", "name": name,
        "credentialSubject": {"id": did, "type": ["AchievementSubject"], "achievement": {
            "id": f"urn:uuid:{uuid.uuid4()}", "type": ["Achievement"], "name": name,
            "description": "Two years, weekends.",
            "criteria": {"narrative": "Translated for the food bank."}}},
    }
    report = CheckReport("not_verified", (), now.replace(microsecond=0).isoformat())
    return service.store(session, config=config, user_id=user_id, credential=credential,
                         source="self", state="kept", now=now, report=report)
