"""Presentation and share pages through the app: a learner makes a presentation, shares it
(an error summary when the purpose is missing), the public link shows the records with a
fresh check and logs the opening, stopping or expiry makes it refuse with 410, garbage
tokens get a plain 404 (never a 500), another learner gets 404 on every management URL,
and every form needs its CSRF token."""

from __future__ import annotations

import json
import re

import pytest

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


def _presentation(client, record_id) -> str:
    reply = _post(client, "/wallet/presentations/new",
                  {"name": "For Acme", f"record-{record_id}": "yes"})
    assert reply.status_code == 303, reply.text
    return PRESENTATION.search(reply.headers["location"]).group(1)


def _share(client, presentation_id, expiry="30") -> tuple[str, str]:
    path = f"/wallet/presentations/{presentation_id}/share"
    reply = _post(client, path, {"audience": "Acme Hiring", "purpose": "Welder job",
                                 "expiry": expiry})
    assert reply.status_code == 303, reply.text
    share_id = SHARE.search(reply.headers["location"]).group(1)
    page = client.get(f"/wallet/shares/{share_id}").text
    return share_id, LINK.search(page).group(1)


def test_make_share_open_log_and_stop(client, make_client, web, claim, clock):
    record_id = _kept(client, web, claim)
    form = client.get("/wallet/presentations/new").text
    assert "Shared whole: the issuer's signature covers every detail" in form
    assert "Welding Basics" in form
    presentation_id = _presentation(client, record_id)
    page = client.get(f"/wallet/presentations/{presentation_id}")
    assert page.status_code == 200 and "For Acme" in page.text
    assert page.headers["cache-control"] == "no-store"
    signed = client.get(f"/wallet/presentations/{presentation_id}/presentation.json")
    assert signed.json()["proof"]["proofPurpose"] == "authentication"
    explain = client.get(f"/wallet/presentations/{presentation_id}/share").text
    assert "What the person with the link will see" in explain
    assert re.search(r'value="30" id="[^"]+" checked', explain)  # the default expiry
    share_id, link = _share(client, presentation_id)
    share_page = client.get(f"/wallet/shares/{share_id}").text
    assert "Nobody has opened the link yet." in share_page and "<svg" in share_page
    assert "Works until 23 December 2026" in share_page

    viewer = make_client()
    clock.advance(days=3)
    shown = viewer.get(link)
    assert shown.status_code == 200
    assert shown.headers["cache-control"] == "no-store"
    assert shown.headers["referrer-policy"] == "no-referrer"
    text = shown.text
    assert "Shared with Acme Hiring for: Welder job" in text
    assert "Checked just now: genuine." in text and "Welding Basics" in text
    assert "We do not store your IP address or browser." in text
    document = viewer.get(f"{link}/presentation.json")
    assert document.status_code == 200
    vp = json.loads(document.text)
    assert vp["type"] == ["VerifiablePresentation"] and vp["proof"]["challenge"]
    assert "Acme Hiring viewed this on 26 November 2026" in client.get(
        f"/wallet/shares/{share_id}").text
    client.get("/language/es?next=/")
    assert "Acme Hiring vio esto el 26 de noviembre de 2026" in client.get(
        f"/wallet/shares/{share_id}").text

    stopped = _post(client, f"/wallet/shares/{share_id}/stop", {},
                    form_path=f"/wallet/shares/{share_id}")
    assert stopped.status_code == 303
    refused = viewer.get(link)
    assert refused.status_code == 410
    assert "This link no longer works" in refused.text and "Welding Basics" not in refused.text
    assert "Acme" not in refused.text
    assert viewer.get(f"{link}/presentation.json").status_code == 410


def test_expired_link_refuses_with_410(client, make_client, web, claim, clock):
    record_id = _kept(client, web, claim)
    _, link = _share(client, _presentation(client, record_id), expiry="7")
    clock.advance(days=8)
    refused = make_client().get(link)
    assert refused.status_code == 410 and "The link has expired." in refused.text
    assert "Welding Basics" not in refused.text


@pytest.mark.parametrize("token", ["x", "A" * 43, "%00", "...", "a" * 400, "ünïcode"])
def test_garbage_tokens_get_a_plain_404(client, token):
    for path in (f"/s/{token}", f"/s/{token}/presentation.json"):
        reply = client.get(path)
        assert reply.status_code == 404, path
        if token == "%00":  # refused before any route: the site's own "not found" page
            assert "Welding" not in reply.text and "<h1" in reply.text
        else:
            assert "We could not find this link" in reply.text
    assert client.get("/s/%2F%2E%2E/presentation.json").status_code == 404  # no such route


def test_missing_purpose_shows_the_error_summary(client, web, claim):
    record_id = _kept(client, web, claim)
    presentation_id = _presentation(client, record_id)
    path = f"/wallet/presentations/{presentation_id}/share"
    reply = _post(client, path, {"audience": "Acme Hiring", "purpose": "", "expiry": "30"})
    assert reply.status_code == 400
    assert "There is a problem" in reply.text
    assert 'href="#field-purpose"' in reply.text
    assert 'value="Acme Hiring"' in reply.text
    empty = _post(client, "/wallet/presentations/new", {"name": ""})
    assert empty.status_code == 400
    assert 'href="#field-name"' in empty.text and 'href="#field-records"' in empty.text


