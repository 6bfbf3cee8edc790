"""Sharing with an organization on this instance (issue 5, item 6): the share names the
organization as its audience and enters that organization's inbox only; the inbox holds the
link token sealed for the organization (nothing readable in the database); an opening by
the organization is logged with its name for the learner; a stopped or expired share leaves
the inbox at once and no longer opens; only employers and schools can be chosen."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from openler.storage.tables_org_shares import OrgShare
from openler.wallet import org_shares, presentations, service, sharing
from openler.wallet.errors import WalletNotFound
from openler.wallet.presentations import InvalidSharingInput

SEALER = org_shares.OrgSealer("wallet-test-secret")


@pytest.fixture
def kept(session, wallet_config, learner_id, offer, clock):
    record = service.receive_from_claim(session, config=wallet_config, user_id=learner_id,
                                        token=offer[1], now=clock())
    service.accept(session, config=wallet_config, user_id=learner_id, record_id=record.id,
                   now=clock())
    pres = presentations.create(session, config=wallet_config, user_id=learner_id,
                                name="For employers", record_ids=[record.id], now=clock())
    session.commit()
    return pres


@pytest.fixture
def employers(accounts):
    acme = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")[1]
    rival = accounts.org_owner("hr@rival.example", "Rival Hiring", kind="employer")[1]
    school = accounts.org_owner("admissions@uni.example", "City University", kind="school")[1]
    return acme, rival, school


def _share(session, wallet_config, learner_id, pres, clock, org_id, expiry="30"):
    made = sharing.create_share(session, config=wallet_config, user_id=learner_id,
                                presentation_id=pres.id, audience="ignored",
                                purpose="Welder job", expiry=expiry, now=clock(),
                                audience_org_id=org_id, org_sealer=SEALER)
    session.commit()
    return made


def test_share_with_an_org_enters_only_its_inbox_sealed(
        session, wallet_config, learner_id, kept, employers, org_id, clock):
    acme, rival, school = employers
    assert org_shares.inbox(session, org_id=acme, now=clock()) == []  # nothing before sharing
    assert [name for _, name in org_shares.audiences(session)] == [
        "Acme Hiring", "City University", "Rival Hiring"]  # employers and schools, by name
    made = _share(session, wallet_config, learner_id, kept, clock, acme)
    assert made.audience == "Acme Hiring"
    [entry] = org_shares.inbox(session, org_id=acme, now=clock())
    assert entry.share_id == made.id and entry.expires_at == made.expires_at
    assert org_shares.inbox(session, org_id=rival, now=clock()) == []
    assert org_shares.inbox(session, org_id=school, now=clock()) == []
    row = session.scalars(select(OrgShare)).one()
    assert made.token.encode() not in row.token_ciphertext
    assert SEALER.open(row.token_nonce, row.token_ciphertext, org_id=acme,
                       share_id=made.id) == made.token
    with pytest.raises(sharing.ShareRefused):  # a row moved to another organization
        SEALER.open(row.token_nonce, row.token_ciphertext, org_id=rival, share_id=made.id)
    with pytest.raises(sharing.ShareRefused):  # another instance's secret
        org_shares.OrgSealer("another-secret").open(row.token_nonce, row.token_ciphertext,
                                                     org_id=acme, share_id=made.id)
    with pytest.raises(WalletNotFound):
        org_shares.open_for_org(session, config=wallet_config, sealer=SEALER, org_id=rival,
                                share_id=made.id, now=clock())

    clock.advance(days=2)
    view = org_shares.open_for_org(session, config=wallet_config, sealer=SEALER, org_id=acme,
                                   share_id=made.id, now=clock())
    assert view.purpose == "Welder job" and view.report.outcome == "verified"
    assert [r.summary.achievement_name for r in view.records] == ["Welding Basics"]
    session.commit()
    shown = sharing.get_share(session, config=wallet_config, user_id=learner_id,
                              share_id=made.id)
    assert shown.views == (clock(),)
    assert org_shares.viewers(session, share_id=made.id) == {clock(): "Acme Hiring"}


def test_stopped_or_expired_shares_leave_the_inbox_at_once(
        session, wallet_config, learner_id, kept, employers, clock):
    acme = employers[0]
    stopped = _share(session, wallet_config, learner_id, kept, clock, acme)
    short = _share(session, wallet_config, learner_id, kept, clock, acme, expiry="7")
    assert len(org_shares.inbox(session, org_id=acme, now=clock())) == 2
    sharing.stop_share(session, config=wallet_config, user_id=learner_id, share_id=stopped.id,
                       now=clock())
    session.commit()
    assert [e.share_id for e in org_shares.inbox(session, org_id=acme, now=clock())] == [
        short.id]
    with pytest.raises(WalletNotFound):
        org_shares.open_for_org(session, config=wallet_config, sealer=SEALER, org_id=acme,
                                share_id=stopped.id, now=clock())
    clock.advance(days=7)
    assert org_shares.inbox(session, org_id=acme, now=clock()) == []
    with pytest.raises(WalletNotFound):
        org_shares.open_for_org(session, config=wallet_config, sealer=SEALER, org_id=acme,
                                share_id=short.id, now=clock())


def test_only_employers_and_schools_can_be_chosen(
        session, wallet_config, learner_id, kept, employers, org_id, clock):
    for bad in (org_id, "no-such-org", ""):  # an issuer; unknown; picked "an org" but none
        with pytest.raises(InvalidSharingInput) as caught:
            sharing.create_share(session, config=wallet_config, user_id=learner_id,
                                 presentation_id=kept.id, audience="", purpose="Job",
                                 expiry="30", now=clock(), audience_org_id=bad or "-",
                                 org_sealer=SEALER)
        assert caught.value.errors == {"audience_org": "audience_org_unknown"}
    with pytest.raises(InvalidSharingInput):  # no sealer given: refused, not half-made
        sharing.create_share(session, config=wallet_config, user_id=learner_id,
                             presentation_id=kept.id, audience="", purpose="Job", expiry="30",
                             now=clock(), audience_org_id=employers[0])
    assert session.scalars(select(OrgShare)).all() == []


def test_share_form_inbox_and_opening_through_the_pages(
        client, make_client, web, accounts, employers, clean_db, clock):
    """The learner picks "An organization on this site"; Acme's inbox lists the share; a
    member opens it (fresh check); the learner reads "Acme Hiring viewed this on ..."."""
    import re

    from openler.issuer import awards, catalog
    from openler.issuer.catalog_input import AchievementInput
    from openler.issuer.delivery import offers
    from openler.issuer.keys import KeyVault
    from openler.issuer.models import PublicBase
    from openler.issuer.service import IssuerConfig
    from openler.storage import db as storage_db
    from openler.wallet.crypto import MasterKey

    acme, rival, _ = employers
    _, college = accounts.org_owner("owner@college.example", "Example College")
    learner = accounts.learner("learner@example.org", "Ana Learner")
    secret = "test-secret-key-not-for-production"  # the app's secret in tests/conftest.py
    issuer = IssuerConfig(base=PublicBase.parse("http://testserver"), vault=KeyVault(secret))
    wallet = service.WalletConfig(master=MasterKey(secret), issuer=issuer)
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(s, config=issuer, org_id=college, now=clock(),
                                            data=AchievementInput(name="Welding Basics",
                                                                  description=".",
                                                                  criteria="Passed."))
        row = awards.award(s, config=issuer, org_id=college, achievement_id=course.id,
                           recipient_email="learner@example.org", now=clock())
        token = offers.create_offer(s, org_id=college, award_id=row.id, now=clock()).token
        record = service.receive_from_claim(s, config=wallet, user_id=learner, token=token,
                                            now=clock())
        service.accept(s, config=wallet, user_id=learner, record_id=record.id, now=clock())
        pres = presentations.create(s, config=wallet, user_id=learner, name="For Acme",
                                    record_ids=[record.id], now=clock())
        s.commit()
    csrf = re.compile(r'name="csrf_token" value="([^"]+)"')
    web.sign_in(client, "learner@example.org")
    path = f"/wallet/presentations/{pres.id}/share"
    form = client.get(path).text
    assert "An organization on this site" in form
    assert f'<option value="{acme}">Acme Hiring</option>' in form
    assert "Example College</option>" not in form  # issuers are not an audience
    token = csrf.search(form).group(1)
    missing = client.post(path, data={"csrf_token": token, "audience_kind": "org",
                                      "purpose": "Welder job", "expiry": "30"})
    assert missing.status_code == 400 and 'href="#field-audience_org"' in missing.text
    made = client.post(path, data={"csrf_token": token, "audience_kind": "org",
                                   "audience_org": acme, "purpose": "Welder job",
                                   "expiry": "30"}, follow_redirects=False)
    assert made.status_code == 303, made.text
    share_path = made.headers["location"]
    share_id = share_path.rsplit("/", 1)[1]
    assert "Shared with Acme Hiring" in client.get(share_path).text

    hr = make_client()
    web.sign_in(hr, "hr@acme.example")
    inbox = hr.get(f"/orgs/{acme}/inbox").text
    assert f"/orgs/{acme}/inbox/shares/{share_id}" in inbox
    clock.advance(days=1)
    opened = hr.get(f"/orgs/{acme}/inbox/shares/{share_id}")
    assert opened.status_code == 200
    assert "Welding Basics" in opened.text and "Checked: this record is genuine." in opened.text
    assert "never uses names, photos" in opened.text
    rival_hr = make_client()
    web.sign_in(rival_hr, "hr@rival.example")
    assert rival_hr.get(f"/orgs/{acme}/inbox/shares/{share_id}").status_code == 404
    assert rival_hr.get(f"/orgs/{rival}/inbox/shares/{share_id}").status_code == 404
    assert share_id not in rival_hr.get(f"/orgs/{rival}/inbox").text
    page = client.get(share_path).text
    assert "Acme Hiring viewed this on 24 November 2026" in page
    # The public link opened by someone else is not credited to Acme.
    link = re.search(r"/s/[A-Za-z0-9_-]{20,}", page).group(0)
    clock.advance(days=1)
    assert make_client().get(link).status_code == 200
    page = client.get(share_path).text
    assert "Acme Hiring viewed this on 24 November 2026" in page
    assert ("Someone with the link, not signed in as Acme Hiring, viewed this on"
            " 25 November 2026") in page
    assert "Acme Hiring viewed this on 25 November 2026" not in page

    stop = client.post(f"/wallet/shares/{share_id}/stop",
                       data={"csrf_token": csrf.search(page).group(1)}, follow_redirects=False)
    assert stop.status_code == 303
    assert share_id not in hr.get(f"/orgs/{acme}/inbox").text
    assert hr.get(f"/orgs/{acme}/inbox/shares/{share_id}").status_code == 404


def test_an_altered_inbox_row_opens_nothing(session, wallet_config, learner_id, kept,
                                            employers, clock):
    acme = employers[0]
    made = _share(session, wallet_config, learner_id, kept, clock, acme)
    row = session.get(OrgShare, made.id)
    row.token_ciphertext = bytes(b ^ 1 for b in row.token_ciphertext)
    session.flush()
    with pytest.raises(WalletNotFound):
        org_shares.open_for_org(session, config=wallet_config, sealer=SEALER, org_id=acme,
                                share_id=made.id, now=clock())
    with pytest.raises(WalletNotFound):  # the wrong application secret opens nothing either
        org_shares.open_for_org(session, config=wallet_config,
                                sealer=org_shares.OrgSealer("other"), org_id=acme,
                                share_id=made.id, now=clock())
    assert sharing.get_share(session, config=wallet_config, user_id=learner_id,
                             share_id=made.id).views == ()
