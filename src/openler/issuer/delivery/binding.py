"""A holder-bound copy of an award's credential for the wallet that proved its key.

Spec: W3C VC Data Model 2.0, section 4.4 (``credentialSubject.id`` names the
subject, here the holder's DID from the key proof); 1EdTech Open Badges 3.0,
section 8.1 (AchievementSubject with ``id``); OpenID4VCI 1.0, section 8
(the issued credential is bound to the key in the proof). The copy keeps the
award's achievement, results, evidence, validity and status entries, so a later
revocation or suspension of the award reaches it too; it gets its own id and
proof and is recorded next to the award's credential.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy.orm import Session

from openler.core.jsonld import default_loader
from openler.core.keys.multikey import KeyPair
from openler.core.proofs import sign
from openler.core.verify.checks import as_list
from openler.issuer import keys
from openler.issuer.models import CRYPTOSUITE_FOR
from openler.issuer.service import IssuerConfig
from openler.storage.tables_catalog import Award
from openler.storage.tables_issuer import IssuedCredential


def _bound_subject(subject: Any, holder_did: str) -> Any:
    if isinstance(subject, list):
        return [_bound_subject(subject[0], holder_did), *subject[1:]] if subject else subject
    return {**subject, "id": holder_did}


def bind_to_holder(db: Session, *, config: IssuerConfig, award: Award, holder_did: str,
                   now: datetime) -> dict[str, Any]:
    """Sign the award's credential again with the holder's DID as its subject id."""
    unsigned = {k: v for k, v in award.credential.items() if k != "proof"}
    unsigned["id"] = f"urn:uuid:{uuid.uuid4()}"
    unsigned["credentialSubject"] = _bound_subject(unsigned["credentialSubject"], holder_did)
    row = keys.active_key(db, vault=config.vault, org_id=award.organization_id, now=now,
                          algorithm=config.algorithm)
    signer = keys.signer_for(row, vault=config.vault, base=config.base)
    signed = sign(unsigned, keypair=cast(KeyPair, signer),
                  verification_method=signer.verification_method,
                  cryptosuite=CRYPTOSUITE_FOR[signer.algorithm],
                  created=now.replace(microsecond=0), loader=default_loader())
    if isinstance(award.credential.get("proof"), list):
        signed["proof"] = as_list(signed["proof"])  # OB 3.0 schema: proof is an array
    original = db.get(IssuedCredential, award.issued_credential_id)
    if original is not None:
        db.add(IssuedCredential(
            organization_id=award.organization_id, credential_id=unsigned["id"],
            subject_id=holder_did[:500], signing_key_id=row.id,
            revocation_list_id=original.revocation_list_id,
            revocation_index=original.revocation_index,
            suspension_list_id=original.suspension_list_id,
            suspension_index=original.suspension_index, issued_at=now))
        db.flush()
    return signed
