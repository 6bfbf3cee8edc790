"""Curation and endorsements through the database: featured skills come first and are kept
sealed in the preferences (like hidden ones, so a later record joining them stays featured);
"hide every self-reported skill" hides exactly the skills with only the learner's word behind
them, and "show all" undoes every hiding; a real, signed OB 3.0 EndorsementCredential from
another organization, kept in the wallet or embedded in the achievement, is verified and backs
the skills of what it endorses, and a tampered one never counts."""

from __future__ import annotations

import copy
import uuid

import pytest
from test_skills_profile import issue, self_reported

from openler.issuer import service as issuer_service
from openler.storage.tables_wallet import WalletPreference
from openler.wallet import preferences, service, skills_curation, skills_profile
from openler.wallet.errors import WalletNotFound
from openler.wallet.keys import open_wallet
from openler.wallet.models import CheckReport

OB3 = ["https://www.w3.org/ns/credentials/v2",
       "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
WELDING = "https://skills.example.org/welding"


def _entry(made, name):
    return next(e for e in (*made.entries, *made.hidden) if e.name == name)


@pytest.fixture
def kept(session, issuer_config, wallet_config, org_id, learner_id, clock):
    """A college record (welding, brazing), and the learner's own (welding, singing, poetry)."""
    college = issue(session, issuer_config, wallet_config, org_id, learner_id, clock,
                    "Welding Basics", [{"target_name": "Welding", "target_url": WELDING},
                                       {"target_name": "Brazing",
                                        "target_url": "https://skills.example.org/brazing"}])
    clock.advance(days=10)
    mine = self_reported(session, wallet_config, learner_id, clock, "Choir", [
        {"type": ["Alignment"], "targetName": "welding"},
        {"type": ["Alignment"], "targetName": "Singing"},
        {"type": ["Alignment"], "targetName": "Poetry"}])
    return {"college": college, "mine": mine}


def test_featured_first_and_sealed(session, wallet_config, learner_id, other_learner_id, clock,
                                   kept):
    made = skills_profile.profile(session, config=wallet_config, user_id=learner_id)
    assert [e.name for e in made.entries][0] == "Welding"
    poetry = _entry(made, "Poetry")
    featured = skills_curation.feature(session, config=wallet_config, user_id=learner_id,
                                       key=poetry.key, now=clock())
    session.commit()
    assert featured.featured
    again = skills_profile.profile(session, config=wallet_config, user_id=learner_id)
    assert [(e.name, e.featured) for e in again.entries][:2] == [("Poetry", True),
                                                                ("Welding", False)]
    wallet = open_wallet(session, master=wallet_config.master, user_id=learner_id)
    assert preferences.load(session, wallet=wallet)["featured_skills"] == ["name:poetry"]
    assert b"poetry" not in session.get(WalletPreference, wallet.id).ciphertext.lower()
    # hidden wins over featured, and showing it again keeps it featured
    skills_profile.hide(session, config=wallet_config, user_id=learner_id, key=poetry.key,
                        now=clock())
    hidden = skills_profile.profile(session, config=wallet_config, user_id=learner_id,
                                    include_hidden=True)
    assert "Poetry" not in [e.name for e in hidden.entries] and hidden.hidden[0].featured
    skills_profile.show(session, config=wallet_config, user_id=learner_id, key=poetry.key,
                        now=clock())
    skills_curation.feature(session, config=wallet_config, user_id=learner_id, key=poetry.key,
                            now=clock(), on=False)
    last = skills_profile.profile(session, config=wallet_config, user_id=learner_id)
    assert not any(e.featured for e in last.entries) and last.entries[0].name == "Welding"
    with pytest.raises(WalletNotFound):
        skills_curation.feature(session, config=wallet_config, user_id=other_learner_id,
                                key=poetry.key, now=clock())


def test_hide_every_self_reported_skill_then_undo(session, wallet_config, learner_id, clock,
                                                  kept):
    hidden = skills_curation.hide_self_reported(session, config=wallet_config,
                                                user_id=learner_id, now=clock())
    assert sorted(e.name for e in hidden) == ["Poetry", "Singing"]  # welding has a college
    made = skills_profile.profile(session, config=wallet_config, user_id=learner_id,
                                  include_hidden=True)
    assert [e.name for e in made.entries] == ["Welding", "Brazing"]
    assert sorted(e.name for e in made.hidden) == ["Poetry", "Singing"]
    assert skills_curation.hide_self_reported(session, config=wallet_config,
                                              user_id=learner_id, now=clock()) == ()
    assert skills_curation.show_all(session, config=wallet_config, user_id=learner_id,
                                    now=clock()) == 2
    back = skills_profile.profile(session, config=wallet_config, user_id=learner_id,
                                  include_hidden=True)
    assert len(back.entries) == 4 and back.hidden == ()
    assert skills_curation.show_all(session, config=wallet_config, user_id=learner_id,
                                    now=clock()) == 0


def _endorse(session, issuer_config, guild_id, clock, endorsed: str) -> dict:
    signed, _ = issuer_service.issue_credential(
        session, config=issuer_config, org_id=guild_id, now=clock(), credential={
            "@context": OB3, "id": f"urn:uuid:{uuid.uuid4()}",
            "type": ["VerifiableCredential", "EndorsementCredential"],
            "name": "Endorsement of the welding course",
            "credentialSubject": {"id": endorsed, "type": ["EndorsementSubject"],
                                  "endorsementComment": "Taught to industry standard."}})
    return signed


def test_signed_endorsements_kept_or_embedded(session, issuer_config, wallet_config, org_id,
                                              learner_id, accounts, clock):
    guild_id = accounts.org_owner("owner@guild.example", "Welders Guild")[1]
    course = issue(session, issuer_config, wallet_config, org_id, learner_id, clock,
                   "Welding Basics", [{"target_name": "Welding", "target_url": WELDING}])
    achievement_id = course.credential["credentialSubject"]["achievement"]["id"]
    # 1. kept as its own record, endorsing the achievement: verified on arrival
    endorsement = _endorse(session, issuer_config, guild_id, clock, achievement_id)
    stored = service.store(session, config=wallet_config, user_id=learner_id,
                           credential=endorsement, source="import", now=clock(), state="kept")
    session.commit()
    assert stored.arrival.outcome == "verified"
    welding = _entry(skills_profile.profile(session, config=wallet_config, user_id=learner_id,
                                            now=clock()), "Welding")
    assert [(e.strength, e.endorses) for e in welding.evidence] == [
        ("completion", ""), ("endorsement", "achievement")]
    assert welding.evidence[1].issuer_name == "Welders Guild"
    assert welding.evidence[1].endorsement_comment == "Taught to industry standard."
    # 2. embedded in the achievement of a credential the college signs: checked on the page
    inner = _endorse(session, issuer_config, guild_id, clock, "urn:uuid:brazing-course")
    tampered = copy.deepcopy(inner)
    tampered["credentialSubject"]["endorsementComment"] = "Changed after signing."
    tampered["id"] = f"urn:uuid:{uuid.uuid4()}"
    college, _ = issuer_service.issue_credential(
        session, config=issuer_config, org_id=org_id, now=clock(), credential={
            "@context": OB3, "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": "Brazing",
            "credentialSubject": {
                "id": service.wallet_did(session, config=wallet_config, user_id=learner_id,
                                         now=clock()),
                "type": ["AchievementSubject"],
                "achievement": {"id": "urn:uuid:brazing-course", "type": ["Achievement"],
                                "name": "Brazing", "description": "Brazing.",
                                "criteria": {"narrative": "Passed."},
                                "endorsement": [inner, tampered],
                                "alignment": [{"type": ["Alignment"], "targetName": "Brazing",
                                               "targetUrl": "https://skills.example.org/b"}]}}})
    record = service.store(session, config=wallet_config, user_id=learner_id,
                           credential=college, source="import", now=clock(), state="kept")
    session.commit()
    assert record.arrival.outcome == "verified"
    brazing = _entry(skills_profile.profile(session, config=wallet_config, user_id=learner_id,
                                            now=clock()), "Brazing")
    assert [(e.strength, e.embedded, e.endorsement_comment) for e in brazing.evidence] == [
        ("completion", False, ""), ("endorsement", True, "Taught to industry standard."),
        ("failed", True, "Changed after signing.")]
    assert brazing.verified_count == 2 and brazing.strength == "completion"


def test_an_unverified_self_reported_record_still_reads_as_self_reported(
        session, wallet_config, learner_id, clock):
    did = service.wallet_did(session, config=wallet_config, user_id=learner_id, now=clock())
    service.store(session, config=wallet_config, user_id=learner_id, credential={
        "@context": OB3, "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "Ana"},
        "credentialSubject": {"id": did, "type": ["AchievementSubject"], "achievement": {
            "type": ["Achievement"], "name": "Mine",
            "alignment": [{"type": ["Alignment"], "targetName": "Knitting"}]}}},
        source="self", now=clock(), state="kept",
        report=CheckReport("not_verified", (), clock().isoformat()))
    made = skills_profile.profile(session, config=wallet_config, user_id=learner_id)
    assert made.entries[0].strength == "self_reported"
    assert made.entries[0].last_on == clock().date().isoformat()  # no date: its arrival
