"""Printing through the app: the record page links to printing, the form asks for the link's
audience ("Printed copy"), purpose and expiry (90 days), a missing purpose gets the error
summary, the answer is a PDF attachment with the record, the check in words and the share
URL that then opens; a presentation prints with a live share the learner picks; Spanish
pages give a Spanish PDF; other learners get 404 and forms need their CSRF token."""

from __future__ import annotations

import io
import re

import pypdf

from disclosure_material import sd_jwt_record
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.wallet.crypto import MasterKey
from openler.wallet.service import WalletConfig

APP_SECRET = "test-secret-key-not-for-production"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
RECORD = re.compile(r"/wallet/records/([0-9a-f]{32})$")
PRESENTATION = re.compile(r"/wallet/presentations/([0-9a-f]{32})$")
SHARE = re.compile(r"/wallet/shares/([0-9a-f]{32})$")
LINK = re.compile(r"http://testserver(/s/[A-Za-z0-9_-]+)")


def _csrf(client, path):
    return CSRF.search(client.get(path).text).group(1)


def _post(client, path, data, form_path=None):
    data = {"csrf_token": _csrf(client, form_path or path), **data}
    return client.post(path, data=data, follow_redirects=False)


def _kept(client, web, claim) -> str:
    path = claim[2]
    web.sign_in(client, "learner@example.org")
    reply = _post(client, f"{path}/openler-wallet", {}, form_path=path)
    record_id = RECORD.search(reply.headers["location"]).group(1)
    assert _post(client, f"/wallet/records/{record_id}/accept", {},
                 form_path=f"/wallet/records/{record_id}").status_code == 303
    return record_id


