"""Privacy at rest for a whole wallet in use: a database reader learns nothing a learner keeps.

The learner holds a record from another issuer (pasted in, so this instance's issuer tables
never saw it), a self-reported entry with an evidence file, a named presentation shared with
an audience for a purpose, and a hidden skill. Then the raw database (the SQLite file and
its log, or every row of every table as PostgreSQL prints them) is searched for each piece
of text the learner entered or received, in clear, as hex and in base64url.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from sqlalchemy import inspect, text

from openler.wallet import importing, presentations, self_reported, service, sharing, skills_profile
from openler.wallet.formats import detect
from openler.wallet.self_reported_input import EvidenceFile, SelfReportedInput
from wallet_import_samples import OtherIssuer

EVIDENCE = b"%PDF-1.4\n% Certificado de agradecimiento del banco de alimentos\n%%EOF\n"
NEEDLES = {
    "imported achievement": "Submarine Cable Splicing",
    "imported skill": "Splice a subsea cable",
    "imported issuer": "Tidewater Marine Academy",
    "self-reported title": "Coordinadora de voluntarios nocturnos",
    "self-reported description": "Organised the night shift rota for forty volunteers",
    "self-reported organization": "Banco de Alimentos de Vigo",
    "self-reported skill": "Planificación de turnos",
    "evidence text": "Certificado de agradecimiento",
    "presentation name": "Application for the harbour engineer post",
    "share audience": "Quayside Recruitment Partners",
    "share purpose": "Shortlisting for vacancy QX-4471",
}


def _forms(needle: str) -> dict[str, bytes]:
    raw = needle.encode("utf-8")
    return {"clear": raw, "hex": raw.hex().encode(),
            "base64url": base64.urlsafe_b64encode(raw).rstrip(b"=")[:16]}


def _raw_database(session) -> bytes:
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        session.execute(text("PRAGMA wal_checkpoint(FULL)"))
        path = Path(bind.url.database)
        raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal"))
                       if p.exists())
        assert b"wallet_records" in raw  # the right file
        return raw
    parts = []
    for table in inspect(bind).get_table_names():
        parts.extend(session.scalars(text(f'SELECT t::text FROM "{table}" t')))
    return "\n".join(parts).encode("utf-8")


def test_a_wallet_in_use_leaves_nothing_readable_in_the_database(
        session, wallet_config, learner_id, clock):
    other = OtherIssuer(NEEDLES["imported issuer"])
    pasted = json.dumps(other.ldp(name=NEEDLES["imported achievement"],
                                  skill=NEEDLES["imported skill"],
                                  cid="urn:uuid:6a1d5c8e-2f7b-4e0a-9b3c-7d1e2f3a4b5c"))
    outcome = importing.import_candidates(session, config=wallet_config, user_id=learner_id,
                                          candidates=detect(pasted).candidates, now=clock())
    imported = outcome.records[0]
    service.accept(session, config=wallet_config, user_id=learner_id, record_id=imported.id,
                   now=clock())
    entry = self_reported.add(
        session, config=wallet_config, user_id=learner_id, learner_name="Ana Learner",
        now=clock(), data=SelfReportedInput(
            title=NEEDLES["self-reported title"], kind="volunteering",
            description=NEEDLES["self-reported description"] + ", every weekend.",
            organization=NEEDLES["self-reported organization"], start="2025-02-01",
            skills=NEEDLES["self-reported skill"],
            files=(EvidenceFile("gracias.pdf", EVIDENCE, "Carta"),)))
    shown = presentations.create(session, config=wallet_config, user_id=learner_id,
                                 name=NEEDLES["presentation name"],
                                 record_ids=[imported.id, entry.id], now=clock())
    sharing.create_share(session, config=wallet_config, user_id=learner_id,
                         presentation_id=shown.id, audience=NEEDLES["share audience"],
                         purpose=NEEDLES["share purpose"], expiry="30", now=clock())
    profile = skills_profile.profile(session, config=wallet_config, user_id=learner_id)
    hidden = next(e for e in profile.entries if e.name == NEEDLES["imported skill"])
    skills_profile.hide(session, config=wallet_config, user_id=learner_id, key=hidden.key,
                        now=clock())
    session.commit()

    # Everything is there for the learner ...
    kept = {r.summary.achievement_name for r in service.records(
        session, config=wallet_config, user_id=learner_id)}
    assert {NEEDLES["imported achievement"], NEEDLES["self-reported title"]} <= kept
    after = skills_profile.profile(session, config=wallet_config, user_id=learner_id,
                                   include_hidden=True)
    assert [e.name for e in after.hidden] == [NEEDLES["imported skill"]]

    # ... and nothing of it is in the database, in any of the usual encodings.
    raw = _raw_database(session)
    learner_email = session.scalar(text("SELECT email FROM users WHERE id = :i"),
                                   {"i": learner_id})
    assert learner_email.encode() in raw  # the search does see what is kept in clear
    for label, needle in NEEDLES.items():
        for form, value in _forms(needle).items():
            assert value not in raw, f"{label} found ({form}) in the raw database"
