"""A reissued credential is offered to the learner at once, as a new award is: by email
when mail is set up (the link claims the new credential, not the old one), in the outbox
otherwise, and for a DID-only credential the link is shown to staff."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from test_award_offers import LINK, _award, _client

from openler.storage import db as storage_db
from openler.storage.tables_catalog import Award
from openler.storage.tables_delivery import ClaimOffer


@pytest.fixture
def mail_on(settings, clock, web, accounts, clean_db, smtp_inbox):
    port, inbox = smtp_inbox
    client, org_id, course = _client(settings, clock, web, accounts, clean_db,
                                     smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False)
    yield client, org_id, course, inbox
    client.__exit__(None, None, None)


@pytest.fixture
def mail_off(settings, clock, web, accounts, clean_db):
    client, org_id, course = _client(settings, clock, web, accounts, clean_db)
    yield client, org_id, course
    client.__exit__(None, None, None)


def _reissue(client, web, org_id, award_id, name="Sam New-Name"):
    life = f"/orgs/{org_id}/awards/{award_id}/life"
    return client.post(f"{life}/reissue", data={"csrf_token": web.csrf_of(client, life),
                                                "recipient_name": name},
                       follow_redirects=False)


def _offered_award_ids(engine) -> list[str]:
    with storage_db.make_sessionmaker(engine)() as s:
        return list(s.scalars(select(ClaimOffer.award_id).order_by(ClaimOffer.created_at)))


def _award_ids(engine) -> list[str]:
    with storage_db.make_sessionmaker(engine)() as s:
        return list(s.scalars(select(Award.id).order_by(Award.awarded_at, Award.id)))


def test_a_reissued_credential_is_emailed_to_the_learner(mail_on, web, clean_db, make_client):
    client, org_id, course, inbox = mail_on
    _award(client, web, org_id, course, recipient_email="sam@learner.example")
    [old] = _award_ids(clean_db)
    response = _reissue(client, web, org_id, old)
    assert response.status_code == 303
    new = response.headers["location"].split("/")[-2]
    assert new != old and response.headers["location"] == f"/orgs/{org_id}/awards/{new}/life"
    page = client.get(response.headers["location"]).text
    assert "Its claim offer is sent to the learner by email." in page
    assert _offered_award_ids(clean_db) == [old, new]
    assert [r[1] for r in inbox.received] == [["sam@learner.example"]] * 2
    path = LINK.search(inbox.bodies()[-1]).group(1)
    learner = make_client()
    assert learner.get(path).status_code == 200
    file = learner.post(f"{path}/download", data={"csrf_token": web.csrf_of(learner, path)})
    assert file.status_code == 200 and f"credential-{new}.json" in file.headers[
        "content-disposition"]
    assert file.json()["credentialSubject"]["identifier"]  # the learner's own, corrected copy
    assert "Sam New-Name" in file.text


def test_without_mail_the_reissued_offer_waits_in_the_outbox(mail_off, web, clean_db):
    client, org_id, course = mail_off
    _award(client, web, org_id, course, recipient_email="sam@learner.example")
    [old] = _award_ids(clean_db)
    response = _reissue(client, web, org_id, old)
    assert response.status_code == 303
    assert "so its claim offer is in the outbox" in client.get(response.headers["location"]).text
    assert len(_offered_award_ids(clean_db)) == 2
    outbox = client.get(f"/orgs/{org_id}/outbox").text
    assert len(set(LINK.findall(outbox))) == 2


def test_a_reissued_did_credential_shows_staff_the_new_link(mail_on, web, clean_db):
    client, org_id, course, inbox = mail_on
    _award(client, web, org_id, course, recipient_did="did:example:learner-42")
    [old] = _award_ids(clean_db)
    response = _reissue(client, web, org_id, old)
    assert response.status_code == 303 and response.headers["location"] == f"/orgs/{org_id}/outbox"
    page = client.get(response.headers["location"]).text
    assert "The corrected credential is issued and the old one is revoked. Give the learner" in page
    assert re.search(r"type this one: \d{6}", page)
    assert len(_offered_award_ids(clean_db)) == 2 and inbox.received == []
