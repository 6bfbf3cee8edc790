"""Answering a verifier in a real Chromium, in English and in Spanish, at 360 px: the
learner pastes a request link (first sending nothing: the error summary), reads who asks
(with the warning that the name is the verifier's own claim), what for and what will be
sent, and sends with the keyboard alone; the verifier keeps the verified answer. A second
request opened straight from its link is refused, and a dead link gets a plain problem
page. axe-core finds no violations on any of these pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from journeys import sign_in

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput, AlignmentInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.verifier import requests as verifier_requests
from openler.verifier import responses as verifier_responses
from openler.verifier import roles
from openler.verifier.dcql import credential_query
from openler.wallet import service
from openler.wallet.crypto import MasterKey
from openler.wallet.models import Skill

pytestmark = pytest.mark.browser

LIVE_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
QUERY = {"credentials": [credential_query(
    "course", format="ldp_vc",
    types=["https://www.w3.org/2018/credentials#VerifiableCredential",
           "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"])]}
WORDS = {
    "en": {"problem": "There is a problem", "asks": "A verifier asks to see your records",
           "claim": "the verifier says about itself", "sent": "Your records were sent",
           "refused": "You refused the request", "gone": "The request could not be answered"},
    "es": {"problem": "Hay un problema", "asks": "Un verificador pide ver sus registros",
           "claim": "el verificador dice de sí mismo", "sent": "Se enviaron sus registros",
           "refused": "Usted rechazó la solicitud",
           "gone": "No se pudo responder a la solicitud"},
}
MATCH_WORDS = {
    "en": {"similar": "similar name", "threshold": "at least 85% alike",
           "missing": "Missing: no record shows it", "met": "Met by a verified record:"},
    "es": {"similar": "nombre similar", "threshold": "se parecen al menos un 85",
           "missing": "Falta: ningún registro lo muestra",
           "met": "Lo cumple un registro verificado:"},
}
ALIKE = {"en": re.compile(r"Forklift Safety \(verified\) – similar name: “operate forklift”, "
                         r"(\d\d)% alike"),
         "es": re.compile(r"Forklift Safety \(verificado\) – nombre similar: "
                         r"“operate forklift”, parecido en un (\d\d) %")}


@pytest.fixture
def request_pages(base_url):
    """The live app's base URL: app.py mounts ``verifier_requests.pages`` in front of the
    older request pages of ``verifier_inbox``."""
    return base_url


@pytest.fixture
def hiring(accounts, clean_db, base_url):
    """learner@example.org keeps a Forklift Safety record; returns Acme Hiring's org id."""
    _, college = accounts.org_owner("owner@forklift.example", "Forklift Academy")
    _, acme = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    issuer = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    wallet = service.WalletConfig(master=MasterKey(LIVE_SECRET), issuer=issuer)
    now = datetime.now(UTC)
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(
            s, config=issuer, org_id=college, now=now,
            data=AchievementInput(name="Forklift Safety", description="Operates forklifts.",
                                  criteria="Passed the practical test.",
                                  alignments=[AlignmentInput(
                                      target_name="operate forklift", target_framework="ESCO",
                                      target_code="S8.2.0",
                                      target_url="http://data.europa.eu/esco/skill/forklift")]))
        row = awards.award(s, config=issuer, org_id=college, achievement_id=course.id,
                           recipient_email="learner@example.org", now=now)
        new = offers.create_offer(s, org_id=college, award_id=row.id, now=now)
        s.commit()
        record = service.receive_from_claim(s, config=wallet, user_id=learner_id,
                                            token=new.token, now=now)
        service.accept(s, config=wallet, user_id=learner_id, record_id=record.id, now=now)
        s.commit()
    return acme


def _request(engine, org_id: str):
    with storage_db.make_sessionmaker(engine)() as s:
        made = verifier_requests.create_request(
            s, org_id=org_id, purpose="Forklift driver job application", dcql_query=QUERY,
            now=datetime.now(UTC))
        s.commit()
        return made


