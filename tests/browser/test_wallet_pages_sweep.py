"""Every wallet page in a real Chromium at 360 px, in English and in Spanish: the list in each
grouping and a search with no result, records (pending, kept with evidence, self-reported,
older format, SD-JWT), the delete confirmation, import and import from a presentation, the
offer and request forms, self-reported new and edit, the skills profile with and without a
hidden skill, presentations (list, new, detail), shares (new, live, stopped), the print
forms, backup, export and restore, account deletion, the visitor's sign-up, and the
employer's view of a share link (live, stopped, expired, unknown). axe-core finds no
violations and nothing scrolls sideways on any of them; every problem is listed at once."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from journeys import sign_in

from disclosure_material import sd_jwt_record
from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput, AlignmentInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.wallet import presentations, self_reported, service, sharing
from openler.wallet.crypto import MasterKey
from openler.wallet.importing import ob2_report
from openler.wallet.self_reported_input import EvidenceFile, SelfReportedInput
from wallet_import_samples import OtherIssuer, ob2_assertion

pytestmark = pytest.mark.browser

LIVE_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
PDF = b"%PDF-1.4\n% assessor report\n%%EOF\n"
EVIDENCE = [
    {"id": "https://portfolio.example/ana/a-very-long-path/that/should/never/make/the/page"
           "/scroll/sideways/at/360/pixels/welds-2026-final-version.html",
     "type": ["Evidence"], "name": "Weld photos", "description": "Photos of the test piece.",
     "narrative": "Taken by the assessor on the day.", "genre": "Photograph",
     "audience": "Employers"},
    {"id": "data:application/pdf;base64," + base64.b64encode(PDF).decode(),
     "type": ["Evidence"], "name": "Assessor report.pdf", "description": "Signed report."},
]
WORDS = {"en": {"evidence": "Evidence", "added": "Added by Ana Learner"},
         "es": {"evidence": "Evidencia", "added": "Agregado por Ana Learner"}}


@pytest.fixture
def stocked(accounts, clean_db, base_url):
    """Ana's wallet with one of everything, two shares (live, stopped) and an expired one."""
    _, org_id = accounts.org_owner("owner@forklift.example", "Forklift Academy")
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    issuer = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    config = service.WalletConfig(master=MasterKey(LIVE_SECRET), issuer=issuer)
    now = datetime.now(UTC)
    other = OtherIssuer("Instituto Náutico del Puerto")
    ids: dict[str, str] = {}
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(
            s, config=issuer, org_id=org_id, now=now,
            data=AchievementInput(name="Forklift Safety", description="Operates forklifts.",
                                  criteria="Passed the practical test.", alignments=[
                AlignmentInput(target_name="Forklift driving",
                               target_url="https://skills.example.org/forklift",
                               target_framework="ESCO", target_code="S8.2"),
                AlignmentInput(target_name="Warehouse safety",
                               target_url="https://skills.example.org/safety")]))
        row = awards.award(s, config=issuer, org_id=org_id, achievement_id=course.id,
                           recipient_email="learner@example.org", now=now)
        token = offers.create_offer(s, org_id=org_id, award_id=row.id, now=now).token
        s.commit()
        claimed = service.receive_from_claim(s, config=config, user_id=learner_id, token=token,
                                             now=now)
        service.accept(s, config=config, user_id=learner_id, record_id=claimed.id, now=now)
        ids["claimed"] = claimed.id
        ids["evidence"] = service.store(
            s, config=config, user_id=learner_id, now=now, source="import", state="kept",
            credential=other.ldp(evidence=EVIDENCE, cid="urn:uuid:sweep-1")).id
        ids["pending"] = service.store(
            s, config=config, user_id=learner_id, now=now, source="import",
            credential=other.ldp(name="Hull Repair", cid="urn:uuid:sweep-2")).id
        assertion = ob2_assertion(evidence="https://old-badges.example/work/77")
        ids["ob2"] = service.store(
            s, config=config, user_id=learner_id, now=now, source="import", state="kept",
            credential=assertion, record_format="ob2", report=ob2_report(assertion, now=now)).id
        ids["sd"] = sd_jwt_record(s, config=config, user_id=learner_id, now=now).id
        entry = SelfReportedInput(
            title="Food bank volunteer", kind="volunteering",
            description="Sorted donations every Saturday.", organization="Madrid Food Bank",
            start="2025-01-10", end="2025-06-30", skills="Teamwork, Logistics",
            files=(EvidenceFile("thanks.pdf", PDF, "Letter of thanks"),), show_name=True)
        ids["self"] = self_reported.add(s, config=config, user_id=learner_id, data=entry,
                                        learner_name="Ana Learner", now=now).id
        made = presentations.create(s, config=config, user_id=learner_id, name="For Acme",
                                    record_ids=[ids["evidence"], ids["ob2"], ids["self"],
                                                ids["sd"]],
                                    now=now, disclose={ids["sd"]: ["grade"]})
        ids["presentation"] = made.id

        def share(at: datetime, expiry: str) -> sharing.Share:
            return sharing.create_share(s, config=config, user_id=learner_id,
                                        presentation_id=made.id, audience="Acme Hiring",
                                        purpose="Welder job", expiry=expiry, now=at)

        live, stopped = share(now, "30"), share(now, "never")
        sharing.stop_share(s, config=config, user_id=learner_id, share_id=stopped.id, now=now)
        expired = share(now - timedelta(days=10), "7")
        s.commit()
        ids.update(live=live.id, live_token=live.token, stopped=stopped.id,
                   stopped_token=stopped.token, expired_token=expired.token)
    return ids


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_wallet_page(new_page, a11y, web, stocked, language):
    problems: list[str] = []
    seen: list[str] = []

    def check(p, label: str, status: int | None = None, reply=None) -> None:
        name = f"{label} [{language}] {p.url}"
        seen.append(label)
        if status is not None and reply is not None and reply.status != status:
            problems.append(f"{name}: status {reply.status}, expected {status}")
        if p.locator("html").get_attribute("lang") != language:
            problems.append(f"{name}: lang is {p.locator('html').get_attribute('lang')}")
        for assertion in (a11y.accessible, a11y.no_horizontal_scroll):
            try:
                assertion(p, name)
            except AssertionError as exc:
                problems.append(str(exc))

    def visit(p, path: str, label: str, status: int = 200) -> None:
        check(p, label, status, p.goto(path))

    visitor = new_page(viewport={"width": 360, "height": 800})
    visitor.goto(f"/language/{language}?next=/")
    visit(visitor, "/wallet/sign-up", "learner sign-up (visitor)")

    page = new_page(viewport={"width": 360, "height": 800})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, "learner@example.org", web.password)
    ids = stocked

    for group in ("issuer", "type", "date"):
        visit(page, f"/wallet?group={group}", f"wallet list by {group}")
    visit(page, "/wallet?q=zzz-no-such-record", "search with no result")
    visit(page, f"/wallet/records/{ids['pending']}", "record, pending")
    visit(page, f"/wallet/records/{ids['claimed']}", "record, kept")
    visit(page, f"/wallet/records/{ids['evidence']}", "record, kept, with evidence")
    main = page.locator("main").inner_text()
    if WORDS[language]["evidence"] not in main or "Weld photos" not in main:
        problems.append(f"record with evidence [{language}]: the evidence is not shown")
    visit(page, f"/wallet/records/{ids['self']}", "record, self-reported")
    if WORDS[language]["added"] not in page.locator("main").inner_text():
        problems.append(f"self-reported record [{language}]: no 'Added by' line")
    visit(page, f"/wallet/records/{ids['ob2']}", "record, Open Badges 2.0 import")
    visit(page, f"/wallet/records/{ids['sd']}", "record, SD-JWT VC")
    visit(page, f"/wallet/records/{ids['claimed']}/delete", "delete confirmation")
    visit(page, "/wallet/import", "import")
    signed = page.request.get(f"/wallet/presentations/{ids['presentation']}/presentation.json")
    vp = json.loads(signed.text())
    page.fill("#field-text", json.dumps({k: vp[k] for k in ("@context", "type",
                                                             "verifiableCredential")}))
    page.locator("main form[action='/wallet/import'] button[type=submit]").click()
    page.wait_for_load_state()
    if "/wallet/import" not in page.url or page.locator("#field-pick").count() == 0:
        problems.append(f"import from a presentation [{language}]: no choice page ({page.url})")
    check(page, "import from a presentation")
    visit(page, "/wallet/offers/new", "offer, new")
    visit(page, "/wallet/requests/new", "request, new")
    visit(page, "/wallet/self-reported/new", "self-reported, new")
    visit(page, f"/wallet/self-reported/{ids['self']}/edit", "self-reported, edit")
    visit(page, "/wallet/skills", "skills profile")
    page.locator("form[action='/wallet/skills/hide'] button[type=submit]").first.click()
    page.wait_for_selector(".notice")
    check(page, "skills profile with a hidden skill")
    visit(page, "/wallet/presentations", "presentations")
    visit(page, "/wallet/presentations/new", "presentation, new")
    visit(page, f"/wallet/presentations/{ids['presentation']}", "presentation")
    visit(page, f"/wallet/presentations/{ids['presentation']}/share", "share, new")
    visit(page, f"/wallet/shares/{ids['live']}", "share, live")
    visit(page, f"/wallet/shares/{ids['stopped']}", "share, stopped")
    visit(page, f"/wallet/records/{ids['evidence']}/print", "print form, record")
    visit(page, f"/wallet/presentations/{ids['presentation']}/print", "print form, presentation")
    visit(page, "/wallet/backup", "backup")
    visit(page, "/wallet/export", "export")
    visit(page, "/wallet/restore", "restore")
    visit(page, "/account/delete", "account deletion")

    employer = new_page(viewport={"width": 360, "height": 800})
    employer.goto(f"/language/{language}?next=/")
    visit(employer, f"/s/{ids['live_token']}", "employer view, live")
    shown = employer.locator("main").inner_text()
    if "Weld photos" not in shown or "Food bank volunteer" not in shown:
        problems.append(f"employer view [{language}]: records or evidence missing")
    download = employer.locator("main a[href*='/evidence/']").first.get_attribute("href")
    if not re.search(r"/s/[A-Za-z0-9_-]+/evidence/\d+/\d+$", download or ""):
        problems.append(f"employer view [{language}]: no evidence download link")
    visit(employer, f"/s/{ids['stopped_token']}", "employer view, stopped", 410)
    visit(employer, f"/s/{ids['expired_token']}", "employer view, expired", 410)
    visit(employer, "/s/" + "A" * 43, "employer view, unknown link", 404)

    assert len(seen) == 36
    assert not problems, "\n\n".join(problems)
