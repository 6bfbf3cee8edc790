"""The import page through the app: credentials from issuers on no OpenLER instance (a did:key
made here) arrive as a file, a baked image or pasted text, in every accepted format; each is
verified on arrival and waits on its record page; bad input gets a specific message in the
error summary and stores nothing; a presentation lets the learner choose; the list page
groups and searches; downloads keep the format's media type."""

from __future__ import annotations

import copy
import json
import re

import pytest

from openler.storage import db as storage_db
from openler.storage.tables_wallet import WalletRecord
from wallet_import_samples import OtherIssuer, baked_png, baked_svg, ob2_assertion

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
RECORD = re.compile(r"/wallet/records/([0-9a-f]{32})$")
ISSUER = OtherIssuer()


@pytest.fixture
def learner(client, web, accounts):
    accounts.learner("learner@example.org", "Ana Learner")
    web.sign_in(client, "learner@example.org")
    return client


def _token(client) -> str:
    return CSRF.search(client.get("/wallet/import").text).group(1)


def _post(client, *, text: str | None = None, file: tuple[str, bytes, str] | None = None,
          token: str | None = None):
    data = {"csrf_token": token if token is not None else _token(client)}
    if text is not None:
        data["text"] = text
    files = {"file": file} if file else {"file": ("", b"", "application/octet-stream")}
    return client.post("/wallet/import", data=data, files=files, follow_redirects=False)


def _imported(client, **kwargs) -> str:
    reply = _post(client, **kwargs)
    assert reply.status_code == 303, reply.text
    return RECORD.search(reply.headers["location"]).group(1)


def _count(clean_db) -> int:
    with storage_db.make_sessionmaker(clean_db)() as s:
        return s.query(WalletRecord).count()


def _accept(client, record_id: str) -> None:
    token = CSRF.search(client.get(f"/wallet/records/{record_id}").text).group(1)
    reply = client.post(f"/wallet/records/{record_id}/accept", data={"csrf_token": token},
                        follow_redirects=False)
    assert reply.status_code == 303


def test_the_page_needs_a_signed_in_learner(client):
    reply = client.get("/wallet/import", follow_redirects=False)
    assert reply.status_code in (302, 303) and "/sign-in" in reply.headers["location"]


def test_the_page_explains_what_can_be_added(learner):
    page = learner.get("/wallet/import")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert 'enctype="multipart/form-data"' in page.text and 'type="file"' in page.text
    assert "Open Badges 2.0" in page.text and 'aria-current="page"' in page.text


def test_a_data_integrity_file_is_verified_waits_and_is_kept(learner):
    record_id = _imported(learner, file=("badge.json", json.dumps(ISSUER.ldp()).encode(),
                                         "application/json"))
    page = learner.get(f"/wallet/records/{record_id}").text
    assert "New record – not in your wallet yet" in page
    assert "Checked: this record is genuine." in page and "Marine Electrics" in page
    assert "you can add the file again later" in page
    assert "Waiting for your answer" in learner.get("/wallet").text
    _accept(learner, record_id)
    listing = learner.get("/wallet").text
    assert "From Harbour Skills Institute" in listing and "Checked when it arrived: genuine" in listing


def test_a_pasted_vc_jose_token_is_verified_and_downloads_as_jwt(learner):
    token = ISSUER.vc_jwt(name="Boat Engines")
    record_id = _imported(learner, text=token)
    page = learner.get(f"/wallet/records/{record_id}").text
    assert "Checked: this record is genuine." in page and "Boat Engines" in page
    _accept(learner, record_id)
    download = learner.get(f"/wallet/records/{record_id}/file")
    assert download.headers["content-type"].startswith("application/vc+jwt")
    assert download.text == token
    assert f'filename="record-{record_id}.jwt"' in download.headers["content-disposition"]


def test_an_sd_jwt_lists_its_claims_and_downloads_as_sd_jwt(learner):
    token = ISSUER.sd_jwt(level="Advanced")
    record_id = _imported(learner, text=token)
    page = learner.get(f"/wallet/records/{record_id}").text
    assert "Checked: this record is genuine." in page and "Forklift Operation" in page
    assert "Everything the issuer included" in page
    assert "<code>level</code>" in page and "Advanced" in page
    _accept(learner, record_id)
    download = learner.get(f"/wallet/records/{record_id}/file")
    assert download.headers["content-type"].startswith("application/dc+sd-jwt")
    assert download.text == token and ".sd-jwt" in download.headers["content-disposition"]


def test_an_open_badges_2_assertion_is_kept_as_an_older_format(learner):
    record_id = _imported(learner, text=json.dumps(ob2_assertion()))
    page = learner.get(f"/wallet/records/{record_id}").text
    assert "First Aid at Work" in page and "Old Badges Academy" in page
    assert "Older format, not cryptographically verifiable" in page
    assert "An older kind of badge" in page
    assert "We could not finish checking this record." in page
    assert "Could not check the signature" in page and "Still valid" in page
    assert "Apply first aid" in page  # the alignment, shown as a skill