def test_another_learner_gets_404_everywhere(client, make_client, web, claim):
    record_id = _kept(client, web, claim)
    presentation_id = _presentation(client, record_id)
    share_id, link = _share(client, presentation_id)
    other = make_client()
    web.sign_in(other, "other@example.org")
    token = _csrf(other, "/wallet")
    for path in (f"/wallet/presentations/{presentation_id}",
                 f"/wallet/presentations/{presentation_id}/presentation.json",
                 f"/wallet/presentations/{presentation_id}/share",
                 f"/wallet/shares/{share_id}"):
        assert other.get(path).status_code == 404, path
    for path, data in ((f"/wallet/presentations/{presentation_id}/share",
                        {"audience": "Me", "purpose": "x", "expiry": "7"}),
                       (f"/wallet/shares/{share_id}/stop", {})):
        assert other.post(path, data={"csrf_token": token, **data}).status_code == 404, path
    # Their attempt neither stopped the share nor picked the record.
    taken = other.post("/wallet/presentations/new",
                       data={"csrf_token": token, "name": "Mine", f"record-{record_id}": "yes"})
    assert taken.status_code == 400
    assert make_client().get(link).status_code == 200


def test_forms_need_the_csrf_token(client, web, claim):
    record_id = _kept(client, web, claim)
    presentation_id = _presentation(client, record_id)
    share_id, link = _share(client, presentation_id)
    for path, data in (("/wallet/presentations/new",
                        {"name": "X", f"record-{record_id}": "yes"}),
                       (f"/wallet/presentations/{presentation_id}/share",
                        {"audience": "A", "purpose": "B", "expiry": "7"}),
                       (f"/wallet/shares/{share_id}/stop", {})):
        assert client.post(path, data=data, follow_redirects=False).status_code == 403, path
    assert client.get(link).status_code == 200  # not stopped


def test_visitors_are_sent_to_sign_in(client):
    for path in ("/wallet/presentations", "/wallet/presentations/new",
                 "/wallet/shares/" + "0" * 32):
        reply = client.get(path, follow_redirects=False)
        assert reply.status_code == 303 and reply.headers["location"].startswith("/sign-in")


def test_deleting_the_record_makes_the_link_refuse(client, make_client, web, claim):
    record_id = _kept(client, web, claim)
    _, link = _share(client, _presentation(client, record_id))
    viewer = make_client()
    assert viewer.get(link).status_code == 200
    deleted = _post(client, f"/wallet/records/{record_id}/delete", {"confirm": "yes"},
                    form_path=f"/wallet/records/{record_id}/delete")
    assert deleted.status_code == 303
    refused = viewer.get(link)
    assert refused.status_code == 410 and "were deleted" in refused.text


def test_chosen_details_of_an_sd_jwt_record_reach_the_viewer_and_nothing_else(
        client, make_client, web, accounts, clean_db, clock):
    from disclosure_material import sd_jwt_record, self_reported_record
    from openler.issuer.keys import KeyVault
    from openler.issuer.models import PublicBase
    from openler.issuer.service import IssuerConfig
    from openler.storage import db as storage_db
    from openler.wallet.crypto import MasterKey
    from openler.wallet.service import WalletConfig

    secret = "test-secret-key-not-for-production"
    user_id = accounts.learner("learner@example.org", "Ana Learner")
    config = WalletConfig(master=MasterKey(secret), issuer=IssuerConfig(
        base=PublicBase.parse("http://testserver"), vault=KeyVault(secret)))
    with storage_db.make_sessionmaker(clean_db)() as s:
        sd = sd_jwt_record(s, config=config, user_id=user_id, now=clock())
        own = self_reported_record(s, config=config, user_id=user_id, now=clock())
        s.commit()
    web.sign_in(client, "learner@example.org")
    form = client.get("/wallet/presentations/new").text
    assert "Details to share from “Forklift Operator Licence”" in form
    assert "Date of birth" in form and "From Port Training Centre" in form
    assert "Your own learning (self-reported)" in form
    assert not re.search(rf'name="claim-{sd.id}-[^"]+" value="yes" id="[^"]+" checked', form)
    reply = _post(client, "/wallet/presentations/new", {
        "name": "For the port", f"record-{sd.id}": "yes", f"record-{own.id}": "yes",
        f"claim-{sd.id}-grade": "yes", f"claim-{sd.id}-given_name": "yes",
        f"claim-{sd.id}-iss": "yes"})
    assert reply.status_code == 303, reply.text
    presentation_id = PRESENTATION.search(reply.headers["location"]).group(1)
    page = client.get(f"/wallet/presentations/{presentation_id}").text
    assert "Shared in part: only the details you chose." in page
    assert re.search(r"Hidden:.*Date of birth", page)
    _, link = _share(client, presentation_id)
    shown = make_client().get(link)
    assert shown.status_code == 200
    text = shown.text
    assert "Distinction" in text and "Ana" in text and "Forklift Operator Licence" in text
    for secret_value in ("1994-03-05", "ana.private@example.org", "Learner</dd>"):
        assert secret_value not in text
    assert "Shared in part: the person chose which details to show." in text
    assert "Self-reported" in text and "provenance self" in text
    assert "Added by the person sharing it, not checked by any organization." in text


def test_a_link_with_one_character_changed_reveals_nothing(client, make_client, web, claim):
    record_id = _kept(client, web, claim)
    _, link = _share(client, _presentation(client, record_id))
    last = link[-1]
    tampered = link[:-1] + ("B" if last != "B" else "C")
    viewer = make_client()
    for path in (tampered, f"{tampered}/presentation.json"):
        reply = viewer.get(path)
        assert reply.status_code == 404, path
        assert "Welding Basics" not in reply.text and "Acme" not in reply.text
    assert "We could not find this link" in viewer.get(tampered).text
    assert viewer.get(link).status_code == 200  # the real link still works
