"""A skill reached through two frameworks is one row of the profile in a real Chromium:
O*NET's "Project Management" (from one college) and ESCO's "manage projects" (from
another) show as one skill with both records, and the row says in words which names were
joined, how alike they are and the threshold. English and Spanish, 360 and 1280 px,
axe-clean, no sideways page; hiding the row hides both and leaves no row behind."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from journeys import sign_in

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput, AlignmentInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.wallet import service
from openler.wallet.crypto import MasterKey

pytestmark = pytest.mark.browser

LIVE_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
SAID = {
    "en": re.compile(r"“manage projects” \(ESCO\) and “Project Management” \(O\*NET\) are taken "
                     r"as one skill: their meanings are (\d+)% alike, and 85% or more counts as "
                     r"the same\."),
    "es": re.compile(r"«manage projects» \(ESCO\) y «Project Management» \(O\*NET\) se toman "
                     r"como una sola habilidad: sus significados se parecen en un (\d+) %, y a "
                     r"partir del 85 % cuentan como la misma\."),
}
COURSES = (
    ("North College", "Team Leadership", AlignmentInput(
        target_name="Project Management", target_framework="O*NET", target_code="2.B.5.d",
        target_url="https://www.onetonline.org/find/descriptor/result/2.B.5.d")),
    ("South Institute", "Site Planning", AlignmentInput(
        target_name="manage projects", target_framework="ESCO",
        target_url="http://data.europa.eu/esco/skill/7111b95d-0ce3-441a-9d92-4c75d05c4388")),
)


@pytest.fixture
def two_frameworks(accounts, clean_db, base_url):
    """learner@example.org keeps one record from each of two colleges."""
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    issuer = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    wallet = service.WalletConfig(master=MasterKey(LIVE_SECRET), issuer=issuer)
    now = datetime.now(UTC)
    for n, (college, course_name, alignment) in enumerate(COURSES):
        _, org_id = accounts.org_owner(f"owner{n}@college.example", college)
        with storage_db.make_sessionmaker(clean_db)() as s:
            course = catalog.create_achievement(
                s, config=issuer, org_id=org_id, now=now,
                data=AchievementInput(name=course_name, description="A course.",
                                      criteria="Passed.", alignments=[alignment]))
            row = awards.award(s, config=issuer, org_id=org_id, achievement_id=course.id,
                               recipient_email="learner@example.org", now=now)
            token = offers.create_offer(s, org_id=org_id, award_id=row.id, now=now).token
            s.commit()
            record = service.receive_from_claim(s, config=wallet, user_id=learner_id,
                                                token=token, now=now)
            service.accept(s, config=wallet, user_id=learner_id, record_id=record.id, now=now)
            s.commit()


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["en", "es"])
def test_one_row_for_two_frameworks_says_why(new_page, a11y, web, two_frameworks, language,
                                             width):
    page = new_page(viewport={"width": width, "height": 900})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, "learner@example.org", web.password)
    page.goto("/wallet/skills")
    rows = page.locator("table.skills-table tbody tr")
    assert rows.count() == 1
    row = rows.nth(0).inner_text()
    assert "Team Leadership" in row and "Site Planning" in row
    said = SAID[language].search(" ".join(row.split()))
    assert said is not None, row
    assert 85 <= int(said.group(1)) < 100
    where = f"profile with a skill joined by meaning [{language}, {width}px]"
    a11y.accessible(page, where)
    a11y.no_horizontal_scroll(page, where)
    if width == 1280:  # hiding the one row hides both names: nothing is left to show
        page.locator("form[action='/wallet/skills/hide'] button").click()
        page.wait_for_url(re.compile(r"/wallet/skills$"))
        assert page.locator("table.skills-table tbody tr").count() == 0
        hidden = page.locator("#hidden-title + p + ul li")
        assert hidden.count() == 1 and ("2)" in hidden.inner_text())  # "Records: 2"
        a11y.accessible(page, f"profile with the joined skill hidden [{language}]")
