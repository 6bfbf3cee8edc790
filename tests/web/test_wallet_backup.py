"""Backup, export, restore and account deletion pages through the app: the passphrase rules
show in the error summary, the backup downloads and restores into another learner's empty
wallet with a step-by-step result, a wrong passphrase or a wallet with records is refused
in plain words, the export is a ZIP with a CLR, and deleting the account asks for the
password, stops the shares and signs out (the sole owner of a busy organization is told
what to do first). Every form needs its CSRF token."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from openler.storage import db as storage_db
from openler.storage import repositories as repo
from openler.storage.tables import Membership

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
RECORD = re.compile(r"/wallet/records/([0-9a-f]{32})$")
PASS = "four unrelated words here"


def _csrf(client, path):
    return CSRF.search(client.get(path).text).group(1)


def _post(client, path, data, form_path=None, files=None):
    data = {"csrf_token": _csrf(client, form_path or path), **data}
    return client.post(path, data=data, files=files, follow_redirects=False)


def _kept(client, web, claim) -> str:
    path = claim[2]
    web.sign_in(client, "learner@example.org")
    reply = _post(client, f"{path}/openler-wallet", {}, form_path=path)
    record_id = RECORD.search(reply.headers["location"]).group(1)
    assert _post(client, f"/wallet/records/{record_id}/accept", {},
                 form_path=f"/wallet/records/{record_id}").status_code == 303
    return record_id


def _backup(client) -> bytes:
    reply = _post(client, "/wallet/backup", {"passphrase": PASS, "confirm_passphrase": PASS})
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == "application/json"
    assert reply.headers["cache-control"] == "no-store"
    assert re.match(r'attachment; filename="openler-wallet-backup-\d{4}-\d\d-\d\d\.json"',
                    reply.headers["content-disposition"])
    return reply.content


def _restore(client, data: bytes | None, passphrase: str = PASS):
    files = {"backup_file": ("backup.json", data, "application/json")} if data else None
    return _post(client, "/wallet/restore", {"passphrase": passphrase},
                 form_path="/wallet/restore", files=files)


def test_backup_page_lists_everything_and_marks_the_menu(client, web, claim):
    _kept(client, web, claim)
    page = client.get("/wallet/backup")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert 'href="/wallet/backup" aria-current="page"' in page.text
    for target in ('action="/wallet/backup"', 'href="/wallet/export"', 'href="/wallet/restore"',
                   'href="/account/delete"'):
        assert target in page.text


@pytest.mark.parametrize(("passphrase", "confirm", "message"), [
    ("short", "short", "Use at least 12 characters"),
    (PASS, PASS + "?", "The two passphrases are not the same"),
    ("", "", "Enter a passphrase for the backup"),
])
def test_passphrase_rules_show_in_the_error_summary(client, web, claim, passphrase, confirm,
                                                    message):
    _kept(client, web, claim)
    reply = _post(client, "/wallet/backup", {"passphrase": passphrase,
                                             "confirm_passphrase": confirm})
    assert reply.status_code == 400
    assert "There is a problem" in reply.text and message in reply.text
    assert reply.headers["content-type"].startswith("text/html")


def test_backup_restores_into_another_learners_empty_wallet(client, make_client, web, claim):
    _kept(client, web, claim)
    data = _backup(client)
    assert b"Welding" not in data
    other = make_client()
    web.sign_in(other, "other@example.org")
    assert "Welding Basics" not in other.get("/wallet").text
    wrong = _restore(other, data, passphrase="not the passphrase")
    assert wrong.status_code == 400
    assert "The passphrase does not open this backup" in wrong.text
    done = _restore(other, data)
    assert done.status_code == 200, done.text
    assert "Your backup is restored" in done.text and "Records that came back: 1." in done.text
    assert "Welding Basics" in other.get("/wallet").text
    again = _restore(other, data)  # now the wallet has a record: refused, nothing doubled
    assert again.status_code == 400 and "already has records" in again.text
    assert other.get("/wallet").text.count("Welding Basics") == \
        client.get("/wallet").text.count("Welding Basics")


def test_restore_errors_are_plain(client, web, claim):
    web.sign_in(client, "other@example.org")
    missing = _restore(client, None)
    assert missing.status_code == 400 and "Choose your backup file." in missing.text
    junk = _restore(client, b"just some text")
    assert junk.status_code == 400 and "not an OpenLER wallet backup" in junk.text
    no_csrf = client.post("/wallet/restore", data={"passphrase": PASS},
                          files={"backup_file": ("b.json", b"{}", "application/json")})
    assert no_csrf.status_code == 403


def test_export_page_and_zip(client, web, claim):
    _kept(client, web, claim)
    page = client.get("/wallet/export")
    assert page.status_code == 200 and "CLR 2.0" in page.text
    reply = client.get("/wallet/export.zip")
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/zip"
    assert reply.headers["cache-control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(reply.content))
    clr = json.loads(archive.read("clr.json"))
    assert clr["issuer"]["name"] == "Ana Learner"
    assert len(clr["credentialSubject"]["verifiableCredential"]) == 1


def test_pages_need_sign_in(client):
    for path in ("/wallet/backup", "/wallet/export", "/wallet/export.zip", "/wallet/restore",
                 "/account/delete"):
        reply = client.get(path, follow_redirects=False)
        assert reply.status_code == 303 and "/sign-in" in reply.headers["location"]


def test_delete_account_asks_for_the_password_stops_shares_and_signs_out(
        client, make_client, web, claim):
    record_id = _kept(client, web, claim)
    made = _post(client, "/wallet/presentations/new",
                 {"name": "For Acme", f"record-{record_id}": "yes"})
    path = made.headers["location"]
    shared = _post(client, f"{path}/share", {"audience": "Acme", "purpose": "Job",
                                             "expiry": "30"})
    link = re.search(r"http://testserver(/s/[A-Za-z0-9_-]+)",
                     client.get(shared.headers["location"]).text).group(1)
    viewer = make_client()
    assert viewer.get(link).status_code == 200
    page = client.get("/account/delete")
    assert "your share links that still work (now: 1)" in page.text and "cannot be undone" in page.text
    wrong = _post(client, "/account/delete", {"password": "not my password"})
    assert wrong.status_code == 400 and "this is not your current password" in wrong.text
    gone = _post(client, "/account/delete", {"password": web.password})
    assert gone.status_code == 303 and gone.headers["location"] == "/"
    assert "Your account and wallet are deleted" in client.get("/").text
    assert client.get("/wallet", follow_redirects=False).status_code == 303
    refused = viewer.get(link)
    assert refused.status_code in (404, 410) and "Welding" not in refused.text
    signed_in = client.post("/sign-in", data={"csrf_token": _csrf(client, "/sign-in"),
                                              "email": "learner@example.org",
                                              "password": web.password},
                            follow_redirects=False)
    assert signed_in.status_code != 303


def test_sole_owner_of_a_busy_organization_is_told_what_to_do(client, web, claim, clean_db):
    org_id = claim[0]
    with storage_db.make_sessionmaker(clean_db)() as s:
        staff = repo.get_user_by_email(s, email="other@example.org")
        s.add(Membership(organization_id=org_id, user_id=staff.id, role="issuer_staff"))
        s.commit()
    web.sign_in(client, "owner@college.example")
    page = client.get("/account/delete")
    assert "You cannot delete your account yet" in page.text and "Example College" in page.text
    assert 'action="/account/delete"' not in page.text
    refused = _post(client, "/account/delete", {"password": web.password})
    assert refused.status_code == 409 and "add a colleague" in refused.text
    assert client.get("/account").status_code == 200
