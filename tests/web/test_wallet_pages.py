"""Wallet pages through the app: a learner takes a claim offer into the wallet, reads the
check, accepts or declines, lists, reads and deletes records; visitors are sent to sign in
(or a learner sign-up) and back; another learner gets 404 on every wallet URL; every form
needs its CSRF token; a delete without a choice shows the error summary."""

from __future__ import annotations

import json
import re

from openler.issuer import lifecycle
from openler.storage import db as storage_db

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
RECORD = re.compile(r"/wallet/records/([0-9a-f]{32})$")


def _csrf(client, path):
    return CSRF.search(client.get(path).text).group(1)


def _receive(client, web, path) -> str:
    web.sign_in(client, "learner@example.org")
    page = client.get(path)
    assert "Add to my OpenLER wallet" in page.text
    reply = client.post(f"{path}/openler-wallet", data={"csrf_token": _csrf(client, path)},
                        follow_redirects=False)
    assert reply.status_code == 303, reply.text
    return RECORD.search(reply.headers["location"]).group(1)


def _kept(client, web, path) -> str:
    record_id = _receive(client, web, path)
    token = _csrf(client, f"/wallet/records/{record_id}")
    accepted = client.post(f"/wallet/records/{record_id}/accept", data={"csrf_token": token},
                           follow_redirects=False)
    assert accepted.status_code == 303
    return record_id


def test_receive_check_accept_list_and_detail(client, web, claim):
    _, _, path = claim
    record_id = _receive(client, web, path)
    review = client.get(f"/wallet/records/{record_id}")
    assert review.status_code == 200
    assert review.headers["cache-control"] == "no-store"
    text = review.text
    assert "New record – not in your wallet yet" in text
    assert "Checked: this record is genuine." in text
    assert "Not changed since it was issued" in text
    assert "Add it to my wallet" in text and "No, throw it away" in text
    # Nothing is listed until the learner says yes; it waits for an answer.
    waiting = client.get("/wallet").text
    assert "Waiting for your answer" in waiting and "From Example College" not in waiting
    token = CSRF.search(text).group(1)
    accepted = client.post(f"/wallet/records/{record_id}/accept", data={"csrf_token": token})
    assert accepted.status_code == 200 and "The record is in your wallet." in accepted.text
    assert "Current status:" in accepted.text and "Not revoked or suspended" in accepted.text
    assert "Passed the practical assessment." in accepted.text
    listing = client.get("/wallet").text
    assert "From Example College" in listing and "Welding Basics" in listing
    assert f'href="/wallet/records/{record_id}"' in listing
    assert "Checked when it arrived: genuine" in listing
    used = client.get(path)
    assert used.status_code == 410  # the claim link is used up


def test_detail_shows_a_later_revocation(client, web, claim, clean_db, clock):
    org_id, award_id, path = claim
    record_id = _kept(client, web, path)
    with storage_db.make_sessionmaker(clean_db)() as s:
        lifecycle.revoke(s, org_id=org_id, award_id=award_id, reason="Issued in error",
                         now=clock())
        s.commit()
    clock.advance(minutes=1)
    page = client.get(f"/wallet/records/{record_id}").text
    assert "We found a problem with this record." in page
    assert "Revoked by the issuer" in page
    client.get("/language/es?next=/")
    assert "Revocado por el emisor" in client.get(f"/wallet/records/{record_id}").text


def test_decline_throws_it_away(client, web, claim):
    _, _, path = claim
    record_id = _receive(client, web, path)
    token = _csrf(client, f"/wallet/records/{record_id}")
    declined = client.post(f"/wallet/records/{record_id}/decline", data={"csrf_token": token})
    assert declined.status_code == 200
    assert "The record was not added to your wallet." in declined.text
    assert "Your wallet is empty." in declined.text
    assert client.get(f"/wallet/records/{record_id}").status_code == 404


def test_delete_asks_first_and_explains_a_missing_answer(client, web, claim):
    _, _, path = claim
    record_id = _kept(client, web, path)
    confirm = client.get(f"/wallet/records/{record_id}/delete")
    assert confirm.status_code == 200 and "This cannot be undone" in confirm.text
    token = CSRF.search(confirm.text).group(1)
    empty = client.post(f"/wallet/records/{record_id}/delete", data={"csrf_token": token})
    assert empty.status_code == 400
    assert "There is a problem" in empty.text
    assert 'href="#field-confirm"' in empty.text and 'aria-invalid="true"' in empty.text
    odd = client.post(f"/wallet/records/{record_id}/delete",
                      data={"csrf_token": token, "confirm": "maybe"})
    assert odd.status_code == 400
    kept = client.post(f"/wallet/records/{record_id}/delete",
                       data={"csrf_token": token, "confirm": "no"}, follow_redirects=False)
    assert kept.headers["location"] == f"/wallet/records/{record_id}"
    assert client.get(f"/wallet/records/{record_id}").status_code == 200
    gone = client.post(f"/wallet/records/{record_id}/delete",
                       data={"csrf_token": token, "confirm": "yes"})
    assert gone.status_code == 200 and "The record was deleted from your wallet." in gone.text
    assert client.get(f"/wallet/records/{record_id}").status_code == 404


