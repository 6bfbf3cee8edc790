"""CLR 2.0 learner record: bundles the learner's current awards, links courses to their
programme (isChildOf), and verifies with core/verify, embedded credentials included."""

from __future__ import annotations

import pytest

from openler.core.dids import MemoryFetcher
from openler.core.models import parse_clr_credential
from openler.core.verify import VerificationContext, verify_credential
from openler.issuer import awards, catalog, transcripts
from openler.issuer.catalog_input import AchievementInput, CatalogInputError
from openler.issuer.resolution import InstanceDidResolver, RemoteResolvers, status_list_fetcher


def _achievement(session, config, org_id, clock, name, kind, parent_id=""):
    return catalog.create_achievement(
        session, config=config, org_id=org_id, now=clock(),
        data=AchievementInput(name=name, description=f"{name}.", criteria="Complete it.",
                              achievement_type=kind, parent_id=parent_id))


def _ctx(session, config, now):
    fetcher = MemoryFetcher()
    return VerificationContext(
        resolver=InstanceDidResolver(session, config=config,
                                     remote=RemoteResolvers(fetcher, allow_private=False)),
        fetch_status_list=status_list_fetcher(session, config=config, fetcher=fetcher, now=now),
        now=now)


def test_learner_record_bundles_awards_with_associations(session, config, org_id, clock):
    programme = _achievement(session, config, org_id, clock, "Nursing Assistant", "LearningProgram")
    course = _achievement(session, config, org_id, clock, "Vital Signs", "Course", programme.id)
    other = _achievement(session, config, org_id, clock, "First Aid", "Course")
    made = [awards.award(session, config=config, org_id=org_id, achievement_id=a.id,
                         recipient_email="sam@learner.example", now=clock())
            for a in (programme, course, other)]
    awards.award(session, config=config, org_id=org_id, achievement_id=other.id,
                 recipient_email="ana@learner.example", now=clock())
    awards.set_award_status(session, org_id=org_id, award_id=made[2].id, action="revoke",
                            now=clock())
    doc = transcripts.learner_record(session, config=config, org_id=org_id,
                                     recipient_email="SAM@learner.example", now=clock())
    assert "ClrCredential" in doc["type"]
    clr = parse_clr_credential(doc)
    bundled = {c["id"] for c in clr.credential_subject.verifiable_credential}
    assert bundled == {made[0].credential_id, made[1].credential_id}  # revoked one left out
    assert clr.credential_subject.identifier[0].matches("sam@learner.example")
    (link,) = clr.credential_subject.association
    assert link.association_type == "isChildOf"
    assert link.source_id == made[1].credential["credentialSubject"]["achievement"]["id"]
    assert link.target_id == made[0].credential["credentialSubject"]["achievement"]["id"]
    result = verify_credential(doc, ctx=_ctx(session, config, clock()))
    assert result.verified, [(c.name, c.status, c.code) for c in result.checks]
    for inner in clr.credential_subject.verifiable_credential:
        assert verify_credential(inner, ctx=_ctx(session, config, clock())).verified


def test_tampered_record_does_not_verify(session, config, org_id, clock):
    course = _achievement(session, config, org_id, clock, "Vital Signs", "Course")
    awards.award(session, config=config, org_id=org_id, achievement_id=course.id,
                 recipient_did="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                 now=clock())
    doc = transcripts.learner_record(
        session, config=config, org_id=org_id, now=clock(),
        recipient_did="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
    assert doc["credentialSubject"]["id"].startswith("did:key:")
    tampered = {**doc, "name": "Something else"}
    assert not verify_credential(tampered, ctx=_ctx(session, config, clock())).verified


def test_no_awards_means_no_record(session, config, org_id, clock):
    with pytest.raises(CatalogInputError) as caught:
        transcripts.learner_record(session, config=config, org_id=org_id,
                                   recipient_email="nobody@learner.example", now=clock())
    assert caught.value.errors == {"recipient_email": "no_awards"}
