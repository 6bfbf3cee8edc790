"""Export: every record of the wallet in its own standard format, plus a CLR 2.0 bundle.

Spec: W3C VC Data Model 2.0 (VC JSON with a Data Integrity proof, ``.json``);
VC-JOSE-COSE (compact JWS, ``.jwt``); SD-JWT VC (compact with disclosures,
``.sd-jwt``); Open Badges 2.0 (assertion JSON, ``.json``); 1EdTech
Comprehensive Learner Record 2.0, section 8 (ClrCredential whose
``credentialSubject`` is a ClrSubject holding the AchievementCredentials in
``verifiableCredential``) signed with eddsa-rdfc-2022 (Data Integrity EdDSA
Cryptosuites v1.0, section 3.2).

The CLR is assembled by the learner: its issuer is the learner's own did:key
and it is signed with the learner's key, so it says "these are my records",
not "an institution vouches for this set". Each credential inside keeps its
own issuer's proof, which a verifier checks one by one. Only kept records in
Data Integrity form go into it (the other formats cannot be embedded as JSON
objects with their proofs). Unlike the backup, the export is not encrypted
and cannot be restored: it is for other wallets and verifiers.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import uuid
import zipfile
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from openler.core.jsonld import default_loader
from openler.core.models import ClrCredential, ClrSubject, Profile
from openler.core.proofs import sign
from openler.wallet import service
from openler.wallet.keys import open_wallet
from openler.wallet.models import (
    FORMAT_DATA_INTEGRITY,
    FORMAT_OB2,
    FORMAT_SD_JWT,
    FORMAT_VC_JOSE,
    Record,
)

EXTENSIONS = {FORMAT_DATA_INTEGRITY: ".json", FORMAT_VC_JOSE: ".jwt", FORMAT_SD_JWT: ".sd-jwt",
              FORMAT_OB2: ".json"}
CLR_FILE = "clr.json"
MANIFEST_FILE = "manifest.json"
_ACHIEVEMENT_TYPES = {"AchievementCredential", "OpenBadgeCredential"}


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.casefold()).strip("-")
    return slug[:40] or "record"


def file_name(position: int, record: Record) -> str:
    """Where a record goes in the ZIP: numbered, named after the achievement, by format."""
    extension = EXTENSIONS.get(record.format, ".json")
    prefix = "self-reported" if record.self_reported else "records"
    return f"{prefix}/{position:03d}-{_slug(record.summary.achievement_name)}{extension}"


def _content(record: Record) -> bytes:
    if isinstance(record.credential, str):
        return record.credential.encode("utf-8")
    return (json.dumps(record.credential, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _bundled(record: Record) -> bool:
    credential = record.credential
    if record.state != "kept" or record.format != FORMAT_DATA_INTEGRITY:
        return False
    if not isinstance(credential, dict) or "proof" not in credential:
        return False
    types = credential.get("type", [])
    return bool(_ACHIEVEMENT_TYPES & set(types if isinstance(types, list) else [types]))


def learner_clr(records: list[Record], *, keypair: Any, did: str, learner_name: str,
                now: datetime) -> dict[str, Any] | None:
    """A ClrCredential of the kept Data Integrity achievements, signed by the learner."""
    ordered = sorted(records, key=lambda r: (r.received_at, r.id))  # oldest first
    included = [r.credential for r in ordered if _bundled(r)]
    if not included:
        return None
    when = now.replace(microsecond=0)
    clr = ClrCredential(
        id=f"urn:uuid:{uuid.uuid4()}",
        name=f"Learner record assembled by {learner_name}".strip() if learner_name
        else "Learner record assembled by the learner",
        description=("Assembled by the learner from their OpenLER wallet and signed with the "
                     "learner's own key (did:key). Each credential inside keeps its issuer's "
                     "own proof; check each one."),
        issuer=Profile(id=did, name=learner_name or None),
        valid_from=when, awarded_date=when, partial=True,
        credential_subject=ClrSubject(id=did, verifiable_credential=tuple(included)))
    return sign(clr.to_json(), keypair=keypair, verification_method=keypair.id or "",
                created=when, loader=default_loader())


def build_zip(records: list[Record], *, clr: dict[str, Any] | None, did: str,
              now: datetime) -> bytes:
    """The ZIP file: each record in its own format, the CLR bundle and a manifest."""
    manifest: dict[str, Any] = {"kind": "openler-wallet-export", "exported_at": now.isoformat(),
                                "holder": did, "clr": CLR_FILE if clr else None, "files": []}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        ordered = sorted(records, key=lambda r: (r.received_at, r.id))
        for position, record in enumerate(ordered, start=1):
            name = file_name(position, record)
            archive.writestr(name, _content(record))
            manifest["files"].append({
                "file": name, "format": record.format, "source": record.source,
                "state": record.state, "achievement": record.summary.achievement_name,
                "issuer": record.summary.issuer_name or record.summary.issuer_id,
                "received_at": record.received_at.isoformat(),
                "arrival_check": record.arrival.outcome})
        if clr is not None:
            archive.writestr(CLR_FILE, json.dumps(clr, indent=2, ensure_ascii=False) + "\n")
        archive.writestr(MANIFEST_FILE, json.dumps(manifest, indent=2, ensure_ascii=False)
                         + "\n")
    return buffer.getvalue()


def export_zip(db: Session, *, config: service.WalletConfig, user_id: str, learner_name: str,
               now: datetime) -> bytes:
    """The learner's export file (a ZIP), with a learner-signed CLR of their achievements."""
    wallet = open_wallet(db, master=config.master, user_id=user_id)
    if wallet is None:  # nothing kept yet: an empty export, and no wallet made by a download
        return build_zip([], clr=None, did="", now=now)
    records = service.records(db, config=config, user_id=user_id)
    clr = learner_clr(records, keypair=wallet.keypair(), did=wallet.did,
                      learner_name=learner_name, now=now)
    return build_zip(records, clr=clr, did=wallet.did, now=now)
