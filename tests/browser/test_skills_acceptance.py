"""Issue 7 acceptance, tried as new users in a real Chromium over real HTTP and the test
database (SQLite, or PostgreSQL with OPENLER_TEST_DATABASE_URL).

An administrator loads a small ESCO extract with `openler skills import-esco` (English,
then Spanish). A newcomer signs up an issuer organization, writes an achievement
description, asks for skill suggestions (the real engine: the bundled MiniLM over real
ESCO skills), adds three and marks one "Not relevant", saves, and awards it to a learner;
the rejected skill is not offered again and is listed on the rejections page. The learner
creates an account from the claim link, keeps the credential, sees the three skills in the
skills profile with this credential as their evidence, opens Pathways, picks the forklift
operator occupation and sees the gap and where to learn the missing skill. A newcomer
employer describes a role by some of those skills; the learner shares with that
organization; the role's match shows the learner meets it, naming the record behind each
skill. Keyboard and labels throughout; axe-core 0 violations on every page visited."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from skills_journeys import (
    action_name,
    import_esco_extract,
    offered,
    press,
    skills_app_server,
    tab_to,
    type_into,
)

from openler.skills.similarity import SEMANTIC_THRESHOLD

pytestmark = pytest.mark.browser

ISSUER = {"name": "Rosa Parkes", "email": "rosa@harbour-training.example",
          "password": "harbour cranes at dawn", "org": "Harbour Training Centre"}
LEARNER = {"name": "Ana Learner", "email": "ana@example.org",
           "password": "pallets stacked by noon"}
EMPLOYER = {"name": "Sam Hiring", "email": "sam@acme-logistics.example",
            "password": "loading bay number four", "org": "Acme Logistics"}
COURSE = "Forklift Operation Level 2"
DESCRIPTION = ("Learners drive a counterbalance forklift truck in a warehouse, stack pallets "
               "safely and check each load before they move it.")
CRITERIA = "Pass the practical test and the written safety exam."
ACCEPTED = ("operate forklift", "conduct forklift inspections", "warehouse operations")
SECOND = "Warehouse Inventory Control"
SECOND_DESCRIPTION = ("Learners keep the warehouse inventory up to date, count the stock and "
                      "record goods moving in and out.")
MISSING = ("manage warehouse inventory", "manage warehouse organisation")
HOME = re.compile(r"^http://[^/]+/$")


@pytest.fixture(scope="module")
def skills_port(database_url: str) -> Iterator[int]:
    with skills_app_server(database_url) as port:
        yield port


@pytest.fixture
def base_url(skills_port: int) -> str:
    return f"http://localhost:{skills_port}"


@pytest.fixture
def esco_loaded(clean_db, database_url: str) -> None:
    """The administrator's step: the ESCO extract, through the command line."""
    import_esco_extract(database_url)


def _sign_up_organization(page, who: dict, kind_label: str, check) -> str:
    """A newcomer creates an organization account from the home page; its path."""
    page.goto("/")
    check(page, f"home, signed out ({who['org']})")
    press(page, page.get_by_role("link", name="Create an account"))
    check(page, f"sign up ({who['org']})")
    type_into(page, page.get_by_label("Full name"), who["name"])
    type_into(page, page.get_by_label("Email address"), who["email"])
    type_into(page, page.get_by_label("Password"), who["password"])
    _keyboard_choose(page, page.get_by_label(re.compile("^Organization: ")))
    type_into(page, page.get_by_label("Organization name"), who["org"])
    page.get_by_label("Type of organization").select_option(label=kind_label)
    tab_to(page, page.get_by_role("button", name="Create account"))
    with page.expect_navigation(url=HOME):
        page.keyboard.press("Enter")
    check(page, f"home, signed in ({who['org']})")
    press(page, page.get_by_role("link", name=who["org"]))
    org = re.sub(r"^http://[^/]+", "", page.url)
    assert re.fullmatch(r"/orgs/\w+", org), page.url
    check(page, f"organization page ({who['org']})")
    return org


def _keyboard_check(page, box) -> None:
    """Tab to a checkbox and tick it with the space bar."""
    tab_to(page, box)
    page.keyboard.press("Space")
    expect(box).to_be_checked()


def _keyboard_choose(page, radio) -> None:
    """Tab into a group of radio buttons and move to this one with the arrow keys."""
    name = radio.get_attribute("name")
    for _ in range(100):
        page.keyboard.press("Tab")
        if page.evaluate("n => document.activeElement.type === 'radio' && "
                         "document.activeElement.name === n", name):
            break
    for _ in range(10):
        if radio.evaluate("el => el.checked"):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never chose {radio} on {page.url}")


