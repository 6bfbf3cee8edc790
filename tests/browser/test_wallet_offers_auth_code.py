"""Receiving through the issuer's sign-in (OpenID4VCI authorization code flow) in a real
Chromium at 360 px, in English and Spanish: the learner pastes an offer that needs a
sign-in, reads it, goes to the issuer (a non-OpenLER server on its own port, which
approves at once), and Chromium follows the redirects back to the wallet, where the
record waits pending. An offer the issuer refuses ends on its own sentence. axe-core
finds no violations on the pages of this flow."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from journeys import sign_in

from oid4vci_auth_issuer import IssuerState, running_issuer

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"offers": "Guild of Welders offers you: Certified welder",
           "go": "Yes, sign in at the issuer", "read": "Read the offer",
           "denied": "You did not allow the issuer", "keep": "Add it to my wallet"},
    "es": {"offers": "Gremio de Soldadores le ofrece: Soldador certificado",
           "go": "Sí, iniciar sesión en el sitio del emisor", "read": "Leer la oferta",
           "denied": "Usted no permitió", "keep": "Agregarlo a mi cartera"},
}


@pytest.fixture
def guild() -> Iterator[IssuerState]:
    with running_issuer() as state:
        yield state


@pytest.mark.parametrize("language", ["en", "es"])
def test_sign_in_at_the_issuer_and_come_back(new_page, a11y, accounts, web, guild, language):
    words = WORDS[language]
    accounts.learner("learner@example.org", "Ana Learner")
    page = new_page(viewport={"width": 360, "height": 800})
    page.goto(f"/language/{language}?next=/")
    sign_in(page, "learner@example.org", web.password)

    def check(label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}]")

    page.goto("/wallet/offers/new")
    page.fill("#field-offer", guild.offer())
    page.get_by_role("button", name=words["read"]).click()
    assert page.locator("h1").inner_text() == words["offers"]
    assert page.locator("#field-tx_code").count() == 0
    check("an offer that needs a sign-in")

    page.get_by_role("button", name=words["go"]).click()
    page.wait_for_url(re.compile(r".*/wallet/records/[0-9a-f]{32}$"))
    assert guild.pkce_checked == [True] and len(guild.authorize_requests) == 1
    assert guild.authorize_requests[0]["redirect_uri"].startswith("http://localhost:")
    page.get_by_role("button", name=words["keep"]).wait_for()

    page.goto("/wallet/offers/new")
    page.fill("#field-offer", guild.offer(deny=True))
    page.get_by_role("button", name=words["read"]).click()
    page.get_by_role("button", name=words["go"]).click()
    page.wait_for_selector("[data-problem]")
    assert page.locator("[data-problem]").get_attribute("data-problem") == "auth_denied"
    assert words["denied"] in page.locator("main").inner_text()
    check("the issuer refused")
