"""Receiving from an issuer's credential offer, in a real Chromium at 360 px, in English and
Spanish: the learner pastes the offer link, reads who offers what, types a wrong code
and then the right one, and accepts the record; a used offer gets its own sentence.
axe-core finds no violations on any of these pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.delivery import offers, oid4vci
from openler.storage import db as storage_db

pytestmark = pytest.mark.browser

WORDS = {
    "en": {"offers": "OpenLER offers you: Open Badge", "wrong": "That code is not right.",
           "receive": "Yes, receive it", "keep": "Add it to my wallet",
           "kept": "The record is in your wallet.", "gone": "expired or was already used",
           "read": "Read the offer", "empty": "Paste the offer link"},
    "es": {"offers": "OpenLER le ofrece: Insignia abierta", "wrong": "Ese código no es correcto.",
           "receive": "Sí, recibirla", "keep": "Agregarlo a mi cartera",
           "kept": "El registro está en su cartera.", "gone": "caducó o ya se usó",
           "read": "Leer la oferta", "empty": "Pegue el enlace de la oferta"},
}


@pytest.fixture
def wallet_offer(accounts, clean_db, base_url):
    """An OpenLER issuer's wallet offer (by reference) for one award, with its tx_code."""
    from openler.issuer.keys import KeyVault
    from openler.issuer.models import PublicBase
    from openler.issuer.service import IssuerConfig

    _, org_id = accounts.org_owner("owner@forklift.example", "Forklift Academy")
    config = IssuerConfig(base=PublicBase.parse(base_url),
                          vault=KeyVault("test-secret-key-not-for-production"))
    now = datetime.now(UTC)
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(
            s, config=config, org_id=org_id, now=now,
            data=AchievementInput(name="Forklift Safety", description="Operates forklifts.",
                                  criteria="Passed the practical test."))
        row = awards.award(s, config=config, org_id=org_id, achievement_id=course.id,
                           recipient_email="learner@example.org", now=now)
        new = offers.create_offer(s, org_id=org_id, award_id=row.id, now=now)
        link = oid4vci.new_wallet_offer(s, offer=new.offer, issuer=base_url, now=now)
        s.commit()
        return link.by_reference, new.tx_code


@pytest.mark.parametrize("language", ["en", "es"])
def test_paste_an_offer_enter_the_code_and_accept(new_page, a11y, accounts, wallet_offer, web,
                                                  language):
    words = WORDS[language]
    link, tx_code = wallet_offer
    accounts.learner("learner@example.org", "Ana Learner")
    page = new_page(viewport={"width": 360, "height": 800})
    page.goto(f"/language/{language}?next=/")
    page.goto("/sign-in")
    page.fill("#field-email", "learner@example.org")
    page.fill("#field-password", web.password)
    page.locator("form[action='/sign-in'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/$"))

    def check(label: str) -> None:
        assert page.locator("html").get_attribute("lang") == language
        a11y.accessible(page, f"{label} [{language}]")
        a11y.no_horizontal_scroll(page, f"{label} [{language}]")

    page.goto("/wallet/offers/new")
    check("paste an offer")
    page.get_by_role("button", name=words["read"]).click()
    assert words["empty"] in page.locator(".error-summary").inner_text()
    check("paste an offer, nothing pasted")

    page.fill("#field-offer", link)
    page.get_by_role("button", name=words["read"]).click()
    assert page.locator("h1").inner_text() == words["offers"]
    check("the offer, read")

    wrong = "000000" if tx_code != "000000" else "111111"
    page.fill("#field-tx_code", wrong)
    page.get_by_role("button", name=words["receive"]).click()
    assert words["wrong"] in page.locator(".error-summary").inner_text()
    check("the offer, wrong code")
    offer_json = page.locator("input[name=offer]").get_attribute("value")

    page.fill("#field-tx_code", tx_code)
    page.get_by_role("button", name=words["receive"]).click()
    page.wait_for_url(re.compile(r".*/wallet/records/[0-9a-f]{32}$"))
    assert "Forklift Safety" in page.locator("main").inner_text()
    page.get_by_role("button", name=words["keep"]).click()
    page.wait_for_selector(".notice")
    assert words["kept"] in page.locator("main").inner_text()

    # The same offer again (as a second tab would send it): refused, nothing added.
    page.goto("/wallet/offers/new")
    page.evaluate("""([offer, code]) => {
        const form = document.createElement('form');
        form.method = 'post'; form.action = '/wallet/offers/receive';
        for (const [name, value] of [['offer', offer], ['tx_code', code],
             ['csrf_token', document.querySelector('input[name=csrf_token]').value]]) {
            const input = document.createElement('input');
            input.type = 'hidden'; input.name = name; input.value = value;
            form.appendChild(input);
        }
        document.body.appendChild(form); form.submit();
    }""", [offer_json, tx_code])
    page.wait_for_selector("[data-problem]")
    assert page.locator("[data-problem]").get_attribute("data-problem") == "offer_gone"
    assert words["gone"] in page.locator("main").inner_text()
    check("a used offer")