def _asking_for_skills(engine, org_id: str, request_id: str) -> None:
    """The request's role: one skill written otherwise than the record's, one nobody has."""
    with storage_db.make_sessionmaker(engine)() as s:
        roles.create_role(s, org_id=org_id, name="Forklift driver",
                          required=[Skill(name="forklift operation"),
                                    Skill(name="basket weaving")],
                          preferred=[], now=datetime.now(UTC), request_id=request_id)
        s.commit()


def _employer_sees_the_match(new_page, a11y, web, url: str, path: str, language: str) -> None:
    words = MATCH_WORDS[language]
    page = new_page(base_url=url)
    page.goto(f"/language/{language}?next=/")
    sign_in(page, "hr@acme.example", web.password)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        main = page.locator("main").inner_text()
        assert "Forklift driver job application" in main
        assert words["similar"] in main and words["threshold"] in main
        assert main.count(words["met"]) == 1 and main.count(words["missing"]) == 1
        assert int(ALIKE[language].search(main).group(1)) >= 85
        assert page.locator(".semantic-note").count() == 1
        label = f"employer: request with a similar-name match at {width} px [{language}]"
        a11y.accessible(page, label)
        if width == 360:
            a11y.no_horizontal_scroll(page, label)


def _statuses(engine, request_id: str) -> list[str]:
    with storage_db.make_sessionmaker(engine)() as s:
        return [r.status for r in verifier_responses.responses_of(s, request_id=request_id)]


@pytest.mark.parametrize("language", ["en", "es"])
def test_answer_and_refuse_a_verifier(new_page, a11y, web, hiring, clean_db, base_url,
                                      request_pages, language):
    words = WORDS[language]
    page = new_page(viewport={"width": 360, "height": 800})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, "learner@example.org", web.password)

    def check(label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}]")

    page.goto("/wallet/requests/new")
    check("paste a request")
    page.locator("form[action='/wallet/requests/new'] button[type=submit]").click()
    assert words["problem"] in page.locator(".error-summary").inner_text()
    assert page.locator(".error-summary a[href='#field-link']").count() == 1
    check("paste a request, with errors")

    made = _request(clean_db, hiring)
    _asking_for_skills(clean_db, hiring, made.id)
    link = verifier_requests.wallet_link(base_url, made.id)
    page.locator("#field-link").focus()
    page.keyboard.insert_text(link)
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    main = page.locator("main").inner_text()
    assert words["asks"] in main and words["claim"] in main and "Acme Hiring" in main
    assert "Forklift driver job application" in main and "Forklift Safety" in main
    assert page.locator("#field-picks").is_checked()
    check("who asks, what for, what will be sent")

    page.locator("#field-picks").focus()
    for _ in range(10):  # Tab from the record to the Send button, keyboard only
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "send":
            break
    assert page.evaluate("document.activeElement.value") == "send"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert words["sent"] in page.locator("h1").inner_text()
    check("records sent")
    assert _statuses(clean_db, made.id) == ["verified"]
    _employer_sees_the_match(new_page, a11y, web, request_pages,
                             f"/orgs/{hiring}/requests/{made.id}", language)

    second = _request(clean_db, hiring)
    query = verifier_requests.wallet_link(base_url, second.id).split("?", 1)[1]
    page.goto(f"/wallet/requests/new?{query}")
    page.locator("form[action='/wallet/requests/answer'] button[value=refuse]").click()
    assert words["refused"] in page.locator("h1").inner_text()
    check("request refused")
    assert _statuses(clean_db, second.id) == ["declined"]

    page.goto(f"/wallet/requests/new?link={quote(link, safe='')}")  # answered already
    assert words["gone"] in page.locator("h1").inner_text()
    assert page.locator("[role=alert][data-problem=verifier_error]").count() == 1
    check("request no longer available")
