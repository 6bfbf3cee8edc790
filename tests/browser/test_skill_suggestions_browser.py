"""Skill suggestions in a real Chromium, keyboard only (issue 7, acceptance): an issuer
writes a description, asks for suggestions, adds three and marks one not relevant, saves;
the achievement carries the three ESCO alignments and the rejected skill is not offered
again for the organization. axe-core on every page, in English and Spanish, at 360 px.

The app here is its own live server whose engine is the small test engine (the shared
live server would build the full ESCO engine on first use)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from journeys import sign_in

from skill_engines import ready_holder

pytestmark = pytest.mark.browser

OWNER = "owner@harbour.example"
DESCRIPTION = ("Learners drive a counterbalance forklift truck in a warehouse, stack pallets "
               "safely and check each load before they move it.")
WORDS = {"en": {"suggest": "Suggest skills", "remembered": "will not be suggested again"},
         "es": {"suggest": "Sugerir competencias", "remembered": "No volveremos a sugerir"}}


@pytest.fixture(scope="module")
def skills_server(database_url: str) -> Iterator[int]:
    import socket

    import uvicorn

    from openler.settings import Settings
    from openler.web.app import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(Settings(database_url=database_url,
                              secret_key="skills-browser-test-secret-0123456789"))
    app.state.skill_engine = ready_holder()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                          log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="openler-skills-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the skills live server did not start")
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def base_url(skills_server: int) -> str:
    return f"http://localhost:{skills_server}"


def _tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching ``selector`` has focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def _press(page, selector: str) -> None:
    """Tab to a submit button and press Enter, waiting for the page it posts to."""
    _tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _offered(page) -> list[tuple[str, str]]:
    """(URI, label) of each suggestion on the page, best first."""
    out = []
    for button in page.locator("button[name='skills_add']").all():
        label = button.locator(".visually-hidden").inner_text().lstrip(": ").strip()
        out.append((button.get_attribute("value"), label))
    return out


@pytest.mark.parametrize("language", ["en", "es"])
def test_issuer_adds_three_suggestions_rejects_one_and_saves(new_page, a11y, accounts, web,
                                                             language):
    words = WORDS[language]
    org = accounts.org_owner(OWNER, "Harbour Training")[1]
    page = new_page(viewport={"width": 360, "height": 800})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, OWNER, web.password)

    def check(label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}]")

    page.goto(f"/orgs/{org}/catalog/new")
    assert page.locator("button[name='skills_action']").inner_text() == words["suggest"]
    check("new achievement form with the suggest button")
    _tab_to(page, "#field-name")
    page.keyboard.type("Forklift Operation Level 2")
    _tab_to(page, "#field-description")
    page.keyboard.type(DESCRIPTION)
    _tab_to(page, "#field-criteria")
    page.keyboard.type("Pass the practical test and the written safety exam.")
    _press(page, "button[name='skills_action']")
    assert page.url.endswith("#skill-suggestions")
    offered = _offered(page)
    assert len(offered) == 8
    assert any("forklift" in label.lower() for _, label in offered)
    assert page.locator(".skill-why").first.inner_text()
    check("suggestions")

    added: list[tuple[str, str]] = []
    for _ in range(3):
        uri, label = _offered(page)[0]
        _press(page, f"button[name='skills_add'][value='{uri}']")
        added.append((uri, label))
        assert uri not in dict(_offered(page))
    check("three suggestions added")
    rejected_uri, rejected_label = _offered(page)[0]
    _press(page, f"button[name='skills_reject'][value='{rejected_uri}']")
    notice = page.locator(".skill-notice").inner_text()
    assert words["remembered"] in notice and rejected_label in notice
    assert rejected_uri not in dict(_offered(page))
    check("one suggestion rejected")
    for n, (uri, label) in enumerate(added, 1):
        assert page.locator(f"#field-alignment_{n}_url").input_value() == uri
        assert page.locator(f"#field-alignment_{n}_framework").input_value() == "ESCO"
        assert page.locator(f"#field-alignment_{n}_name").input_value() == label
    _press(page, "form button.button:not([name])")
    assert re.search(rf"/orgs/{org}/catalog/[0-9a-f]{{32}}$", page.url), page.url
    for uri, _label in added:
        assert page.locator(f"main a[href='{uri}']").count() == 1
    assert page.locator(f"main a[href='{rejected_uri}']").count() == 0
    check("saved achievement")

    page.goto(page.url + "/edit")
    _press(page, "button[name='skills_action']")
    again = dict(_offered(page))
    assert again and rejected_uri not in again
    assert not set(again) & {uri for uri, _ in added}
    check("suggestions again, without the rejected skill")


@pytest.mark.parametrize("language", ["en", "es"])
def test_learner_and_employer_forms_with_suggestions_are_accessible(new_page, a11y, accounts,
                                                                    web, language):
    accounts.learner("ana@example.org", "Ana Learner")
    org = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")[1]

    def check(page, label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}]")

    learner = new_page(viewport={"width": 360, "height": 800})
    learner.goto(f"/language/{language}?next=/")
    sign_in(learner, "ana@example.org", web.password)
    learner.goto("/wallet/self-reported/new")
    _tab_to(learner, "#field-description")
    learner.keyboard.type(DESCRIPTION)
    _press(learner, "button[name='skills_action']")
    assert learner.locator("button[name='skills_reject']").count() == 0
    uri, label = _offered(learner)[0]
    _press(learner, f"button[name='skills_add'][value='{uri}']")
    assert label in learner.locator("#field-skills").input_value().splitlines()
    check(learner, "self-reported form with suggestions")

    employer = new_page(viewport={"width": 360, "height": 800})
    employer.goto(f"/language/{language}?next=/")
    sign_in(employer, "hr@acme.example", web.password)
    employer.goto(f"/orgs/{org}/roles")
    _tab_to(employer, "#field-name")
    employer.keyboard.type("Warehouse operative")
    _tab_to(employer, "#field-job_description")
    employer.keyboard.type("You will operate forklifts, stack pallets and load lorries.")
    _press(employer, "button[name='skills_action']")
    first = employer.locator("button[name='skills_add_required']").first.get_attribute("value")
    _press(employer, f"button[name='skills_add_required'][value='{first}']")
    assert employer.locator("input[name='esco_required']").input_value() == first
    check(employer, "role form with suggestions")
    _press(employer, "form button.button:not([name])")
    assert re.search(rf"/orgs/{org}/roles/[0-9a-f]{{32}}$", employer.url), employer.url
    check(employer, "saved role")


def _enter_in(page, selector: str) -> None:
    """Put the focus in a text field and press Enter there (works without JavaScript)."""
    with page.expect_navigation():
        page.locator(selector).press("Enter")


@pytest.mark.parametrize("language", ["en", "es"])
def test_enter_in_a_text_field_saves_each_form_instead_of_suggesting(new_page, a11y, accounts,
                                                                     web, language):
    """Enter presses a form's first submit button: on all three forms that is the save, never
    "Suggest skills", also after suggestions are shown; with JavaScript off."""
    org = accounts.org_owner(OWNER, "Harbour Training")[1]
    accounts.learner("ana@example.org", "Ana Learner")
    employer_org = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")[1]

    def plain_page(email: str):
        page = new_page(java_script_enabled=False, viewport={"width": 360, "height": 800})
        page.goto(f"/language/{language}?next=/")
        sign_in(page, email, web.password)
        return page

    def suggest(page) -> None:
        with page.expect_navigation():
            page.locator("button[name='skills_action']").press("Enter")

    issuer = plain_page(OWNER)
    issuer.goto(f"/orgs/{org}/catalog/new")
    issuer.fill("#field-description", DESCRIPTION)
    issuer.fill("#field-criteria", "Pass the practical test.")
    suggest(issuer)  # suggestions shown: Enter in a field still saves
    assert issuer.locator("button[name='skills_add']").count() == 8
    issuer.fill("#field-name", "Forklift Operation Level 2")
    _enter_in(issuer, "#field-name")
    assert re.search(rf"/orgs/{org}/catalog/[0-9a-f]{{32}}$", issuer.url), issuer.url
    assert issuer.locator("h1").inner_text() == "Forklift Operation Level 2"

    learner = plain_page("ana@example.org")
    learner.goto("/wallet/self-reported/new")
    learner.check("input[name='kind'][value='work']")
    learner.fill("#field-description", DESCRIPTION)
    learner.fill("#field-start", "2025-06-01")
    learner.fill("#field-title", "Warehouse summer job")
    _enter_in(learner, "#field-title")
    assert re.search(r"/wallet/records/[0-9a-f]{32}$", learner.url), learner.url

    employer = plain_page("hr@acme.example")
    employer.goto(f"/orgs/{employer_org}/roles")
    employer.fill("#field-job_description", "Operate forklifts and stack pallets.")
    suggest(employer)
    first = employer.locator("button[name='skills_add_required']").first.get_attribute("value")
    with employer.expect_navigation():
        employer.locator(f"button[name='skills_add_required'][value='{first}']").press("Enter")
    employer.fill("#field-name", "Warehouse operative")
    _enter_in(employer, "#field-name")
    assert re.search(rf"/orgs/{employer_org}/roles/[0-9a-f]{{32}}$", employer.url), employer.url


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_three_forms_with_suggestions_pass_axe_at_1280(new_page, a11y, accounts, web,
                                                           language):
    """The unseen default button, the words-and-number confidence and the link to the
    rejections pass axe-core on a wide screen too (the journeys above check 360 px)."""
    org = accounts.org_owner(OWNER, "Harbour Training")[1]
    accounts.learner("ana@example.org", "Ana Learner")
    employer_org = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")[1]
    for email, path, field in ((OWNER, f"/orgs/{org}/catalog/new", "#field-description"),
                               ("ana@example.org", "/wallet/self-reported/new",
                                "#field-description"),
                               ("hr@acme.example", f"/orgs/{employer_org}/roles",
                                "#field-job_description")):
        page = new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"/language/{language}?next=/")
        sign_in(page, email, web.password)
        page.goto(path)
        page.fill(field, DESCRIPTION)
        _press(page, "button[name='skills_action']")
        assert page.locator(".skill-strength").count() == 8
        assert page.locator(".skill-default-submit").count() == 1
        a11y.accessible(page, f"{path} with suggestions [{language}, 1280 px]")
        a11y.no_horizontal_scroll(page, f"{path} with suggestions [{language}, 1280 px]")