def _add_suggested(page, label: str) -> None:
    press(page, page.get_by_role("button", name=action_name("Add", label)))
    expect(page.locator("#skill-suggestions [role=status]")).to_contain_text(label)
    assert label not in offered(page)


def _describe(page, name: str, description: str, criteria: str) -> None:
    type_into(page, page.get_by_label("Name", exact=True).first, name)
    type_into(page, page.get_by_label("Description", exact=True), description)
    type_into(page, page.get_by_label("What the learner must do"), criteria)
    press(page, page.get_by_role("button", name="Suggest skills"))


def _section(page, heading: str) -> str:
    """The text under a heading, up to the next heading of the same or a higher level."""
    return page.evaluate("""name => {
        const hs = [...document.querySelectorAll('main h1, main h2, main h3, main h4')];
        const h = hs.find(x => x.textContent.trim() === name);
        if (!h) return null;
        const section = h.closest('section');
        if (section && section.querySelector('h1, h2, h3, h4') === h) return section.innerText;
        const level = +h.tagName[1];
        let out = '', el = h.nextElementSibling;
        while (el && !(/^H[1-6]$/.test(el.tagName) && +el.tagName[1] <= level)) {
            out += el.innerText + '\\n'; el = el.nextElementSibling;
        }
        return out;
    }""", heading)