def test_another_learner_gets_404_everywhere(client, make_client, web, claim):
    _, _, path = claim
    record_id = _receive(client, web, path)
    other = make_client()
    web.sign_in(other, "other@example.org")
    token = _csrf(other, "/wallet")
    base = f"/wallet/records/{record_id}"
    for url in (base, f"{base}/delete", f"{base}/file"):
        assert other.get(url).status_code == 404, url
    for url, data in ((f"{base}/accept", {}), (f"{base}/decline", {}),
                      (f"{base}/delete", {"confirm": "yes"})):
        assert other.post(url, data={"csrf_token": token, **data}).status_code == 404, url
    assert "Welding Basics" not in other.get("/wallet").text
    # ... and the owner still has it, untouched.
    assert "New record – not in your wallet yet" in client.get(base).text


def test_every_wallet_form_needs_the_csrf_token(client, web, claim):
    _, _, path = claim
    web.sign_in(client, "learner@example.org")
    assert client.post(f"{path}/openler-wallet", data={}).status_code == 403
    assert client.get(path).status_code == 200  # the refused POST used nothing up
    record_id = _receive(client, web, path)
    base = f"/wallet/records/{record_id}"
    for url in (f"{base}/accept", f"{base}/decline", f"{base}/delete"):
        assert client.post(url, data={"csrf_token": "forged", "confirm": "yes"}).status_code \
            == 403, url
    assert "New record – not in your wallet yet" in client.get(base).text


def test_visitors_are_offered_sign_in_or_sign_up_and_come_back(client, web, claim):
    _, _, path = claim
    page = client.get(path).text
    assert f'href="/sign-in?next={path}"' in page
    assert f'href="/wallet/sign-up?next={path}"' in page
    assert "Add to my OpenLER wallet" not in page
    sent = client.post(f"{path}/openler-wallet", data={"csrf_token": CSRF.search(page).group(1)},
                       follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].startswith("/sign-in?next=")
    assert client.get("/wallet", follow_redirects=False).status_code == 303
    form = client.get(f"/wallet/sign-up?next={path}")
    token = CSRF.search(form.text).group(1)
    bad = client.post("/wallet/sign-up", data={"csrf_token": token, "next": path, "name": "",
                                               "email": "not-an-email", "password": "short"})
    assert bad.status_code == 400 and "There is a problem" in bad.text
    assert 'href="#field-email"' in bad.text and f'value="{path}"' in bad.text
    made = client.post("/wallet/sign-up", follow_redirects=False, data={
        "csrf_token": token, "next": path, "name": "New Learner",
        "email": "new@example.org", "password": web.password})
    assert made.status_code == 303 and made.headers["location"] == path
    assert "Add to my OpenLER wallet" in client.get(path).text


def test_sign_up_refuses_an_outside_return_address(client, web):
    token = _csrf(client, "/wallet/sign-up?next=https://evil.example/")
    made = client.post("/wallet/sign-up", follow_redirects=False, data={
        "csrf_token": token, "next": "https://evil.example/", "name": "New Learner",
        "email": "new2@example.org", "password": web.password})
    assert made.headers["location"] == "/wallet"


def test_wallet_pages_in_spanish(client, web, claim):
    _, _, path = claim
    record_id = _kept(client, web, path)
    client.get("/language/es?next=/")
    listing = client.get("/wallet").text
    assert '<html lang="es">' in listing and "Su cartera" in listing
    assert "De Example College" in listing
    detail = client.get(f"/wallet/records/{record_id}").text
    assert "Comprobado: este registro es auténtico." in detail
    assert "Lo que dice el registro" in detail


def test_a_kept_record_downloads_as_the_signed_file(client, make_client, web, claim):
    _, _, path = claim
    record_id = _kept(client, web, path)
    page = client.get(f"/wallet/records/{record_id}").text
    assert f'href="/wallet/records/{record_id}/file"' in page
    file = client.get(f"/wallet/records/{record_id}/file")
    assert file.status_code == 200 and file.headers["cache-control"] == "no-store"
    assert file.headers["content-disposition"].startswith("attachment;")
    credential = json.loads(file.content)
    assert credential["credentialSubject"]["id"].startswith("did:key:")
    assert credential["credentialSubject"]["id"] in page  # the wallet's identifier
    assert credential["proof"]
    other = make_client()
    web.sign_in(other, "other@example.org")
    assert other.get(f"/wallet/records/{record_id}/file").status_code == 404
