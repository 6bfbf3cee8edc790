"""Verifier pages through the app: an employer checks pasted text, an uploaded file and share
links (this instance, another instance through the guarded fetcher) and reads the report;
keeps a trust registry (add, import with a per-entry report, remove); every bad input gets a
specific message with nothing changed and never a 500; other roles get 403, other
organizations 404, visitors are sent to sign in."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "verifier"))
from report_material import Party, credential, presentation, registry_file  # noqa: E402

from openler.accounts import service as accounts_service  # noqa: E402
from openler.core.dids import FetchResponse  # noqa: E402
from openler.core.errors import DidResolutionError  # noqa: E402
from openler.storage import db as storage_db  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
LINK = re.compile(r"http://testserver(/s/[A-Za-z0-9_-]+)")


def _csrf(client, path):
    return CSRF.search(client.get(path).text).group(1)


def _member(clean_db, org_id, owner_id, email, role, accounts):
    accounts.learner(email, f"Staff {role}")
    with storage_db.make_sessionmaker(clean_db)() as s:
        owner = accounts_service.current_user(s, user_id=owner_id)
        accounts_service.add_member(s, user=owner, org_id=org_id, email=email, role=role)
        s.commit()


@pytest.fixture
def employer(accounts, clean_db):
    owner_id, org_id = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")
    _member(clean_db, org_id, owner_id, "checker@acme.example", "verifier_staff", accounts)
    _member(clean_db, org_id, owner_id, "badges@acme.example", "issuer_staff", accounts)
    return org_id


@pytest.fixture
def hr(client, web, employer):
    web.sign_in(client, "hr@acme.example")
    return client


def _verify(client, org_id, *, files=None, **fields):
    data = {"csrf_token": _csrf(client, f"/orgs/{org_id}/verify"), **fields}
    return client.post(f"/orgs/{org_id}/verify", data=data, files=files)


def test_who_may_use_the_pages(client, make_client, web, employer, accounts):
    for path in (f"/orgs/{employer}/verify", f"/orgs/{employer}/trust"):
        assert client.get(path, follow_redirects=False).status_code == 303  # sign in first
    web.sign_in(client, "checker@acme.example")
    assert client.get(f"/orgs/{employer}/verify").status_code == 200
    assert client.get(f"/orgs/{employer}/trust").status_code == 200
    staff = make_client()
    web.sign_in(staff, "badges@acme.example")
    assert staff.get(f"/orgs/{employer}/verify").status_code == 403
    assert staff.get(f"/orgs/{employer}/trust").status_code == 403
    accounts.org_owner("hr@other.example", "Other Hiring", kind="employer")
    other = make_client()
    web.sign_in(other, "hr@other.example")
    for path in (f"/orgs/{employer}/verify", f"/orgs/{employer}/trust"):
        assert other.get(path).status_code == 404
    token = _csrf(other, "/account")
    reply = other.post(f"/orgs/{employer}/trust/issuers",
                       data={"csrf_token": token, "did": "did:web:x.example", "name": "X"})
    assert reply.status_code == 404


def test_paste_a_credential_unknown_issuer_then_known(hr, employer):
    issuer = Party()
    doc = credential(issuer)
    page = _verify(hr, employer, text=json.dumps(doc))
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"
    assert "Verified, but the issuer is not on your list" in page.text
    assert "Data Analysis with Python" in page.text and issuer.did in page.text
    assert "<details>" in page.text
    token = _csrf(hr, f"/orgs/{employer}/trust")
    hr.post(f"/orgs/{employer}/trust/issuers", data={
        "csrf_token": token, "did": issuer.did, "name": "Example University",
        "accreditation": "Accredited by the agency"})
    again = _verify(hr, employer, text=json.dumps(doc))
    assert "Every check passed and your organization recognises the issuer." in again.text
    assert "your organization added it as “Example University”" in again.text
    assert "Accreditation: Accredited by the agency" in again.text


def test_upload_a_tampered_file_in_spanish(hr, employer):
    doc = dict(credential(Party()), name="Otro nombre")
    hr.get("/language/es")
    page = _verify(hr, employer, files={"file": ("vc.json", json.dumps(doc).encode(),
                                                 "application/json")})
    assert page.status_code == 200
    assert "No verificado" in page.text
    assert "Cambiado después de su emisión" in page.text
    assert "Qué hacer:" in page.text


@pytest.mark.parametrize(("fields", "files", "message"), [
    ({}, None, "Paste the text, choose a file, or give a share link."),
    ({"text": "hello"}, None, "This is not a credential or presentation"),
    ({}, {"file": ("x.json", b"\xff\xfe\x00", "application/json")},
     "We cannot read this file."),
    ({"link": "https://example.org/not-a-share"}, None, "This is not a share link."),
    ({"link": "ftp://example.org/s/abcdefghijkl"}, None, "This is not a share link."),
    ({"link": "http://testserver/s/abcdefghijklmnop"}, None, "Nothing is shared at this link."),
])
def test_bad_input_gets_a_specific_message(hr, employer, fields, files, message):
    page = _verify(hr, employer, files=files, **fields)
    assert page.status_code == 400
    assert message in page.text and "There is a problem" in page.text


def test_a_too_large_upload_is_refused_plainly(hr, employer):
    page = _verify(hr, employer, files={"file": ("big.json", b"{" + b" " * 2_100_000 + b"}",
                                                 "application/json")})
    assert page.status_code == 400 and "larger than 2 MB" in page.text


class FakeFetcher:
    def __init__(self, answers):
        self.answers = answers
        self.asked: list[str] = []

    def fetch(self, url, *, headers=None):
        self.asked.append(url)
        answer = self.answers.get(url)
        if answer is None:
            raise DidResolutionError(url, "refused")
        return answer


def _fake_fetcher(app, client, answers):
    client.get("/")  # nothing to do with the fetcher yet; the app builds it on first use
    from openler.web.api import deps

    class _Req:
        def __init__(self, app):
            self.app = app

    deps._shared(_Req(app))
    fake = FakeFetcher(answers)
    app.state.vc_api["fetcher"] = fake
    return fake


def test_a_share_link_on_another_instance(app, hr, employer):
    learner, issuer = Party(), Party()
    vp = presentation(learner, [credential(issuer, subject=learner.did)], challenge="share-1",
                      domain="https://wallet.example")
    base = "https://wallet.example/s/Token_abc-1234"
    fake = _fake_fetcher(app, hr, {
        f"{base}/presentation.json": FetchResponse(200, json.dumps(vp).encode(), {}),
        "https://wallet.example/s/Gone_abc-12345/presentation.json": FetchResponse(410, b"", {}),
    })
    page = _verify(hr, employer, link=base)
    assert page.status_code == 200, page.text
    assert fake.asked == [f"{base}/presentation.json"]
    assert "Record 1: Data Analysis with Python" in page.text and learner.did in page.text
    assert "(Record 1)" in page.text  # where the unknown-issuer warning applies
    assert "Shared by the person it was issued to" in page.text
    gone = _verify(hr, employer, link="https://wallet.example/s/Gone_abc-12345")
    assert gone.status_code == 400 and "no longer works" in gone.text
    down = _verify(hr, employer, link="https://down.example/s/abcdefghijkl")
    assert down.status_code == 400 and "We could not open this link" in down.text


def test_a_presentation_for_another_request_is_shown_as_reused(hr, employer):
    learner = Party()
    vp = presentation(learner, [credential(Party(), subject=learner.did)], challenge="theirs")
    page = _verify(hr, employer, text=json.dumps(vp), challenge="mine",
                   domain="https://hire.example")
    assert "Made for a different request" in page.text
    assert "It may have been copied and reused." in page.text


def _post(client, path, data, form_path=None):
    data = {"csrf_token": _csrf(client, form_path or path), **data}
    return client.post(path, data=data, follow_redirects=False)


def _learner_shares(client, web, claim) -> str:
    """The learner keeps the awarded record, puts it in a presentation and shares it: the link."""
    web.sign_in(client, "learner@example.org")
    reply = _post(client, f"{claim[2]}/openler-wallet", {}, form_path=claim[2])
    record_id = re.search(r"/wallet/records/([0-9a-f]{32})$", reply.headers["location"]).group(1)
    assert _post(client, f"/wallet/records/{record_id}/accept", {},
                 form_path=f"/wallet/records/{record_id}").status_code == 303
    made = _post(client, "/wallet/presentations/new",
                 {"name": "For Acme", f"record-{record_id}": "yes"})
    presentation_id = made.headers["location"].rsplit("/", 1)[1]
    shared = _post(client, f"/wallet/presentations/{presentation_id}/share",
                   {"audience": "Acme Hiring", "purpose": "Welder job", "expiry": "30"})
    share_page = client.get(shared.headers["location"]).text
    return LINK.search(share_page).group(1)


def test_a_share_link_of_this_instance_verified_and_known(client, make_client, web, claim,
                                                          employer, clean_db, clock):
    link = _learner_shares(client, web, claim)
    hr = make_client()
    web.sign_in(hr, "hr@acme.example")
    page = _verify(hr, employer, link=f"http://testserver{link}")
    assert page.status_code == 200, page.text
    assert "Verified, but the issuer is not on your list" in page.text
    assert "Welding Basics" in page.text
    did = f"did:web:testserver:orgs:{claim[0]}"
    assert did in page.text
    token = _csrf(hr, f"/orgs/{employer}/trust")
    imported = hr.post(f"/orgs/{employer}/trust/import", data={
        "csrf_token": token, "registry_name": "College Registry"},
        files={"registry_file": ("r.json", registry_file({did: {"name": "Example College"}}),
                                 "application/json")})
    assert imported.status_code == 200 and "1 issuer was added." in imported.text
    known = _verify(hr, employer, link=f"http://testserver{link}")
    assert "Every check passed and your organization recognises the issuer." in known.text
    assert "by the registry “College Registry”" in known.text
    from openler.issuer import lifecycle

    with storage_db.make_sessionmaker(clean_db)() as s:
        lifecycle.revoke(s, org_id=claim[0], award_id=claim[1], reason="Error", now=clock())
        s.commit()
    revoked = _verify(hr, employer, link=f"http://testserver{link}")
    assert "Revoked by the issuer" in revoked.text and "Not verified" in revoked.text
    assert "Do not rely on it. The person can ask the issuer why." in revoked.text


def test_trust_page_add_import_report_and_remove(hr, employer):
    path = f"/orgs/{employer}/trust"
    token = _csrf(hr, path)
    bad = hr.post(f"{path}/issuers", data={"csrf_token": token, "did": "college", "name": ""})
    assert bad.status_code == 400
    assert "Issuer DID: enter a DID" in bad.text and "Issuer name: this is empty" in bad.text
    assert "Your list is empty" in bad.text
    file = registry_file({"did:web:a.example": {"name": "A"}, "oops": {"name": "B"},
                          "did:web:c.example": {"url": "https://c.example"}})
    done = hr.post(f"{path}/import", data={"csrf_token": token, "registry_name": "Consortium"},
                   files={"registry_file": ("r.json", file, "application/json")})
    assert done.status_code == 200
    assert "1 issuer was added." in done.text and "2 entries were left out:" in done.text
    assert "oops</code>: not a valid DID" in done.text
    assert "did:web:c.example</code>: no name is given" in done.text
    listing = hr.get(path).text
    assert "did:web:a.example" in listing and "Consortium" in listing
    none_added = hr.post(f"{path}/import", data={"csrf_token": token, "registry_name": "Again"},
                         files={"registry_file": ("r.json", file, "application/json")})
    assert none_added.status_code == 400
    assert "No issuer in this file could be added" in none_added.text
    assert "already on your list" in none_added.text
    assert hr.get(path).text.count("Again") == 0
    not_registry = hr.post(f"{path}/import", data={"csrf_token": token, "registry_name": "X"},
                           files={"registry_file": ("r.json", b"[1, 2]", "application/json")})
    assert not_registry.status_code == 400 and "not an issuer registry" in not_registry.text
    no_file = hr.post(f"{path}/import", data={"csrf_token": token, "registry_name": ""})
    assert no_file.status_code == 400
    assert "Choose a registry file." in no_file.text and "Name of the registry: this is empty" in (
        no_file.text)
    registry_id = re.search(r"/trust/registries/([0-9a-f]{32})/remove", listing).group(1)
    assert hr.post(f"{path}/registries/{registry_id}/remove",
                   data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert "did:web:a.example" not in hr.get(path).text
    assert hr.post(f"{path}/registries/{registry_id}/remove",
                   data={"csrf_token": token}).status_code == 404
    assert hr.post(f"{path}/issuers/nope/remove", data={"csrf_token": token}).status_code == 404


def test_forms_need_the_csrf_token(hr, employer):
    assert hr.post(f"/orgs/{employer}/trust/issuers",
                   data={"did": "did:web:a.example", "name": "A"}).status_code == 403
    assert hr.post(f"/orgs/{employer}/verify", data={"text": "{}"}).status_code == 403
    assert "did:web:a.example" not in hr.get(f"/orgs/{employer}/trust").text


def test_paste_an_sd_jwt_credential(hr, employer, clock):
    from verifier_material import VCT, sd_jwt_for

    text = sd_jwt_for(Party().pair.public_key(), clock())
    page = _verify(hr, employer, text=text)
    assert page.status_code == 200, page.text
    assert VCT in page.text and "Ana Ruiz" in page.text
    assert "Verified, but the issuer is not on your list" in page.text


def test_could_not_check_is_not_invalid(app, hr, employer):
    fake = _fake_fetcher(app, hr, {})  # every other host is unreachable
    far = Party(did_web="did:web:far-college.example")
    page = _verify(hr, employer, text=json.dumps(credential(far)))
    assert page.status_code == 200, page.text
    assert "Could not be fully checked" in page.text
    assert "The issuer could not be reached" in page.text
    assert "This does not mean the record is false." in page.text
    assert "Not verified" not in page.text
    assert any(url.startswith("https://far-college.example/") for url in fake.asked)
    listed = _verify(hr, employer, text=json.dumps(credential(Party(), status=True)))
    assert "Revocation could not be checked" in listed.text
    assert "https://university.example/status/3" in fake.asked


ODD_INPUTS = [
    '{"@context": ["https://unknown.example/context"], "type": ["VerifiableCredential"], '
    '"issuer": "did:web:x.example", "credentialSubject": {}, "proof": {"type": "DataIntegrityProof",'
    ' "cryptosuite": "eddsa-rdfc-2022", "verificationMethod": "did:web:x.example#k", '
    '"proofPurpose": "assertionMethod", "proofValue": "z1"}}',
    '{"type": ["VerifiablePresentation"], "verifiableCredential": [1, "x", null]}',
    '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"], '
    '"verifiableCredential": [{"type": "EnvelopedVerifiableCredential", "id": "data:,junk"}]}',
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]"
    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "eyJhbGciOiJub25lIn0.eyJ2YyI6MX0.~",
    "eyJhbGciOiJFZERTQSJ9.e30.c2ln",
    '"just a string"', "12", "null", '{"proof": {"verificationMethod": "did:web:%zz#1"}}',
]


@pytest.mark.parametrize("text", ODD_INPUTS)
def test_odd_input_never_gives_a_500(hr, employer, text):
    page = _verify(hr, employer, text=text)
    assert page.status_code in (200, 400), page.text
    assert "There is a problem" in page.text or "vr-state" in page.text


def test_pasted_text_over_the_limit_is_refused(hr, employer):
    page = _verify(hr, employer, text="{" + " " * 2_000_001 + "}")
    assert page.status_code == 400 and "larger than 2 MB" in page.text
