"""Every skills page (issue 7) in a real Chromium, in English and Spanish, at 360 px and
1280 px: axe-core finds 0 violations, nothing scrolls sideways, and every chart has its
figures in a table too.

Pages: the learner's skills profile (with records, curated, and empty) and its export page;
Pathways (search form, results, one occupation, no result); an organization's frameworks
page with search results; the "Not relevant" list (empty and not); the issuer's
achievement form, the learner's self-reported form and the employer's role form, each with
suggestions shown; the roles list, a role's matching page and a share compared with it.
Data come through the services and the `openler` command line (skills_journeys.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from journeys import sign_in
from skills_journeys import (
    EMPLOYER_EMAIL,
    EMPTY_EMAIL,
    ISSUER_EMAIL,
    LEARNER_EMAIL,
    has_table_alternative,
    seed_skills_world,
    skills_app_server,
)

pytestmark = pytest.mark.browser

TEXT = ("Learners drive a counterbalance forklift truck in a warehouse, stack pallets safely "
        "and check each load before they move it.")
WORDS = {
    "en": {"search": "forklift", "occupation": "forklift operator",
           "framework_hit": "operate forklift",
           "headings": ("Skills you already show", "Skills to build", "Where to learn them")},
    "es": {"search": "carretilla",
           "occupation": "operador de carretilla elevadora/operadora de carretilla elevadora",
           "framework_hit": "manejar carretillas elevadoras",
           "headings": ("Competencias que ya demuestra", "Competencias por desarrollar",
                        "Dónde aprenderlas")},
}


@pytest.fixture(scope="module")
def skills_port(database_url: str) -> Iterator[int]:
    with skills_app_server(database_url) as port:
        yield port


@pytest.fixture
def base_url(skills_port: int) -> str:
    return f"http://localhost:{skills_port}"


@pytest.fixture
def world(clean_db, database_url, base_url, accounts) -> dict[str, str]:
    return seed_skills_world(clean_db, database_url, base_url, accounts)


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_skills_page(new_page, a11y, web, world, language, width):
    words = WORDS[language]
    checked: list[str] = []
    charts_seen: dict[str, int] = {}

    def person(email: str):
        page = new_page(viewport={"width": width, "height": 900})
        page.goto(f"/language/{language}?next=/")
        sign_in(page, email, web.password)
        return page

    def check(page, label: str) -> None:
        where = f"{label} [{language}, {width}px]"
        assert page.locator("html").get_attribute("lang") == language, where
        assert page.locator("main h1").count() == 1, where
        a11y.accessible(page, where)
        a11y.no_horizontal_scroll(page, where)
        charts = page.locator("main [role=img]")
        charts_seen[label] = charts.count()
        for n in range(charts.count()):
            assert has_table_alternative(charts.nth(n)), f"chart {n + 1} has no table: {where}"
        checked.append(label)

    def suggest(page, path: str, field: str) -> None:
        page.goto(path)
        page.fill(field, TEXT)
        with page.expect_navigation():
            page.locator("button[name='skills_action']").click()
        assert page.locator("#skill-suggestions li").count() > 0, path

    learner = person(LEARNER_EMAIL)
    learner.goto("/wallet/skills")
    assert learner.locator("main table").count() >= 1
    check(learner, "skills profile")
    learner.goto("/wallet/skills/export")
    check(learner, "skills export")
    learner.goto("/wallet/pathways")
    check(learner, "pathways search")
    learner.goto(f"/wallet/pathways?q={words['search']}")
    found = learner.get_by_role("link", name=words["occupation"], exact=True)
    assert found.count() == 1
    check(learner, "pathways results")
    with learner.expect_navigation():
        found.click()
    assert re.search(r"/wallet/pathways/[^/?]+$", learner.url), learner.url
    for heading in words["headings"]:
        assert learner.get_by_role("heading", name=heading, exact=True).count() == 1, heading
    figures = learner.locator("main table").first
    assert re.search(rf"{words['headings'][0]}\s+3\b", figures.inner_text()), \
        figures.inner_text()
    assert re.search(rf"{words['headings'][1]}\s+2\b", figures.inner_text())
    check(learner, "one pathway")
    learner.goto("/wallet/pathways?q=zzqxzzqx")
    assert learner.locator("main a[href^='/wallet/pathways/']").count() == 0
    check(learner, "pathways, no result")
    suggest(learner, "/wallet/self-reported/new", "#field-description")
    check(learner, "self-reported form with suggestions")
    learner.goto("/wallet/skills")
    for action in ("feature", "hide"):  # curation: one skill featured, another hidden
        with learner.expect_navigation():
            learner.locator(f"main form[action='/wallet/skills/{action}'] button").last.click()
    assert learner.locator("main form[action='/wallet/skills/show'] button").count() == 1
    assert learner.locator("main form[action='/wallet/skills/unfeature'] button").count() == 1
    check(learner, "skills profile, curated")

    empty = person(EMPTY_EMAIL)
    empty.goto("/wallet/skills")
    assert empty.locator("main table").count() == 0
    check(empty, "skills profile, empty")
    empty.goto("/wallet/skills/export")
    check(empty, "skills export, empty")

    college, acme = world["college"], world["acme"]
    issuer = person(ISSUER_EMAIL)
    issuer.goto(f"/orgs/{college}/frameworks?q={words['search']}")
    assert words["framework_hit"] in issuer.locator("main").inner_text()
    check(issuer, "frameworks search results")
    issuer.goto(f"/orgs/{college}/skills/rejections")
    assert "pass dental instruments" in issuer.locator("main").inner_text()
    check(issuer, "rejections, one")
    suggest(issuer, f"/orgs/{college}/catalog/new", "#field-description")
    check(issuer, "achievement form with suggestions")

    employer = person(EMPLOYER_EMAIL)
    employer.goto(f"/orgs/{acme}/skills/rejections")
    assert "pass dental instruments" not in employer.locator("main").inner_text()
    check(employer, "rejections, none")
    employer.goto(f"/orgs/{acme}/roles")
    assert employer.locator(f"main a[href='/orgs/{acme}/roles/{world['role']}']").count() == 1
    check(employer, "roles list")
    suggest(employer, f"/orgs/{acme}/roles", "#field-job_description")
    check(employer, "role form with suggestions")
    employer.goto(f"/orgs/{acme}/roles/{world['role']}")
    check(employer, "role matching")
    compare = employer.locator(f"main a[href^='/orgs/{acme}/inbox/shares/{world['share']}']")
    with employer.expect_navigation():
        compare.click()
    assert employer.locator("main table").count() >= 1
    check(employer, "share compared with the role")

    assert charts_seen["skills profile"] >= 1 and charts_seen["one pathway"] >= 1, charts_seen
    assert len(checked) == 18