def _pdf_text(reply) -> str:
    assert reply.status_code == 200, reply.text[:500]
    assert reply.headers["content-type"] == "application/pdf"
    assert reply.headers["content-disposition"].startswith("attachment; filename=")
    assert reply.headers["cache-control"] == "no-store"
    reader = pypdf.PdfReader(io.BytesIO(reply.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_print_a_record_with_a_new_link(client, make_client, web, claim, clock):
    record_id = _kept(client, web, claim)
    record_page = client.get(f"/wallet/records/{record_id}").text
    assert f'href="/wallet/records/{record_id}/print"' in record_page
    path = f"/wallet/records/{record_id}/print"
    form = client.get(path)
    assert form.status_code == 200 and form.headers["cache-control"] == "no-store"
    assert 'value="Printed copy"' in form.text
    assert re.search(r'value="90" id="[^"]+" checked', form.text)
    assert re.search(r'value="new" id="field-link" checked', form.text)

    missing = _post(client, path, {"link": "new", "audience": "Printed copy", "purpose": "",
                                   "expiry": "90", "paper": "a4"})
    assert missing.status_code == 400
    assert "There is a problem" in missing.text and 'href="#field-purpose"' in missing.text
    assert "Printed copy:" not in client.get("/wallet/presentations").text  # nothing made

    reply = _post(client, path, {"link": "new", "audience": "Printed copy",
                                 "purpose": "Job fair", "expiry": "90", "paper": "letter"})
    text = _pdf_text(reply)
    assert f'openler-record-{record_id}.pdf' in reply.headers["content-disposition"]
    assert "Welding Basics" in text and "Example College" in text
    assert "Passed the practical assessment." in text
    assert "genuine, and still valid" in text
    assert "The link works until 21 February 2027" in text
    assert "Printed on 23 November 2026" in text
    link = LINK.search(text).group(1)
    shown = make_client().get(link)
    assert shown.status_code == 200 and "Welding Basics" in shown.text
    assert "Shared with Printed copy for: Job fair" in shown.text
    assert "Printed copy: Welding Basics" in client.get("/wallet/presentations").text


def test_print_a_presentation_reusing_a_live_share_in_spanish(client, web, claim):
    record_id = _kept(client, web, claim)
    made = _post(client, "/wallet/presentations/new",
                 {"name": "Para Acme", f"record-{record_id}": "yes"})
    presentation_id = PRESENTATION.search(made.headers["location"]).group(1)
    assert f"/wallet/presentations/{presentation_id}/print" in client.get(
        f"/wallet/presentations/{presentation_id}").text
    shared = _post(client, f"/wallet/presentations/{presentation_id}/share",
                   {"audience": "Acme Hiring", "purpose": "Welder job", "expiry": "30"})
    share_id = SHARE.search(shared.headers["location"]).group(1)
    share_page = client.get(f"/wallet/shares/{share_id}").text
    link = LINK.search(share_page).group(1)
    assert f"/wallet/presentations/{presentation_id}/print?share={share_id}" in share_page

    path = f"/wallet/presentations/{presentation_id}/print"
    form = client.get(f"{path}?share={share_id}").text
    assert re.search(rf'value="{share_id}" id="[^"]+" checked', form)
    client.get("/language/es?next=/")
    form_es = client.get(path).text
    assert "Copia impresa" in form_es and "¿Qué enlace" in form_es
    reply = _post(client, path, {"link": share_id, "audience": "", "purpose": "",
                                 "expiry": "", "paper": "a4"})
    text = _pdf_text(reply)
    assert f"http://testserver{link}" in text  # the very same link, not a new one
    assert "Para Acme" in text and "Impreso el 23 de noviembre de 2026" in text
    reader = pypdf.PdfReader(io.BytesIO(reply.content))
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert client.get("/wallet/presentations").text.count("Acme Hiring") == 1


def test_printing_an_sd_jwt_record_prints_only_chosen_details(client, web, accounts,
                                                              clean_db, clock):
    user_id = accounts.learner("learner@example.org", "Ana Learner")
    config = WalletConfig(master=MasterKey(APP_SECRET), issuer=IssuerConfig(
        base=PublicBase.parse("http://testserver"), vault=KeyVault(APP_SECRET)))
    with storage_db.make_sessionmaker(clean_db)() as s:
        record = sd_jwt_record(s, config=config, user_id=user_id, now=clock())
        s.commit()
    web.sign_in(client, "learner@example.org")
    path = f"/wallet/records/{record.id}/print"
    form = client.get(path).text
    assert "Details to print and share from" in form and "Date of birth" in form
    reply = _post(client, path, {"link": "new", "audience": "Printed copy",
                                 "purpose": "Port job", "expiry": "90", "paper": "a4",
                                 "claim-grade": "yes"})
    text = _pdf_text(reply)
    assert "Forklift Operator Licence" in text and "Distinction" in text
    assert "1994-03-05" not in text and "ana.private@example.org" not in text


def test_other_learners_get_404_and_forms_need_csrf(client, make_client, web, claim):
    record_id = _kept(client, web, claim)
    made = _post(client, "/wallet/presentations/new",
                 {"name": "Mine", f"record-{record_id}": "yes"})
    presentation_id = PRESENTATION.search(made.headers["location"]).group(1)
    paths = (f"/wallet/records/{record_id}/print",
             f"/wallet/presentations/{presentation_id}/print")
    data = {"link": "new", "audience": "Printed copy", "purpose": "x", "expiry": "90",
            "paper": "a4"}
    for path in paths:
        assert client.post(path, data=data, follow_redirects=False).status_code == 403
    other = make_client()
    web.sign_in(other, "other@example.org")
    token = _csrf(other, "/wallet")
    for path in paths:
        assert other.get(path).status_code == 404, path
        assert other.post(path, data={"csrf_token": token, **data}).status_code == 404, path
    visitor = make_client()
    assert visitor.get(paths[0], follow_redirects=False).status_code == 303


def _store(clean_db, user_id, clock, credential, record_format):
    from datetime import UTC, datetime

    from openler.wallet import service
    from openler.wallet.models import CheckReport

    config = WalletConfig(master=MasterKey(APP_SECRET), issuer=IssuerConfig(
        base=PublicBase.parse("http://testserver"), vault=KeyVault(APP_SECRET)))
    report = CheckReport("incomplete", (), datetime.now(UTC).replace(microsecond=0).isoformat())
    with storage_db.make_sessionmaker(clean_db)() as s:
        record = service.store(s, config=config, user_id=user_id, credential=credential,
                               source="import", record_format=record_format, state="kept",
                               now=clock(), report=report)
        s.commit()
    return record.id


def test_pdf_carries_results_skills_and_validity(client, web, accounts, clean_db, clock):
    user_id = accounts.learner("learner@example.org", "Ana Learner")
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:4b0c3c2e-5d4f-4a53-9d53-3f0f4f7c1a11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://bakers.example/issuer", "type": ["Profile"],
                   "name": "Guild of Bakers"},
        "validFrom": "2026-05-01T00:00:00Z", "validUntil": "2029-05-01T00:00:00Z",
        "name": "Sourdough Baking",
        "credentialSubject": {
            "id": "did:example:ana", "type": ["AchievementSubject"],
            "result": [{"type": ["Result"], "resultDescription": "urn:uuid:rd-1",
                        "value": "92 / 100"}],
            "achievement": {
                "id": "urn:uuid:ach-1", "type": ["Achievement"], "name": "Sourdough Baking",
                "description": "Bakes sourdough bread.",
                "criteria": {"narrative": "Baked three loaves in front of a judge."},
                "resultDescription": [{"id": "urn:uuid:rd-1", "type": ["ResultDescription"],
                                       "name": "Final mark", "resultType": "GradePointAverage"}],
                "alignment": [{"type": ["Alignment"], "targetName": "Bake bread",
                               "targetFramework": "ESCO", "targetCode": "B12",
                               "targetUrl": "https://esco.example/b12"}]}},
    }
    record_id = _store(clean_db, user_id, clock, credential, "ldp_vc")
    web.sign_in(client, "learner@example.org")
    text = _pdf_text(_post(client, f"/wallet/records/{record_id}/print", {
        "link": "new", "audience": "Printed copy", "purpose": "Bakery job", "expiry": "never",
        "paper": "a4"}))
    for expected in ("Sourdough Baking", "Guild of Bakers", "Bakes sourdough bread.",
                     "Baked three loaves in front of a judge.", "Final mark: 92 / 100",
                     "Bake bread (ESCO B12)", "From 2026-05-01 until 2029-05-01",
                     "The link works until the learner stops it."):
        assert expected in text, expected
    assert "a problem was found" in text  # checked at print time: it carries no proof