def test_an_expired_open_badges_2_assertion_says_so(learner):
    record_id = _imported(learner, text=json.dumps(ob2_assertion(expires="2020-01-01T00:00:00Z")))
    page = learner.get(f"/wallet/records/{record_id}").text
    assert "We found a problem with this record." in page and "Expired" in page


@pytest.mark.parametrize("name,content,media", [
    ("badge.png", lambda: baked_png(json.dumps(ISSUER.ldp(name="Baked PNG"))), "image/png"),
    ("badge.svg", lambda: baked_svg(ISSUER.vc_jwt(name="Baked SVG")), "image/svg+xml"),
])
def test_a_baked_ob3_image_is_opened(learner, name, content, media):
    record_id = _imported(learner, file=(name, content(), media))
    page = learner.get(f"/wallet/records/{record_id}").text
    assert "Checked: this record is genuine." in page
    assert ("Baked PNG" if name.endswith("png") else "Baked SVG") in page


def test_a_baked_ob2_png_is_an_older_format(learner):
    image = baked_png(json.dumps(ob2_assertion()), "openbadges", compressed=True)
    record_id = _imported(learner, file=("old.png", image, "image/png"))
    assert "An older kind of badge" in learner.get(f"/wallet/records/{record_id}").text


def test_a_tampered_credential_is_kept_pending_with_its_problem(learner):
    tampered = copy.deepcopy(ISSUER.ldp())
    tampered["credentialSubject"]["achievement"]["name"] = "Master Mariner"
    record_id = _imported(learner, text=json.dumps(tampered))
    page = learner.get(f"/wallet/records/{record_id}").text
    assert "We found a problem with this record." in page
    assert "Changed after it was issued" in page and "Master Mariner" in page


def test_a_tampered_vc_jose_token_is_kept_pending_with_its_problem(learner):
    header, payload, signature = ISSUER.vc_jwt().split(".")
    forged = ISSUER.vc_jwt(name="Forged").split(".")[1]
    record_id = _imported(learner, text=f"{header}.{forged}.{signature}")
    page = learner.get(f"/wallet/records/{record_id}").text
    assert "We found a problem with this record." in page and "Changed after it was issued" in page


BAD_INPUT = [
    ({"text": "   "}, "Choose a file, or paste the text of a record."),
    ({"text": "hello, this is not a record"}, "it is not JSON, a JWT or an SD-JWT"),
    ({"text": json.dumps({"name": "a shopping list"})}, "it is not a credential"),
    ({"text": "x" * 1_000_001}, "This is larger than 1 MB."),
    ({"file": ("big.json", b" " * 1_000_001 + b"{}", "application/json")},
     "This is larger than 1 MB."),
    ({"file": ("plain.png", baked_png("x", "comment"), "image/png")},
     "This image has no badge inside it."),
    ({"file": ("broken.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\xffIHDR", "image/png")},
     "This image is damaged"),
    ({"file": ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg")},
     "We cannot add this kind of record."),
    ({"file": ("bin.dat", b"\xff\xfe\x00\x81" * 10, "application/octet-stream")},
     "We cannot read this file."),
    ({"text": "https://old-badges.example/assertions/77"}, "This only gives the web address"),
    ({"text": json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass"})},
     "We cannot add this kind of record."),
    ({"text": json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"],
                          "type": ["VerifiablePresentation"]})},
     "This presentation holds no record we can read."),
]


@pytest.mark.parametrize("given,message", BAD_INPUT)
def test_bad_input_is_explained_and_nothing_is_stored(learner, clean_db, given, message):
    reply = _post(learner, **given)
    assert reply.status_code == 400
    assert "There is a problem" in reply.text and message in reply.text
    assert 'aria-invalid="true"' in reply.text
    assert _count(clean_db) == 0


def test_the_same_credential_twice_is_refused(learner, clean_db):
    text = json.dumps(ISSUER.ldp(cid="urn:uuid:twice"))
    _imported(learner, text=text)
    again = _post(learner, file=("same.json", text.encode(), "application/json"))
    assert again.status_code == 400 and "This record is already in your wallet." in again.text
    assert _count(clean_db) == 1


def test_errors_are_in_spanish(learner):
    learner.get("/language/es?next=/")
    reply = _post(learner, text="nada")
    assert reply.status_code == 400 and "Hay un problema" in reply.text
    assert "No es un registro que podamos leer" in reply.text
    ob2 = _imported(learner, text=json.dumps(ob2_assertion()))
    page = learner.get(f"/wallet/records/{ob2}").text
    assert "Un tipo de insignia antiguo" in page and "No se pudo comprobar la firma" in page


def test_the_form_needs_its_csrf_token(learner, clean_db):
    reply = _post(learner, text=json.dumps(ob2_assertion()), token="wrong")
    assert reply.status_code == 403 and _count(clean_db) == 0


