"""Demo wallet for `openler serve --demo`: the demo learner already holds three records from
the demo college (claimed into the wallet, verified, kept) and one self-reported entry, so
a newcomer sees the wallet, the skills profile, pathways and sharing with something in them.

The skill frameworks (the O*NET demo subset and the bundled ESCO skills) are loaded here
too, and every catalog achievement gets its first public version, so a pathway can link
to the achievements that teach a missing skill.

Loading is idempotent: a learner whose wallet already holds records is left alone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.demo import load_demo_frameworks
from openler.issuer import awards, catalog
from openler.issuer.delivery import offers
from openler.storage import repositories as repo
from openler.storage.tables import Achievement
from openler.wallet import self_reported, service
from openler.wallet.self_reported_input import SelfReportedInput

DEMO_AWARDS = ("Certified Nursing Assistant Program", "Introduction to Python Programming",
               "Workplace Communication")
DEMO_ENTRY = SelfReportedInput(
    title="Weekend volunteer at the Riverside food bank",
    kind="volunteering",
    description="Sorted donations, stocked shelves and trained new volunteers on Saturdays.",
    organization="Riverside Food Bank",
    start="2025-03-01",
    skills="Teamwork, Training others",
)


def load_demo_wallet(db: Session, *, config: service.WalletConfig, learner_email: str,
                     issuer_name: str, now: datetime) -> None:
    """Give the demo learner claimed, kept records and a self-reported entry (once)."""
    load_demo_frameworks(db, now=now)
    learner = repo.get_user_by_email(db, email=learner_email)
    college = repo.organization_named(db, name=issuer_name)
    if learner is None or college is None:
        return
    for published in db.scalars(select(Achievement.id).where(
            Achievement.organization_id == college.id).order_by(Achievement.name)).all():
        catalog.current_version(db, config=config.issuer, org_id=college.id,
                                achievement_id=published, now=now)
    if service.records(db, config=config, user_id=learner.id):
        return
    for name in DEMO_AWARDS:
        achievement_id = db.scalar(select(Achievement.id).where(
            Achievement.organization_id == college.id, Achievement.name == name))
        if achievement_id is None:
            continue
        awarded = awards.award(db, config=config.issuer, org_id=college.id,
                               achievement_id=achievement_id, recipient_email=learner.email,
                               now=now, idempotency_key=f"demo-wallet-{achievement_id}")
        offer = offers.create_offer(db, org_id=college.id, award_id=awarded.id, now=now)
        record = service.receive_from_claim(db, config=config, user_id=learner.id,
                                            token=offer.token, now=now)
        service.accept(db, config=config, user_id=learner.id, record_id=record.id, now=now)
    self_reported.add(db, config=config, user_id=learner.id, data=DEMO_ENTRY,
                      learner_name=learner.name, now=now)
    db.flush()