def test_an_older_format_badge_prints_and_shares_marked_as_such(client, make_client, web,
                                                                 accounts, clean_db, clock):
    user_id = accounts.learner("learner@example.org", "Ana Learner")
    assertion = {
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
        "id": "https://old.example/assertions/1", "issuedOn": "2019-05-01T00:00:00Z",
        "recipient": {"type": "email", "identity": "ana@example.org", "hashed": False},
        "verification": {"type": "hosted"},
        "badge": {"type": "BadgeClass", "id": "https://old.example/badges/bread",
                  "name": "Bread Basics", "description": "Bakes a plain loaf.",
                  "criteria": {"narrative": "Baked a loaf."},
                  "issuer": {"type": "Profile", "id": "https://old.example/issuer",
                             "name": "Old Guild of Bakers"}},
    }
    record_id = _store(clean_db, user_id, clock, assertion, "ob2")
    web.sign_in(client, "learner@example.org")
    reply = _post(client, f"/wallet/records/{record_id}/print", {
        "link": "new", "audience": "Printed copy", "purpose": "Bakery job", "expiry": "30",
        "paper": "a4"})
    text = _pdf_text(reply)
    for expected in ("Bread Basics", "Old Guild of Bakers", "Baked a loaf.",
                     "Older format, not cryptographically verifiable",
                     "some checks could not run"):
        assert expected in text, expected
    shown = make_client().get(LINK.search(text).group(1))
    assert shown.status_code == 200
    assert "Bread Basics" in shown.text and "Old Guild of Bakers" in shown.text
    assert "Older format, not cryptographically verifiable" in shown.text
