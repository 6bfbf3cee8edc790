"""Evidence through the app: the record page lists a record's evidence (web links marked as
leading to another website and sent without the page's address, files carried inside the
record downloadable by the learner whatever the record's format), a self-reported record
says who added it, and the employer downloads evidence files from a live share link only:
PDF/PNG/JPEG/plain text, as attachments, never logged as an opening, refused exactly like
the share page once the link is stopped, expired or unknown."""

from __future__ import annotations

import base64
import re

import pytest

from disclosure_material import self_reported_record
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.wallet import presentations, service, sharing
from openler.wallet.crypto import MasterKey
from openler.wallet.importing import ob2_report
from wallet_import_samples import OtherIssuer, ob2_assertion

APP_SECRET = "test-secret-key-not-for-production"
PDF = b"%PDF-1.4\n% assessor report\n%%EOF\n"
HTML = b"<script>alert(1)</script>"
EVIDENCE = [
    {"id": "https://portfolio.example/ana/welds", "type": ["Evidence"], "name": "Weld photos",
     "description": "Photos of the test piece.", "genre": "Photograph"},
    {"id": "data:application/pdf;base64," + base64.b64encode(PDF).decode(),
     "type": ["Evidence"], "name": "Assessor report.pdf", "description": "Signed by the assessor."},
    {"id": "data:text/html;base64," + base64.b64encode(HTML).decode(), "type": ["Evidence"],
     "name": "page.html"},
]


def _main(html: str) -> str:
    """The page's main content (the language links around it name the current URL)."""
    return re.search(r"<main.*?</main>", html, re.S).group(0)


def _config() -> service.WalletConfig:
    return service.WalletConfig(master=MasterKey(APP_SECRET), issuer=IssuerConfig(
        base=PublicBase.parse("http://testserver"), vault=KeyVault(APP_SECRET)))


@pytest.fixture
def wallet(client, accounts, web, clean_db, clock):
    """Ana's wallet: an OB 3.0 record (Data Integrity) and a VC-JOSE one, both with evidence,
    an Open Badges 2.0 badge with an evidence page, and a self-reported entry."""
    user_id = accounts.learner("learner@example.org", "Ana Learner")
    accounts.learner("other@example.org", "Otto Other")
    issuer, config = OtherIssuer(), _config()
    with storage_db.make_sessionmaker(clean_db)() as s:
        ldp = service.store(s, config=config, user_id=user_id, now=clock(), source="import",
                            credential=issuer.ldp(evidence=EVIDENCE), state="kept")
        jose = service.store(s, config=config, user_id=user_id, now=clock(), source="import",
                             credential=issuer.vc_jwt(issuer.credential(
                                 evidence=EVIDENCE[1:2], cid="urn:uuid:2")),
                             record_format="jwt_vc", state="kept")
        assertion = ob2_assertion(evidence="https://old-badges.example/work/77")
        ob2 = service.store(s, config=config, user_id=user_id, now=clock(), source="import",
                            credential=assertion, record_format="ob2", state="kept",
                            report=ob2_report(assertion, now=clock()))
        own = self_reported_record(s, config=config, user_id=user_id, now=clock())
        s.commit()
        ids = {"ldp": ldp.id, "jose": jose.id, "ob2": ob2.id, "self": own.id,
               "user": user_id, "did": own.summary.issuer_id}
    web.sign_in(client, "learner@example.org")
    return ids


def test_record_page_lists_evidence_with_safe_links(client, wallet):
    page = client.get(f"/wallet/records/{wallet['ldp']}")
    assert page.status_code == 200
    text = page.text
    assert "Weld photos" in text and "Photos of the test piece." in text and "Photograph" in text
    assert re.search(r'<a href="https://portfolio.example/ana/welds" rel="noopener noreferrer">',
                     text)
    assert "This link leads to another website (portfolio.example)" in text
    assert f'href="/wallet/records/{wallet["ldp"]}/evidence/2" download' in text
    assert "Signed by the assessor." in text and "PDF file, 1 KB" in text
    assert f'href="/wallet/records/{wallet["ldp"]}/evidence/1"' not in text
    ob2 = client.get(f"/wallet/records/{wallet['ob2']}").text
    assert 'href="https://old-badges.example/work/77" rel="noopener noreferrer"' in ob2
    client.get("/language/es?next=/")
    spanish = client.get(f"/wallet/records/{wallet['ldp']}").text
    assert "Evidencia" in spanish and "Este enlace lleva a otro sitio web" in spanish


def test_learner_downloads_files_from_any_record_format(client, make_client, web, wallet):
    for record_id, n in ((wallet["ldp"], 2), (wallet["jose"], 1)):
        reply = client.get(f"/wallet/records/{record_id}/evidence/{n}")
        assert reply.status_code == 200 and reply.content == PDF
        assert reply.headers["content-type"] == "application/pdf"
        assert reply.headers["content-disposition"] == \
            'attachment; filename="Assessor_report.pdf"'
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert reply.headers["cache-control"] == "no-store"
    odd = client.get(f"/wallet/records/{wallet['ldp']}/evidence/3")
    assert odd.status_code == 200 and odd.headers["content-type"] == "application/octet-stream"
    for path in (f"/wallet/records/{wallet['ldp']}/evidence/1",  # a web link, not a file
                 f"/wallet/records/{wallet['ldp']}/evidence/4",
                 f"/wallet/records/{wallet['ob2']}/evidence/1"):
        assert client.get(path).status_code == 404, path
    other = make_client()
    web.sign_in(other, "other@example.org")
    assert other.get(f"/wallet/records/{wallet['ldp']}/evidence/2").status_code == 404


