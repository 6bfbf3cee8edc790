"""Shared material of the employer-side tests: a college whose two courses are aligned to
ESCO skills, awarded to a learner who keeps both records in their wallet."""

from __future__ import annotations

from dataclasses import dataclass

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput, AlignmentInput
from openler.issuer.delivery import offers
from openler.issuer.service import IssuerConfig
from openler.wallet import service
from openler.wallet.models import Skill

WELD = Skill(name="weld metal parts", framework="ESCO", code="S6.7.1",
             url="http://data.europa.eu/esco/skill/weld-metal")
FORKLIFT = Skill(name="operate forklift", framework="ESCO", code="S8.2.0",
                 url="http://data.europa.eu/esco/skill/forklift")
CPR = Skill(name="first aid", framework="ESCO", code="S3.1.2",
            url="http://data.europa.eu/esco/skill/first-aid")


@dataclass
class Kept:
    learner_id: str
    college: str
    weld_award: str
    forklift_award: str


def _course(session, config, college, name, skill, now):
    return catalog.create_achievement(
        session, config=config, org_id=college, now=now,
        data=AchievementInput(name=name, description=f"{name}.", criteria="Passed.",
                              alignments=[AlignmentInput(
                                  target_name=skill.name, target_url=skill.url,
                                  target_framework=skill.framework, target_code=skill.code)]))


def keep_two_records(session, *, accounts, issuer: IssuerConfig, wallet: service.WalletConfig,
                     now, email: str = "learner@example.org") -> Kept:
    """A college awards Welding and Forklift courses; the learner keeps both."""
    _, college = accounts.org_owner("owner@college.example", "Example College")
    learner_id = accounts.learner(email, "Ana Learner")
    ids = []
    for name, skill in (("Welding Basics", WELD), ("Forklift Safety", FORKLIFT)):
        course = _course(session, issuer, college, name, skill, now)
        row = awards.award(session, config=issuer, org_id=college, achievement_id=course.id,
                           recipient_email=email, now=now)
        new = offers.create_offer(session, org_id=college, award_id=row.id, now=now)
        record = service.receive_from_claim(session, config=wallet, user_id=learner_id,
                                            token=new.token, now=now)
        service.accept(session, config=wallet, user_id=learner_id, record_id=record.id,
                       now=now)
        ids.append(row.id)
    session.commit()
    return Kept(learner_id, college, ids[0], ids[1])
