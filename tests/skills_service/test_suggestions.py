"""Skill suggestions with rejections remembered per organization (issue 7, item 2)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from openler.issuer import catalog
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.skills_service import suggestions as service
from openler.skills_service.holder import LEXICAL_CONFIDENCE, EngineHolder
from openler.storage.tables_skills import SkillRejection
from openler.web.skill_suggestions import STRONG
from skill_engines import loading_holder, ready_holder, small_catalogue

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
TEXT = ("Learners operate a counterbalance forklift truck safely in a warehouse, "
        "load and unload pallets and keep the stock records.")


@pytest.fixture
def holder():
    return ready_holder()


@pytest.fixture
def orgs(accounts):
    return (accounts.org_owner("a@one.example", "One College")[1],
            accounts.org_owner("b@two.example", "Two College")[1])


@pytest.fixture
def config() -> IssuerConfig:
    return IssuerConfig(base=PublicBase.parse("https://badges.example.org"),
                        vault=KeyVault("skills-test-secret"))


def _achievement(db, config, org_id, name="Forklift Level 2"):
    return catalog.create_achievement(db, config=config, org_id=org_id, now=NOW,
                                      data=AchievementInput(name=name, description=TEXT,
                                                            criteria="Pass the practical test",
                                                            achievement_type="Certificate"))


def test_suggestions_carry_confidence_and_trigger_words(db, orgs, holder):
    found = service.suggest_for(db, org_id=orgs[0], text=TEXT, top=5, engine=holder)
    assert found.complete and len(found.items) == 5
    assert any("forklift" in s.label for s in found.items)
    confidences = [s.confidence for s in found.items]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 for c in confidences)
    forklift = next(s for s in found.items if "forklift" in s.label)
    assert "forklift" in forklift.triggers


def test_a_rejection_on_a_new_item_hides_the_skill_for_the_organization_only(db, orgs, holder):
    first = service.suggest_for(db, org_id=orgs[0], text=TEXT, top=5, engine=holder).items
    gone = first[0]
    service.reject(db, org_id=orgs[0], skill_uri=gone.uri, label=gone.label, now=NOW)
    again = service.suggest_for(db, org_id=orgs[0], text=TEXT, top=5, engine=holder).items
    assert gone.uri not in {s.uri for s in again} and len(again) == 5
    assert [s.uri for s in again[:4]] == [s.uri for s in first[1:5]]
    other = service.suggest_for(db, org_id=orgs[1], text=TEXT, top=5, engine=holder).items
    assert gone.uri in {s.uri for s in other}
    as_role = service.suggest_for(db, org_id=orgs[0], text=TEXT, top=5, engine=holder,
                                  context="role").items
    assert gone.uri in {s.uri for s in as_role}
    nobody = service.suggest_for(db, org_id=None, text=TEXT, top=5, engine=holder).items
    assert gone.uri in {s.uri for s in nobody}


def test_a_rejection_for_one_item_holds_for_it_and_two_items_make_it_org_wide(
        db, orgs, holder, config):
    a, b, c = (_achievement(db, config, orgs[0], n) for n in ("A", "B", "C"))
    uri = service.suggest_for(db, org_id=orgs[0], text=TEXT, top=1, engine=holder).items[0].uri

    def shown(item):
        found = service.suggest_for(db, org_id=orgs[0], text=TEXT, top=8, engine=holder,
                                    item_id=item.id)
        return uri in {s.uri for s in found.items}

    service.reject(db, org_id=orgs[0], skill_uri=uri, item_id=a.id, now=NOW)
    service.reject(db, org_id=orgs[0], skill_uri=uri, item_id=a.id, now=NOW)  # once only
    assert db.scalars(select(SkillRejection)).all().__len__() == 1
    assert (shown(a), shown(b), shown(c)) == (False, True, True)
    service.reject(db, org_id=orgs[0], skill_uri=uri, item_id=b.id, now=NOW)
    assert (shown(a), shown(b), shown(c)) == (False, False, False)
    assert uri in service.rejected_uris(db, org_id=orgs[0], context="achievement")
    rows = service.rejections(db, org_id=orgs[0], context="achievement")
    assert service.forget(db, org_id=orgs[1], rejection_id=rows[0].id) is False
    assert service.forget(db, org_id=orgs[0], rejection_id=rows[0].id) is True
    assert shown(c)


def test_unknown_context_is_refused(db, orgs):
    with pytest.raises(service.UnknownContext):
        service.rejected_uris(db, org_id=orgs[0], context="wallet")


def test_accept_writes_an_esco_alignment_and_a_version(db, orgs, holder, config):
    row = _achievement(db, config, orgs[0])
    skill = service.suggest_for(db, org_id=orgs[0], text=TEXT, top=1, engine=holder).items[0]
    service.accept(db, config=config, org_id=orgs[0], achievement_id=row.id, skill=skill,
                   now=NOW)
    service.accept(db, config=config, org_id=orgs[0], achievement_id=row.id, skill=skill,
                   now=NOW)  # accepting twice aligns once
    db.refresh(row)
    assert [(a.target_name, a.target_url, a.target_framework, a.target_type)
            for a in row.alignments] == [(skill.label, skill.uri, "ESCO", "ceasn:Competency")]
    document = catalog.version_document(db, org_id=orgs[0], achievement_id=row.id,
                                        number=row.current_version)
    assert document["alignment"][0]["targetUrl"] == skill.uri
    assert document["alignment"][0]["targetFramework"] == "ESCO"
    assert document["alignment"][0]["targetType"] == "ceasn:Competency"


def test_lexical_only_while_the_engine_is_not_ready(db, orgs):
    holder, gate = loading_holder()
    try:
        early = service.suggest_for(db, org_id=orgs[0], text=TEXT, top=5, engine=holder)
        assert not early.complete and early.loading
        assert early.items and all(s.triggers for s in early.items)
        assert all(s.confidence <= LEXICAL_CONFIDENCE < STRONG for s in early.items)
        assert any("forklift" in s.label for s in early.items)
    finally:
        gate.set()
    assert holder.wait(60)
    later = service.suggest_for(db, org_id=orgs[0], text=TEXT, top=5, engine=holder)
    assert later.complete and not later.loading and len(later.items) == 5


def test_a_failed_build_leaves_lexical_suggestions_without_a_promise(db, orgs):
    def broken():
        raise OSError("model files missing")

    holder = EngineHolder(skills=small_catalogue(), factory=broken)
    first = service.suggest_for(db, org_id=orgs[0], text=TEXT, top=3, engine=holder)
    assert first.items and not first.complete
    holder.wait(30)
    after = service.suggest_for(db, org_id=orgs[0], text=TEXT, top=3, engine=holder)
    assert holder.failed and after.items and not after.complete and not after.loading


def test_empty_and_huge_texts(db, orgs, holder):
    assert service.suggest_for(db, org_id=orgs[0], text="  ", top=5, engine=holder).items == ()
    huge = ("forklift pallets warehouse " * 20_000)
    found = service.suggest_for(db, org_id=orgs[0], text=huge, top=500, engine=holder)
    assert 0 < len(found.items) <= service.MAX_TOP


def test_alignment_fields_of_a_catalogue_skill():
    skill = next(s for s in small_catalogue() if s.uri)
    fields = service.alignment_fields(skill)
    assert fields == {"name": skill.label, "url": skill.uri, "framework": "ESCO", "code": "",
                      "type": "ceasn:Competency"}


def test_review_lists_every_rejection_with_who_what_and_where(db, orgs, holder, config,
                                                            accounts):
    from openler.storage.tables import User

    item = _achievement(db, config, orgs[0], "Forklift Level 3")
    owner = db.scalars(select(User).where(User.email == "a@one.example")).one()
    skills = service.suggest_for(db, org_id=orgs[0], text=TEXT, top=3, engine=holder).items
    service.reject(db, org_id=orgs[0], skill_uri=skills[0].uri, label=skills[0].label,
                   user_id=owner.id, now=NOW)
    service.reject(db, org_id=orgs[0], skill_uri=skills[1].uri, label=skills[1].label,
                   item_id=item.id, user_id=owner.id, now=NOW.replace(hour=10))
    service.reject(db, org_id=orgs[0], skill_uri="urn:x:unknown", context="role", now=NOW)
    service.reject(db, org_id=orgs[1], skill_uri=skills[2].uri, now=NOW)
    found = service.review(db, org_id=orgs[0], framework_of=lambda uri: "ESCO"
                           if uri.startswith("http://data.europa.eu/esco/") else "")
    assert [(r.skill_uri, r.context, r.item_name, r.rejected_by, r.framework) for r in found] == [
        (skills[1].uri, "achievement", "Forklift Level 3", owner.name, "ESCO"),
        ("urn:x:unknown", "role", "", "", ""),
        (skills[0].uri, "achievement", "", owner.name, "ESCO")]
    assert found[1].label == "urn:x:unknown"  # no label stored: the address is shown
    assert found[0].rejected_at == NOW.replace(hour=10)
    assert service.review(db, org_id=orgs[1])[0].framework == ""