def test_self_reported_record_says_who_added_it(client, wallet, clean_db, clock):
    text = client.get(f"/wallet/records/{wallet['self']}").text
    assert "Added by Ana Learner" in text
    assert f"Issued by {wallet['did']}" not in text and "Issued by" not in text
    assert f"<code>{wallet['did']}</code>" in text  # still in the technical details
    config = _config()
    with storage_db.make_sessionmaker(clean_db)() as s:
        record = service.get_record(s, config=config, user_id=wallet["user"],
                                    record_id=wallet["self"])
        anonymous = {**record.credential, "issuer": {"id": wallet["did"], "type": ["Profile"]}}
        unnamed = service.store(s, config=config, user_id=wallet["user"], now=clock(),
                                credential=anonymous, source="self", state="kept",
                                report=record.arrival)
        s.commit()
    text = client.get(f"/wallet/records/{unnamed.id}").text
    assert "Added by you" in text and "Issued by" not in text
    client.get("/language/es?next=/")
    assert "Agregado por usted" in client.get(f"/wallet/records/{unnamed.id}").text


def _share(clean_db, clock, wallet, *, expiry="30") -> tuple[str, str]:
    config = _config()
    with storage_db.make_sessionmaker(clean_db)() as s:
        made = presentations.create(s, config=config, user_id=wallet["user"], name="For Acme",
                                    record_ids=[wallet["ob2"], wallet["ldp"], wallet["self"]],
                                    now=clock())
        share = sharing.create_share(s, config=config, user_id=wallet["user"],
                                     presentation_id=made.id, audience="Acme Hiring",
                                     purpose="Welder job", expiry=expiry, now=clock())
        s.commit()
        return share.id, share.token


def _views(clean_db, wallet, share_id) -> int:
    with storage_db.make_sessionmaker(clean_db)() as s:
        return len(sharing.get_share(s, config=_config(), user_id=wallet["user"],
                                     share_id=share_id).views)


def test_employer_downloads_shared_evidence_while_the_link_works(
        client, make_client, wallet, clean_db, clock):
    share_id, token = _share(clean_db, clock, wallet)
    viewer = make_client()
    page = viewer.get(f"/s/{token}")
    assert page.status_code == 200
    text = page.text
    assert "Weld photos" in text and "Signed by the assessor." in text
    assert 'href="https://portfolio.example/ana/welds" rel="noopener noreferrer"' in text
    assert 'href="https://old-badges.example/work/77" rel="noopener noreferrer"' in text
    assert f'href="/s/{token}/evidence/2/2" download' in text
    assert f"/s/{token}/evidence/2/3" not in text  # an HTML file is never offered
    assert "not offered for download here (text/html)" in text
    assert "Added by Ana Learner" in text and "Issued by Ana Learner" not in text
    assert _views(clean_db, wallet, share_id) == 1

    reply = viewer.get(f"/s/{token}/evidence/2/2")
    assert reply.status_code == 200 and reply.content == PDF
    assert reply.headers["content-type"] == "application/pdf"
    assert reply.headers["content-disposition"] == 'attachment; filename="Assessor_report.pdf"'
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["cache-control"] == "no-store"
    for path in (f"/s/{token}/evidence/2/3", f"/s/{token}/evidence/2/1",
                 f"/s/{token}/evidence/1/1", f"/s/{token}/evidence/3/1",
                 f"/s/{token}/evidence/4/2",
                 f"/s/{token}/evidence/0/2"):
        assert viewer.get(path).status_code == 404, path
    assert _views(clean_db, wallet, share_id) == 1  # downloads are not openings

    with storage_db.make_sessionmaker(clean_db)() as s:
        sharing.stop_share(s, config=_config(), user_id=wallet["user"], share_id=share_id,
                           now=clock())
        s.commit()
    for path in (f"/s/{token}", f"/s/{token}/evidence/2/2"):
        refused = viewer.get(path)
        assert refused.status_code == 410, path
        assert "This link no longer works" in refused.text and "Assessor" not in refused.text
        assert refused.headers["cache-control"] == "no-store"
    assert _main(viewer.get(f"/s/{token}").text) == \
        _main(viewer.get(f"/s/{token}/evidence/2/2").text)


def test_expired_and_unknown_links_refuse_like_the_page(make_client, wallet, clean_db, clock):
    share_id, token = _share(clean_db, clock, wallet, expiry="7")
    viewer = make_client()
    clock.advance(days=8)
    download = viewer.get(f"/s/{token}/evidence/2/2")
    assert download.status_code == 410 and "The link has expired." in download.text
    page = viewer.get(f"/s/{token}")
    assert (page.status_code, _main(page.text)) == (download.status_code, _main(download.text))
    assert _views(clean_db, wallet, share_id) == 0
    for bad in ("x", "A" * 43, "a" * 400):
        reply = viewer.get(f"/s/{bad}/evidence/1/1")
        assert reply.status_code == 404 and "We could not find this link" in reply.text
        assert _main(reply.text) == _main(viewer.get(f"/s/{bad}").text)


def test_the_learner_sees_which_evidence_a_presentation_carries(client, wallet, clean_db,
                                                                clock):
    share_id, _ = _share(clean_db, clock, wallet)
    with storage_db.make_sessionmaker(clean_db)() as s:
        presentation_id = sharing.get_share(s, config=_config(), user_id=wallet["user"],
                                            share_id=share_id).presentation_id
    text = client.get(f"/wallet/presentations/{presentation_id}").text
    assert "Its evidence goes with it: Weld photos, Assessor report.pdf, page.html." in text
    assert "evidence goes with it: https://old-badges" not in text
    assert "Its evidence goes with it: web page 1." in text  # the 2.0 badge's unnamed link
    assert "Anyone with the link can open its web links and download its files." in text