def _presentation() -> dict:
    return {"@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "verifiableCredential": [
                ISSUER.ldp(name="Hull Repair", cid="urn:uuid:vp-1"),
                {"@context": ["https://www.w3.org/ns/credentials/v2"],
                 "type": ["EnvelopedVerifiableCredential"],
                 "id": "data:application/vc+jwt," + ISSUER.vc_jwt(name="Sail Making",
                                                                   cid="urn:uuid:vp-2")}]}


def test_a_presentation_offers_each_credential(learner, clean_db):
    choose = _post(learner, text=json.dumps(_presentation()))
    assert choose.status_code == 200
    assert "Choose the records to add" in choose.text
    assert "Hull Repair" in choose.text and "Sail Making" in choose.text
    assert _count(clean_db) == 0
    token = CSRF.search(choose.text).group(1)
    source = json.dumps(_presentation())
    none = learner.post("/wallet/import/presentation",
                        data={"csrf_token": token, "presentation": source})
    assert none.status_code == 400 and "Choose at least one record to add." in none.text
    both = learner.post("/wallet/import/presentation",
                        data={"csrf_token": token, "presentation": source, "pick": ["0", "1"]},
                        follow_redirects=False)
    assert both.status_code == 303 and both.headers["location"] == "/wallet"
    listing = learner.get("/wallet").text
    assert "Hull Repair" in listing and "Sail Making" in listing and _count(clean_db) == 2
    one = learner.post("/wallet/import/presentation",
                       data={"csrf_token": token, "presentation": source, "pick": "1"})
    assert one.status_code == 400 and "already in your wallet" in one.text


def test_one_pick_from_a_presentation_lands_on_its_record(learner):
    token = _token(learner)
    reply = learner.post("/wallet/import/presentation", follow_redirects=False,
                         data={"csrf_token": token, "presentation": json.dumps(_presentation()),
                               "pick": "1"})
    assert reply.status_code == 303 and RECORD.search(reply.headers["location"])
    assert "Sail Making" in learner.get(reply.headers["location"]).text


def test_the_list_groups_by_type_and_year_and_searches(learner):
    for text in (json.dumps(ISSUER.ldp(name="Électricité Navale", cid="urn:uuid:a",
                                       achievement_type="Badge",
                                       valid_from="2024-03-01T00:00:00Z")),
                 ISSUER.vc_jwt(name="Boat Engines", cid="urn:uuid:b", skill="Diesel repair"),
                 json.dumps(ob2_assertion())):
        _accept(learner, _imported(learner, text=text))
    by_type = learner.get("/wallet?group=type").text
    assert "<h2" in by_type and ">Badge</h2>" in by_type and ">Certificate</h2>" in by_type
    by_year = learner.get("/wallet?group=date").text
    assert "Issued in 2026" in by_year and "Issued in 2024" in by_year
    assert by_year.index("Issued in 2026") < by_year.index("Issued in 2024")
    assert '<option value="date" selected>' in by_year
    found = learner.get("/wallet?q=electricite").text
    assert "Électricité Navale" in found and "Boat Engines" not in found
    assert "Showing the records that match" in found
    skill = learner.get("/wallet?q=DIESEL").text
    assert "Boat Engines" in skill and "Électricité Navale" not in skill
    nothing = learner.get("/wallet?q=astronomy&group=type").text
    assert "No records match" in nothing and 'href="/wallet?group=type"' in nothing
    odd = learner.get("/wallet?group=nonsense")
    assert odd.status_code == 200 and "From Harbour Skills Institute" in odd.text


NASTY = [
    "[" * 5000 + "]" * 5000,
    json.dumps({"@context": 5, "type": "VerifiableCredential", "credentialSubject": {}}),
    json.dumps({**ISSUER.credential(), "validFrom": "2021-02-30T00:00:00Z"}),
    json.dumps({"type": ["VerifiableCredential"], "credentialSubject": [1, 2],
                "proof": {"type": "DataIntegrityProof", "cryptosuite": "nope"}}),
    "eyJhbGciOiJub25lIn0.eyJ0eXBlIjoiVmVyaWZpYWJsZUNyZWRlbnRpYWwifQ.~",
    "eyJhbGciOiJub25lIn0.eyJ2YyI6e319.sig",
    "a.b.c~d~",
    ob2_assertion(issuedOn=["not", "a", "date"], badge="https://old-badges.example/b"),
]


@pytest.mark.parametrize("text", NASTY)
def test_nasty_input_is_a_message_or_a_pending_record_never_a_server_error(learner, text):
    reply = _post(learner, text=text if isinstance(text, str) else json.dumps(text))
    assert reply.status_code in (303, 400), reply.text[:500]
    if reply.status_code == 303:
        page = learner.get(reply.headers["location"])
        assert page.status_code == 200 and "New record – not in your wallet yet" in page.text
