"""Issue 6 acceptance, tried as a new user in Chromium, in English and in Spanish: an
employer makes a request for two skills (first with an error summary), a learner pastes the
link into their wallet's "Answer a request" page and sends, the employer sees a verified
report and the match explanation; then the issuer revokes one record and "Check again now"
on the same answer shows it revoked. The inbox and the roles page explain the match and say
what it never uses. axe-core finds no violations on any page, at 360 px too."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from journeys import sign_in
from sqlalchemy import text

from openler.issuer import awards, catalog, lifecycle
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
SKILLS = (("Welding Basics", "weld metal parts", "S6.7.1", "weld-metal"),
          ("Forklift Safety", "operate forklift", "S8.2.0", "forklift"))
WORDS = {
    "en": {"problem": "There is a problem", "sent": "Your records were sent",
           "verified": "Checked: genuine and current", "met": "Met by a verified record:",
           "revoked": "Revoked", "problem_found": "Problem found",
           "failed_only": "Only in records that did not pass the check:",
           "never": "never uses names, photos", "again": "Check again now",
           "similar": "similar name", "threshold": "at least 85% alike"},
    "es": {"problem": "Hay un problema", "sent": "Se enviaron sus registros",
           "verified": "Comprobado: auténtico y vigente",
           "met": "Lo cumple un registro verificado:", "revoked": "Revocad",
           "problem_found": "Se encontró un problema",
           "failed_only": "Solo en registros que no superaron la comprobación:",
           "never": "Nunca usa nombres, fotos", "again": "Comprobar de nuevo ahora",
           "similar": "nombre similar", "threshold": "al menos un 85 %"},
}


@pytest.fixture
def world(accounts, clean_db, base_url):
    """Acme Hiring (employer), and a learner keeping two records aligned to ESCO skills."""
    _, college = accounts.org_owner("owner@college.example", "Example College")
    _, acme = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    issuer = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    wallet = service.WalletConfig(master=MasterKey(LIVE_SECRET), issuer=issuer)
    now = datetime.now(UTC)
    award_ids = []
    with storage_db.make_sessionmaker(clean_db)() as s:
        for course_name, skill, code, slug in SKILLS:
            course = catalog.create_achievement(
                s, config=issuer, org_id=college, now=now,
                data=AchievementInput(name=course_name, description=".", criteria="Passed.",
                                      alignments=[AlignmentInput(
                                          target_name=skill, target_framework="ESCO",
                                          target_code=code,
                                          target_url=f"http://data.europa.eu/esco/skill/{slug}")]))
            row = awards.award(s, config=issuer, org_id=college, achievement_id=course.id,
                               recipient_email="learner@example.org", now=now)
            new = offers.create_offer(s, org_id=college, award_id=row.id, now=now)
            s.commit()
            record = service.receive_from_claim(s, config=wallet, user_id=learner_id,
                                                token=new.token, now=now)
            service.accept(s, config=wallet, user_id=learner_id, record_id=record.id, now=now)
            s.commit()
            award_ids.append(row.id)
    return {"acme": acme, "college": college, "forklift_award": award_ids[1]}


@pytest.mark.parametrize("language", ["en", "es"])
def test_employer_request_answer_revoke_check_again(new_page, a11y, web, world, clean_db,
                                                    language):
    words = WORDS[language]
    acme = world["acme"]
    employer = new_page()
    employer.goto(f"/language/{language}?next=/")
    sign_in(employer, "hr@acme.example", web.password)

    def check(page, label: str, narrow: bool = False) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}]")
        if narrow:
            a11y.no_horizontal_scroll(page, f"{label} [{language}]")

    employer.goto(f"/orgs/{acme}/requests")
    check(employer, "requests")
    employer.locator(f"a[href='/orgs/{acme}/requests/new']").first.click()
    check(employer, "new request")
    employer.locator(f"form[action='/orgs/{acme}/requests/new'] button[type=submit]").click()
    assert words["problem"] in employer.locator(".error-summary").inner_text()
    check(employer, "new request, with errors")
    employer.fill("#field-purpose", "Welder job at Acme")
    for _, skill, _, _ in SKILLS:
        employer.get_by_label(f"{skill} (ESCO", exact=False).check()
    employer.locator(f"form[action='/orgs/{acme}/requests/new'] button[type=submit]").click()
    employer.wait_for_url(f"**/orgs/{acme}/requests/*")
    link = employer.locator("main p.break code").inner_text()
    assert link.startswith("openid4vp://?client_id=")
    assert employer.locator("main figure svg").count() == 1
    check(employer, "request: link and QR code")

    learner = new_page(viewport={"width": 360, "height": 800})
    learner.goto(f"/language/{language}?next=/")
    sign_in(learner, "learner@example.org", web.password)
    learner.goto("/wallet/requests/new")
    learner.fill("#field-link", link)
    learner.locator("form[action='/wallet/requests/new'] button[type=submit]").click()
    main = learner.locator("main").inner_text()
    assert "Acme Hiring" in main and "Welding Basics" in main and "Forklift Safety" in main
    learner.locator("form[action='/wallet/requests/answer'] button[value=send]").click()
    assert words["sent"] in learner.locator("h1").inner_text()

    employer.reload()
    main = employer.locator("main").inner_text()
    assert words["verified"] in main and main.count(words["met"]) == 2
    assert words["never"] in main
    check(employer, "request: verified answer and match")

    with storage_db.make_sessionmaker(clean_db)() as s:  # the issuer revokes one record
        lifecycle.revoke(s, org_id=world["college"], award_id=world["forklift_award"],
                         reason="Issued in error", now=datetime.now(UTC))
        s.commit()
    employer.get_by_role("button", name=words["again"]).click()
    employer.wait_for_load_state()
    main = employer.locator("main").inner_text()
    assert words["problem_found"] in main and words["revoked"] in main
    assert main.count(words["met"]) == 1 and words["failed_only"] in main
    check(employer, "request: checked again, revoked")

    employer.set_viewport_size({"width": 360, "height": 800})
    employer.goto(f"/orgs/{acme}/inbox")
    assert words["problem_found"] in employer.locator("main").inner_text()
    check(employer, "inbox", narrow=True)
    employer.goto(f"/orgs/{acme}/roles")
    check(employer, "roles", narrow=True)
    employer.locator(f"main a[href^='/orgs/{acme}/roles/']").first.click()
    assert words["never"] in employer.locator("main").inner_text()
    check(employer, "role: ranked answers", narrow=True)
    employer.goto(f"/orgs/{acme}/roles")
    employer.locator(f"form[action='/orgs/{acme}/roles'] > button.button[type=submit]").click()
    assert words["problem"] in employer.locator(".error-summary").inner_text()
    check(employer, "roles, with errors", narrow=True)

    # A role written in other words: matched by similar name, the threshold stated.
    employer.fill("#field-name", "Forklift driver")
    employer.fill("#field-required_text", "forklift operation")
    employer.locator(f"form[action='/orgs/{acme}/roles'] > button.button[type=submit]").click()
    employer.wait_for_url(f"**/orgs/{acme}/roles/*")
    role_id = employer.url.rstrip("/").rsplit("/", 1)[1]
    for width in (360, 1280):
        employer.set_viewport_size({"width": width, "height": 800})
        for path, label in ((f"/orgs/{acme}/roles/{role_id}", "role: similar-name match"),
                            (f"/orgs/{acme}/inbox?role={role_id}", "inbox ranked by role")):
            employer.goto(path)
            main = employer.locator("main").inner_text()
            assert words["similar"] in main and words["threshold"] in main
            assert "Forklift Safety" in main and words["never"] in main
            check(employer, f"{label} at {width} px", narrow=width == 360)


@pytest.mark.parametrize("language", ["en", "es"])
def test_share_with_an_organization_and_open_it_from_the_inbox(new_page, a11y, web, world,
                                                                 clean_db, base_url, language):
    """The learner shares a presentation with "an organization on this site" (keyboard and
    form, no script needed); Acme's inbox lists it; a member opens it and compares it with a
    role; the learner sees Acme's opening. axe-core finds nothing on any of these pages."""
    from openler.wallet import presentations

    acme = world["acme"]
    issuer = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    wallet = service.WalletConfig(master=MasterKey(LIVE_SECRET), issuer=issuer)
    with storage_db.make_sessionmaker(clean_db)() as s:
        learner_id = s.scalar(text("SELECT id FROM users WHERE email = 'learner@example.org'"))
        kept = [r.id for r in service.records(s, config=wallet, user_id=learner_id)]
        pres = presentations.create(s, config=wallet, user_id=learner_id, name="For Acme",
                                    record_ids=kept, now=datetime.now(UTC))
        s.commit()
    learner = new_page(viewport={"width": 360, "height": 800})
    learner.goto(f"/language/{language}?next=/")
    sign_in(learner, "learner@example.org", web.password)
    learner.goto(f"/wallet/presentations/{pres.id}/share")
    learner.locator("#field-audience_kind-org").check()
    learner.locator("#field-audience_org").select_option(acme)
    learner.fill("#field-purpose", "Welder job")
    a11y.accessible(learner, f"share form with an organization [{language}]")
    a11y.no_horizontal_scroll(learner, f"share form [{language}]")
    learner.locator(f"form[action='/wallet/presentations/{pres.id}/share'] "
                    "button[type=submit]").click()
    learner.wait_for_url("**/wallet/shares/*")
    assert "Acme Hiring" in learner.locator("h1").inner_text()
    share_url = learner.url

    employer = new_page()
    employer.goto(f"/language/{language}?next=/")
    sign_in(employer, "hr@acme.example", web.password)
    employer.goto(f"/orgs/{acme}/roles")
    employer.fill("#field-name", "Welder")
    employer.locator("fieldset#field-required input[type=checkbox]").first.check()
    employer.fill("#field-preferred_text", "first aid")
    employer.locator(f"form[action='/orgs/{acme}/roles'] > button.button[type=submit]").click()
    employer.wait_for_url(f"**/orgs/{acme}/roles/*")
    employer.goto(f"/orgs/{acme}/inbox")
    a11y.accessible(employer, f"inbox with a share [{language}]")
    employer.locator(f"main a[href^='/orgs/{acme}/inbox/shares/']").first.click()
    employer.locator(f"main form[action^='/orgs/{acme}/inbox/shares/'] button").click()
    main = employer.locator("main").inner_text()
    assert "Welding Basics" in main and "Forklift Safety" in main
    assert WORDS[language]["met"] in main and WORDS[language]["never"] in main
    a11y.accessible(employer, f"share opened by the organization, with a match [{language}]")
    learner.goto(share_url)
    assert "Acme Hiring" in learner.locator("main").inner_text()
    assert learner.locator("main li", has_text="Acme Hiring").count() >= 1