def test_issuer_learner_employer_skills_journey(new_page, a11y, esco_loaded):
    visited: list[str] = []

    def check(page, label: str) -> None:
        assert page.locator("html").get_attribute("lang") == "en", label
        a11y.accessible(page, label)
        visited.append(label)

    # 1. A newcomer issuer describes an achievement and asks for suggestions.
    issuer = new_page()
    org = _sign_up_issuer(issuer, check)
    press(issuer, issuer.get_by_role("link", name="Achievement catalog"))
    check(issuer, "empty catalog")
    press(issuer, issuer.get_by_role("link", name="Add an achievement"))
    check(issuer, "new achievement form")
    _describe(issuer, COURSE, DESCRIPTION, CRITERIA)
    first = offered(issuer)
    assert set(ACCEPTED) <= set(first), first
    why = issuer.locator("#skill-suggestions li", has_text=ACCEPTED[0]).inner_text()
    assert "forklift" in why.lower()  # the words that triggered it are shown
    check(issuer, "achievement form with suggestions")

    # 2. Three added, one "Not relevant" (remembered for the organization), then saved.
    for n, label in enumerate(ACCEPTED, 1):
        _add_suggested(issuer, label)
        check(issuer, f"achievement form, skill {n} added")
    for n, label in enumerate(ACCEPTED, 1):
        assert issuer.locator(f"#field-alignment_{n}_name").input_value() == label
        assert issuer.locator(f"#field-alignment_{n}_framework").input_value() == "ESCO"
    # The issuer judges the best remaining suggestion not relevant (the test leaves alone the
    # forklift operator's other skills, which Pathways needs later).
    rejected = next(label for label in offered(issuer) if label not in MISSING)
    assert rejected in first
    press(issuer, issuer.get_by_role("button", name=action_name("Not relevant", rejected)))
    notice = issuer.locator("#skill-suggestions [role=status]").inner_text()
    assert rejected in notice and "will not be suggested again" in notice
    assert rejected not in offered(issuer)
    check(issuer, "three skills added, one rejected")
    press(issuer, issuer.get_by_role("button", name="Save achievement"))
    assert re.search(rf"{org}/catalog/[0-9a-f]{{32}}$", issuer.url), issuer.url
    course_url = issuer.url
    aligned = issuer.locator("main li a[href*='data.europa.eu/esco/skill/']").all_inner_texts()
    assert sorted(aligned) == sorted(ACCEPTED)
    check(issuer, "saved achievement with three skills")

    # 3. The rejected skill is not offered again for the organization: not on this
    #    achievement's edit form (where the three added ones make room for it), nor on a new
    #    achievement with the very text that first brought it up.
    press(issuer, issuer.get_by_role("link", name="Change"))
    check(issuer, "edit form")
    press(issuer, issuer.get_by_role("button", name="Suggest skills"))
    again = offered(issuer)
    assert again and rejected not in again and not set(ACCEPTED) & set(again), again
    check(issuer, "suggestions again on the edit form")
    issuer.goto(f"{org}/catalog")
    check(issuer, "catalog with one achievement")
    press(issuer, issuer.get_by_role("link", name="Add an achievement"))
    _describe(issuer, COURSE, DESCRIPTION, CRITERIA)
    fresh = offered(issuer)
    assert set(ACCEPTED) <= set(fresh) and rejected not in fresh, fresh
    check(issuer, "a new achievement with the same text: suggestions")

    # 4. A second achievement teaches a skill the learner will not have (for Pathways).
    issuer.goto(f"{org}/catalog")
    press(issuer, issuer.get_by_role("link", name="Add an achievement"))
    _describe(issuer, SECOND, SECOND_DESCRIPTION,
              "Count a section of the warehouse and reconcile it with the stock records.")
    check(issuer, "second achievement: suggestions")
    _add_suggested(issuer, MISSING[0])
    press(issuer, issuer.get_by_role("button", name="Save achievement"))
    expect(issuer.locator("main h1")).to_have_text(SECOND)
    check(issuer, "second achievement saved")

    # 5. The rejections page (linked from the organization's page) lists the rejected skill.
    issuer.goto(org)
    press(issuer, issuer.get_by_role("main").get_by_role(
        "link", name="Skills you marked as not relevant"))
    assert issuer.url.endswith(f"{org}/skills/rejections"), issuer.url
    # One entry, this skill, hidden for the whole organization; each can be taken back.
    expect(issuer.get_by_role("button", name=re.compile("^Suggest it again"))).to_have_count(1)
    expect(issuer.get_by_role("button", name=action_name("Suggest it again", rejected))) \
        .to_have_count(1)
    expect(issuer.get_by_role("listitem").filter(has_text=rejected)).to_contain_text(
        "The whole organization")
    check(issuer, "rejections page")

    # 6. The issuer awards the first achievement to the learner; the claim link waits in
    #    the outbox (no mail server here).
    issuer.goto(course_url)
    press(issuer, issuer.get_by_role("link", name="Award it"))
    check(issuer, "award form")
    type_into(issuer, issuer.get_by_label("Learner's email address"), LEARNER["email"])
    press(issuer, issuer.get_by_role("button", name="Issue the credential"))
    assert issuer.url.endswith(f"{org}/awards"), issuer.url
    check(issuer, "awards after issuing")
    issuer.goto(org)
    press(issuer, issuer.get_by_role("main").get_by_role("link", name="Outbox"))
    check(issuer, "outbox")
    claim = issuer.get_by_role("link", name=f"Claim page for {LEARNER['email']}")
    claim_path = re.sub(r"^http://[^/]+", "", claim.first.get_attribute("href"))

    # 7. The learner creates an account from the claim link and keeps the credential.
    learner = new_page()
    learner.goto(claim_path)
    check(learner, "claim page, signed out")
    press(learner, learner.get_by_role("main").get_by_role("link", name="Create an account"))
    check(learner, "learner sign-up")
    type_into(learner, learner.get_by_label("Full name"), LEARNER["name"])
    type_into(learner, learner.get_by_label("Email address"), LEARNER["email"])
    type_into(learner, learner.get_by_label("Password"), LEARNER["password"])
    press(learner, learner.get_by_role("button", name="Create account"))
    assert learner.url.endswith(claim_path), learner.url
    check(learner, "claim page, signed in")
    press(learner, learner.get_by_role("button", name="Add to my OpenLER wallet"))
    check(learner, "claimed record")
    press(learner, learner.get_by_role("button", name="Add it to my wallet"))
    check(learner, "record kept")

    # 8. The skills profile: the three skills, with this credential as their evidence.
    press(learner, learner.get_by_role("navigation", name="Wallet").get_by_role(
        "link", name="Skills profile"))
    expect(learner.locator("main h1")).to_have_text("Your skills profile")
    main = learner.locator("main").inner_text()
    for label in ACCEPTED:
        row = learner.get_by_role("row").filter(
            has=learner.get_by_role("rowheader").filter(has_text=label))
        expect(row).to_have_count(1)
        expect(row).to_contain_text(COURSE)
    assert rejected not in main and MISSING[0] not in main
    check(learner, "skills profile")

    # 9. Pathways: search an occupation, pick it, see the gap and where to learn.
    press(learner, learner.get_by_role("navigation", name="Wallet").get_by_role(
        "link", name="Pathways"))
    check(learner, "pathways search")
    type_into(learner, learner.get_by_role("searchbox", name="Occupation or role"), "forklift")
    with learner.expect_navigation():
        learner.keyboard.press("Enter")
    check(learner, "pathways search results")
    press(learner, learner.get_by_role("link", name=re.compile("^forklift operator")))
    shown = _section(learner, "Skills you already show")
    to_build = _section(learner, "Skills to build")
    where = _section(learner, "Where to learn them")
    assert shown and to_build and where, (shown, to_build, where)
    for label in ACCEPTED:
        assert label in shown and label not in to_build, label
    for label in MISSING:
        assert label in to_build and label not in shown, label
    assert SECOND in where and ISSUER["org"] in where, where
    expect(learner.locator("main h1")).to_contain_text("forklift operator")
    check(learner, "one pathway")

    # 10. A newcomer employer describes a role by two of those skills and one more.
    employer = new_page()
    acme = _sign_up_employer(employer, check)
    press(employer, employer.get_by_role("link", name="Roles and matching"))
    check(employer, "roles")
    type_into(employer, employer.get_by_label("Name of the role"), "Forklift driver")
    required = employer.get_by_role("group", name="Required skills", exact=True)
    preferred = employer.get_by_role("group", name="Preferred skills (optional)")
    for label in ACCEPTED[:2]:
        _keyboard_check(employer, required.get_by_label(re.compile(rf"^{re.escape(label)}\b")))
    _keyboard_check(employer, preferred.get_by_label(re.compile(rf"^{re.escape(MISSING[0])}\b")))
    press(employer, employer.get_by_role("button", name="Save the role"))
    assert re.search(rf"{acme}/roles/[0-9a-f]{{32}}$", employer.url), employer.url
    role_url = employer.url
    check(employer, "saved role, nothing shared yet")

    # 11. The learner shares the credential with that organization.
    press(learner, learner.get_by_role("navigation", name="Wallet").get_by_role(
        "link", name="Presentations and shares"))
    check(learner, "presentations")
    press(learner, learner.get_by_role("link", name="Make a presentation"))
    check(learner, "new presentation")
    type_into(learner, learner.get_by_label("Name of the presentation"), "For Acme")
    _keyboard_check(learner, learner.get_by_role("checkbox", name=re.compile(re.escape(COURSE))))
    press(learner, learner.get_by_role("button", name="Make the presentation"))
    check(learner, "presentation")
    press(learner, learner.get_by_role("link", name="Share this presentation"))
    _keyboard_choose(learner, learner.get_by_label("An organization on this site"))
    learner.get_by_label("The organization on this site").select_option(label=EMPLOYER["org"])
    type_into(learner, learner.get_by_label("What is it for?"), "Forklift driver job")
    check(learner, "share form")
    press(learner, learner.get_by_role("button", name="Make the share link"))
    expect(learner.locator("main h1")).to_contain_text(EMPLOYER["org"])
    check(learner, "share made")

    # 12. The role's matching shows the learner, and which record backs which skill; the
    #     page states the similarity threshold it uses for skills with different names.
    threshold = f"at least {round(SEMANTIC_THRESHOLD * 100)}% alike"
    employer.goto(role_url)
    expect(employer.locator("main .semantic-note")).to_contain_text(threshold)
    check(employer, "role with a share to compare")
    press(employer, employer.get_by_role("link", name=re.compile("^Shared on")))
    table = employer.get_by_role("table", name="How the records meet the role")
    expect(table).to_have_count(1)
    for label in ACCEPTED[:2]:
        row = table.get_by_role("row").filter(has_text=label)
        expect(row).to_contain_text("Met by a verified record:")
        expect(row).to_contain_text(COURSE)
    expect(table.get_by_role("row").filter(has_text=MISSING[0])).to_contain_text("Missing")
    expect(employer.locator("main")).to_contain_text(
        "Required skills met by verified records: 2 of 2.")
    expect(employer.locator("main .semantic-note")).to_contain_text(threshold)
    check(employer, "role match for the shared record")
    assert len(visited) == len(set(visited))


def _sign_up_issuer(page, check) -> str:
    return _sign_up_organization(page, ISSUER, _kind_label(page, "issuer"), check)


def _sign_up_employer(page, check) -> str:
    return _sign_up_organization(page, EMPLOYER, _kind_label(page, "employer"), check)


def _kind_label(page, kind: str) -> str:
    """The sign-up form's words for a kind of organization (read, not assumed)."""
    page.goto("/sign-up")
    return page.locator(f"#field-organization_kind option[value='{kind}']").inner_text().strip()
