"""Credit for prior learning in a real Chromium: the rules page (an error summary, then a
rule with a result condition), the check page (an error, then the advice on a pasted CLR
with each record's check one click away); axe-core 0 violations in English and Spanish at
360 px and 1280 px with no horizontal scrolling, and a keyboard-only run that adds a rule,
checks a record and removes the rule."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from journeys import sign_in

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "verifier"))
from report_material import Party  # noqa: E402

from openler.core.models import ClrCredential, ClrSubject, Profile  # noqa: E402
from openler.core.proofs import sign  # noqa: E402
from openler.issuer import catalog  # noqa: E402
from openler.issuer.catalog_input import AchievementInput  # noqa: E402
from openler.issuer.keys import KeyVault  # noqa: E402
from openler.issuer.models import PublicBase  # noqa: E402
from openler.issuer.service import IssuerConfig  # noqa: E402
from openler.storage import db as storage_db  # noqa: E402
from openler.verifier import credit  # noqa: E402

pytestmark = pytest.mark.browser

OWNER = "admissions@uni.example"
LEARNER = "did:example:learner-7f3a"


@pytest.fixture
def school(accounts, clean_db, clock) -> tuple[str, str]:
    org_id = accounts.org_owner(OWNER, "Example University", kind="school")[1]
    config = IssuerConfig(base=PublicBase.parse("http://localhost"), vault=KeyVault("x" * 32))
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(
            s, config=config, org_id=org_id, now=clock(),
            data=AchievementInput(name="English Composition", description="Writing.",
                                  criteria="Pass.", human_code="ENG-101",
                                  credits_available="3"))
        s.commit()
        return org_id, course.id


def _clr(issuer: Party) -> dict:
    from helpers import ob3_example

    creds = []
    for achievement_id, name, grade in (("urn:course:wr-1", "Writing I", "82"),
                                        ("urn:course:bio-1", "Biology", "90")):
        doc = ob3_example()
        doc.pop("credentialStatus")
        doc.pop("credentialSchema")
        doc["issuer"]["id"] = issuer.did
        subject = doc["credentialSubject"]
        subject.update(id=LEARNER, activityStartDate="2025-02-01T00:00:00Z",
                       activityEndDate="2025-05-30T00:00:00Z")
        subject["achievement"].update(id=achievement_id, name=name, resultDescription=[{
            "id": "urn:rd:grade", "type": ["ResultDescription"], "name": "Final grade",
            "resultType": "Percent"}])
        subject["result"] = [{"type": ["Result"], "resultDescription": "urn:rd:grade",
                              "value": grade}]
        creds.append(sign(doc, keypair=issuer.pair, verification_method=issuer.vm))
    clr = ClrCredential(id="urn:uuid:1b0e1d2c-0000-4000-8000-000000000003",
                        name="Transcript of Other College",
                        issuer=Profile(id=issuer.did, name="Other College"),
                        valid_from="2025-06-01T00:00:00Z",
                        credential_subject=ClrSubject(id=LEARNER,
                                                      verifiable_credential=tuple(creds))
                        ).to_json()
    return sign(clr, keypair=issuer.pair, verification_method=issuer.vm)


def _submit(page, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"form[action$='{form}'] button[type=submit]").first.click()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width", [360, 1280])
def test_credit_pages_are_accessible(new_page, a11y, web, school, language, width):
    org_id, course_id = school
    page = new_page(viewport={"width": width, "height": 900})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, OWNER, web.password)
    issuer = Party()

    def check(label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}, {width}px]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}, {width}px]")

    page.goto(f"/orgs/{org_id}/credit")
    assert page.locator("nav.employer-nav a[aria-current='page']").count() == 1
    check("credit rules, empty")
    _submit(page, "/credit/mappings")
    for field in ("course_id", "issuer_did", "achievement_id", "note"):
        assert page.locator(f"[data-error-summary] a[href='#field-{field}']").count() == 1
    check("credit rules with errors")
    page.select_option("#field-course_id", course_id)
    page.fill("#field-issuer_did", issuer.did)
    page.fill("#field-achievement_id", "urn:course:wr-1")
    page.fill("#field-note", "ENG-101, 3")
    page.locator("form[action$='/credit/mappings'] details summary").click()
    page.fill("#field-result_name", "Final grade")
    page.fill("#field-min_result", "70")
    _submit(page, "/credit/mappings")
    assert page.locator(".cr-items li").count() == 1
    check("credit rules with one rule")

    page.goto(f"/orgs/{org_id}/credit/check")
    check("credit check form")
    _give(page)
    assert page.locator("[data-error-summary] a[href='#field-text']").count() == 1
    check("credit check form with an error")
    page.fill("#field-text", json.dumps(_clr(issuer)))
    _give(page)
    assert page.locator(".cr-rule.cr-met").count() == 1
    assert page.locator("#unmatched-title").count() == 1
    assert "Biology" in page.locator("section[aria-labelledby='unmatched-title']").inner_text()
    page.locator("section[aria-labelledby='records-title'] details summary").first.click()
    check("credit advice")


def _give(page) -> None:
    with page.expect_navigation():
        page.locator("#give-form button[type=submit]").click()


def _tab_to(page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({json.dumps(selector)})"):
            return
    raise AssertionError(f"could not reach {selector} with the keyboard")


def test_keyboard_only_rule_check_and_remove(new_page, web, school):
    org_id, course_id = school
    issuer = Party()
    page = new_page()
    sign_in(page, OWNER, web.password)
    page.goto(f"/orgs/{org_id}/credit")
    _tab_to(page, "#field-course_id")
    page.keyboard.press("ArrowDown")  # the first course after "Choose a course"
    assert page.eval_on_selector("#field-course_id", "e => e.value") == course_id
    _tab_to(page, "#field-issuer_did")
    page.keyboard.insert_text(issuer.did)
    _tab_to(page, "#field-achievement_id")
    page.keyboard.insert_text("urn:course:wr-1")
    _tab_to(page, "#field-note")
    page.keyboard.insert_text("Counts as ENG-101")
    _tab_to(page, "form[action$='/credit/mappings'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Counts as ENG-101" in page.locator("main").inner_text()
    _tab_to(page, "main a[href$='/credit/check']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "#field-text")
    page.keyboard.insert_text(json.dumps(_clr(issuer)))
    _tab_to(page, "#give-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".cr-rule.cr-met").count() == 1
    _tab_to(page, "section[aria-labelledby='records-title'] details summary")
    page.keyboard.press("Enter")
    assert page.locator("section[aria-labelledby='records-title'] details").first \
        .get_attribute("open") is not None
    page.goto(f"/orgs/{org_id}/credit")
    _tab_to(page, "form[action*='/credit/mappings/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("form[action*='/remove']").count() == 0


@pytest.mark.parametrize("language", ["en", "es"])
def test_pick_a_share_from_the_inbox_at_360(new_page, a11y, web, school, accounts, clean_db,
                                             clock, base_url, language):
    from openler.issuer import awards
    from openler.issuer.delivery import offers
    from openler.wallet import org_shares, presentations, service, sharing
    from openler.wallet.crypto import MasterKey

    secret = "test-secret-key-not-for-production"  # the live server's secret (tests/conftest.py)
    org_id, course_id = school
    _, college = accounts.org_owner("registrar@college.example", "Example College")
    learner = accounts.learner("learner@example.org", "Ana Learner")
    config = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(secret))
    wallet = service.WalletConfig(master=MasterKey(secret), issuer=config)
    with storage_db.make_sessionmaker(clean_db)() as s:
        welding = catalog.create_achievement(
            s, config=config, org_id=college, now=clock(),
            data=AchievementInput(name="Welding Basics", description=".", criteria="Passed."))
        row = awards.award(s, config=config, org_id=college, achievement_id=welding.id,
                           recipient_email="learner@example.org", now=clock())
        token = offers.create_offer(s, org_id=college, award_id=row.id, now=clock()).token
        record = service.receive_from_claim(s, config=wallet, user_id=learner, token=token,
                                            now=clock())
        service.accept(s, config=wallet, user_id=learner, record_id=record.id, now=clock())
        pres = presentations.create(s, config=wallet, user_id=learner, name="For the uni",
                                    record_ids=[record.id], now=clock())
        share = sharing.create_share(s, config=wallet, user_id=learner, presentation_id=pres.id,
                                     audience="", purpose="Admission", expiry="30",
                                     now=clock(), audience_org_id=org_id,
                                     org_sealer=org_shares.OrgSealer(secret))
        credit.add_mapping(s, org_id=org_id, user_id=None, course_id=course_id,
                           kind="achievement", issuer_did=config.base.org_did(college),
                           achievement_id=row.credential["credentialSubject"]["achievement"]
                           ["id"], note="Welding counts", now=clock())
        s.commit()
    page = new_page(viewport={"width": 360, "height": 900})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, OWNER, web.password)

    def check(label: str) -> None:
        a11y.accessible(page, f"{label} [{language}, 360px]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}, 360px]")

    page.goto(f"/orgs/{org_id}/credit/check")
    with page.expect_navigation():
        page.locator("#pick-form button[type=submit]").click()
    assert page.locator("[data-error-summary] a[href='#field-pick']").count() == 1
    check("credit check: nothing picked")
    page.check(f"input[value='share:{share.id}']")
    with page.expect_navigation():
        page.locator("#pick-form button[type=submit]").click()
    assert page.locator(".cr-rule.cr-met").count() == 1
    assert "Welding counts" in page.locator("main").inner_text()
    check("credit advice on a share")
