"""The audit log: every issuer action is recorded with who and when, entries are
append-only (database triggers refuse UPDATE and DELETE on SQLite and PostgreSQL),
filters work, and the CSV export has a header and formula-safe cells."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from openler.issuer import audit, awards, catalog, keys, lifecycle, tokens
from openler.issuer.catalog_input import AchievementInput
from openler.storage.tables import User
from openler.storage.tables_lifecycle import AuditEntry

COURSE = AchievementInput(name="Welding I", description="Welds.", criteria="Weld a joint.")


@pytest.fixture
def owner(session, org_id):
    return session.query(User).filter_by(email="owner@college.example").one()


def test_issuer_actions_are_recorded_with_actor(session, config, org_id, clock, owner):
    audit.set_actor(session, owner.id)
    row = catalog.create_achievement(session, config=config, org_id=org_id, data=COURSE,
                                     now=clock())
    catalog.update_achievement(session, config=config, org_id=org_id, achievement_id=row.id,
                               data=COURSE, now=clock())
    made = awards.award(session, config=config, org_id=org_id, achievement_id=row.id,
                        recipient_email="a@learner.example", now=clock())
    lifecycle.reissue(session, config=config, org_id=org_id, award_id=made.id,
                      recipient_name="Ana", now=clock())
    catalog.retire_achievement(session, org_id=org_id, achievement_id=row.id, now=clock())
    token, _secret = tokens.create_api_token(session, user=owner, org_id=org_id, name="LMS",
                                             now=clock())
    tokens.revoke_api_token(session, org_id=org_id, token_id=token.id, now=clock())
    keys.rotate_key(session, vault=config.vault, org_id=org_id, now=clock())
    found = audit.entries(session, org_id=org_id)
    assert {e.action for e in found} == {
        "achievement_created", "achievement_edited", "award_issued", "credential_reissued",
        "credential_revoked", "achievement_retired", "api_token_created", "api_token_revoked",
        "key_rotated"}
    assert {e.actor_label for e in found} == {"owner@college.example"}
    revoked = audit.entries(session, org_id=org_id, action="credential_revoked")
    assert [e.private_reason for e in revoked] == ["superseded"]


def test_filters_by_action_and_time(session, org_id, clock):
    start = clock()
    for n in range(3):
        audit.record(session, org_id=org_id, action="key_rotated", target_type="signing_key",
                     target_id=f"k{n}", now=start + timedelta(days=n))
    audit.record(session, org_id=org_id, action="api_token_created", target_type="api_token",
                 target_id="t", now=start)
    assert len(audit.entries(session, org_id=org_id)) == 4
    assert [e.target_id for e in audit.entries(session, org_id=org_id, action="key_rotated")] \
        == ["k2", "k1", "k0"]
    window = audit.entries(session, org_id=org_id, since=start + timedelta(days=1),
                           until=start + timedelta(days=2))
    assert [e.target_id for e in window] == ["k1"]
    assert audit.entries(session, org_id="0" * 32) == []
    with pytest.raises(ValueError):
        audit.record(session, org_id=org_id, action="deleted_everything", target_type="x",
                     target_id="y", now=start)


def test_database_refuses_update_and_delete(session, org_id, clock):
    entry = audit.record(session, org_id=org_id, action="key_rotated", target_type="signing_key",
                         target_id="k1", now=clock())
    session.commit()
    for statement in ("UPDATE audit_entries SET action = 'api_token_created' WHERE id = :id",
                      "DELETE FROM audit_entries WHERE id = :id"):
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(text(statement), {"id": entry.id})
        session.rollback()
    session.expire_all()
    assert session.get(AuditEntry, entry.id).action == "key_rotated"
    entry.action = "api_token_created"
    with pytest.raises(DBAPIError, match="append-only"):
        session.flush()
    session.rollback()


def test_audit_module_has_no_change_paths():
    public = [name for name in dir(audit) if not name.startswith("_")]
    assert not [n for n in public if any(w in n.lower() for w in ("update", "delete", "edit"))]


def _rows(body: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body)))


def test_csv_has_a_header_and_defuses_formulas(session, org_id, clock):
    for label in ("=HYPERLINK(\"https://evil.example\")", "+1+2", "-3", "@SUM(A1)", "\tTab",
                  "plain"):
        audit.record(session, org_id=org_id, action="achievement_created",
                     target_type="achievement", target_id="a", target_label=label, now=clock())
    rows = _rows(audit.to_csv(audit.entries(session, org_id=org_id)))
    assert tuple(rows[0]) == audit.CSV_HEADER
    labels = sorted(r[5] for r in rows[1:])
    assert labels == sorted(["'=HYPERLINK(\"https://evil.example\")", "'+1+2", "'-3",
                             "'@SUM(A1)", "'\tTab", "plain"])


@given(st.text(max_size=30))
def test_safe_cell_never_starts_a_formula(value):
    cell = audit.safe_cell(value)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (value, "'" + value)
