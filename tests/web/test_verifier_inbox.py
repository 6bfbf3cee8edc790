"""Employer pages through the app: make a request for two skills (an error summary first),
see its openid4vp:// link, QR code and expiry; a learner's wallet answers through the
request and response endpoints; the answer shows verified, with the match explanation; the
issuer revokes one record and "Check again now" shows it revoked. Refused replays are listed
as refused. Roles rank answers and say what matching never uses. Only owners and verifier
staff: learners and other organizations get 404, issuer staff 403, never a 500."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from openler.accounts import service as accounts_service
from openler.issuer import awards, catalog, lifecycle
from openler.issuer.catalog_input import AchievementInput, AlignmentInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.verifier import matching
from openler.wallet import oid4vp_client as vp
from openler.wallet import service
from openler.wallet.crypto import MasterKey
from openler.wallet.keys import open_wallet
from openler.wallet.models import Skill

SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
LINK = re.compile(r"openid4vp://\?[^<\s]+")
WELD = Skill(name="weld metal parts", framework="ESCO", code="S6.7.1",
             url="http://data.europa.eu/esco/skill/weld-metal")
FORK = Skill(name="operate forklift", framework="ESCO", code="S8.2.0",
             url="http://data.europa.eu/esco/skill/forklift")


class ClientHttp:
    """The wallet client's fetcher, answered by the app through the test client."""

    def __init__(self, client) -> None:
        self.client = client
        self.posted: list[tuple[str, dict]] = []

    def fetch(self, url, *, headers=None):
        from openler.core.dids import FetchResponse

        reply = self.client.get(urlsplit(url).path)
        return FetchResponse(reply.status_code, reply.content, dict(reply.headers))

    def post(self, url, *, form=None, json_body=None, headers=None):
        from openler.core.dids import FetchResponse

        self.posted.append((urlsplit(url).path, dict(form or {})))
        reply = self.client.post(urlsplit(url).path, data=form or {})
        return FetchResponse(reply.status_code, reply.content, dict(reply.headers))


@pytest.fixture
def hiring(accounts, clean_db, clock):
    """(acme org id, college org id, forklift award id, learner id)."""
    _, college = accounts.org_owner("owner@college.example", "Example College")
    owner_id, acme = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")
    accounts.org_owner("hr@rival.example", "Rival Hiring", kind="employer")
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    accounts.learner("staff@acme.example", "Iris Issuer")
    issuer = IssuerConfig(base=PublicBase.parse("http://testserver"), vault=KeyVault(SECRET))
    wallet = service.WalletConfig(master=MasterKey(SECRET), issuer=issuer)
    awards_made = []
    with storage_db.make_sessionmaker(clean_db)() as s:
        owner = accounts_service.current_user(s, user_id=owner_id)
        accounts_service.add_member(s, user=owner, org_id=acme, email="staff@acme.example",
                                    role="issuer_staff")
        for name, skill in (("Welding Basics", WELD), ("Forklift Safety", FORK)):
            course = catalog.create_achievement(
                s, config=issuer, org_id=college, now=clock(),
                data=AchievementInput(name=name, description=".", criteria="Passed.",
                                      alignments=[AlignmentInput(
                                          target_name=skill.name, target_url=skill.url,
                                          target_framework=skill.framework,
                                          target_code=skill.code)]))
            row = awards.award(s, config=issuer, org_id=college, achievement_id=course.id,
                               recipient_email="learner@example.org", now=clock())
            new = offers.create_offer(s, org_id=college, award_id=row.id, now=clock())
            record = service.receive_from_claim(s, config=wallet, user_id=learner_id,
                                                token=new.token, now=clock())
            service.accept(s, config=wallet, user_id=learner_id, record_id=record.id,
                           now=clock())
            awards_made.append(row.id)
        s.commit()
    return acme, college, awards_made[1], learner_id, wallet


def _post(client, path, data, form_path=None):
    token = CSRF.search(client.get(form_path or path).text).group(1)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _answer_from_wallet(client, clean_db, link, learner_id, wallet, clock):
    http = ClientHttp(client)
    ask = vp.load_request(link, fetcher=http, now=clock())
    with storage_db.make_sessionmaker(clean_db)() as s:
        records = service.records(s, config=wallet, user_id=learner_id)
        picks = {m.query.id: [m.candidates[0]] for m in vp.match(ask, records) if m.candidates}
        keys = open_wallet(s, master=wallet.master, user_id=learner_id)
        token = vp.build_vp_token(ask, picks, wallet=keys, now=clock())
    return vp.send(ask, token, fetcher=http), http.posted


def _answered_request(client, clean_db, clock, org_id, learner_id, wallet, skills) -> str:
    """The signed-in employer asks for these skills; the learner's wallet answers. Returns
    the request's page."""
    until = (clock() + timedelta(days=3)).date().isoformat()
    made = _post(client, f"/orgs/{org_id}/requests/new", {
        "purpose": "Driver job", "until": until, "credential_type": "achievement",
        **{f"skill-{matching.skill_key(skill)}": "yes" for skill in skills}})
    link = LINK.search(client.get(made.headers["location"]).text).group(0).replace("&amp;", "&")
    learner = client.__class__(client.app, base_url="http://testserver")
    with learner:
        answer, _ = _answer_from_wallet(learner, clean_db, link, learner_id, wallet, clock)
        assert answer.accepted, answer
    return made.headers["location"]


def test_request_answer_match_revoke_and_check_again(client, web, hiring, clean_db, clock):
    acme, college, forklift_award, learner_id, wallet = hiring
    web.sign_in(client, "hr@acme.example")
    form = client.get(f"/orgs/{acme}/requests/new").text
    assert "weld metal parts (ESCO S6.7.1)" in form and 'type="date"' in form
    bad = _post(client, f"/orgs/{acme}/requests/new",
                {"purpose": " ", "until": "not a day", "credential_type": "achievement"})
    assert bad.status_code == 400
    assert 'href="#field-purpose"' in bad.text and 'href="#field-until"' in bad.text
    far = (clock() + timedelta(days=30)).date().isoformat()
    assert "at most 7 days" in _post(client, f"/orgs/{acme}/requests/new",
                                     {"purpose": "Welder", "until": far}).text
    until = (clock() + timedelta(days=3)).date().isoformat()
    made = _post(client, f"/orgs/{acme}/requests/new", {
        "purpose": "Welder job at Acme", "until": until, "credential_type": "achievement",
        f"skill-{matching.skill_key(WELD)}": "yes", "free_text": "Operate Forklift"})
    assert made.status_code == 303, made.text
    page_path = made.headers["location"]
    page = client.get(page_path).text
    link = LINK.search(page).group(0).replace("&amp;", "&")
    assert "<svg" in page and "QR code of the request link" in page
    assert "No answer yet." in page and "operate forklift" in page

    learner = client.__class__(client.app, base_url="http://testserver")
    with learner:
        answer, posted = _answer_from_wallet(learner, clean_db, link, learner_id, wallet, clock)
        assert answer.accepted, answer
        with pytest.raises(vp.RequestProblem):  # the request is single use
            _answer_from_wallet(learner, clean_db, link, learner_id, wallet, clock)
        [(path, sent)] = posted
        assert learner.post(path, data=sent).status_code == 400  # a replayed answer
    listed = client.get(f"/orgs/{acme}/inbox").text
    assert "Refused by this site" in listed and "a repeated or reused answer" in listed
    page = client.get(page_path).text
    assert "Checked: genuine and current" in page
    assert page.count("Met by a verified record:") == 2
    assert "never uses names, photos" in page
    assert "Check again now" in page

    clock.advance(hours=2)
    with storage_db.make_sessionmaker(clean_db)() as s:
        lifecycle.revoke(s, org_id=college, award_id=forklift_award, reason="Error",
                         now=clock())
        s.commit()
    answer_ids = re.findall(r'id="answer-([0-9a-f]{32})"', page)
    [answer_id] = re.findall(r"/answers/([0-9a-f]{32})/check", page)  # the refused one: none
    assert len(answer_ids) == 2 and answer_id in answer_ids
    refused = next(i for i in answer_ids if i != answer_id)
    assert _post(client, f"{page_path}/answers/{refused}/check", {},
                 form_path=page_path).status_code == 404
    checked = _post(client, f"{page_path}/answers/{answer_id}/check", {}, form_path=page_path)
    assert checked.status_code == 303
    page = client.get(page_path).text
    assert "Problem found" in page and "Revoked" in page
    assert "Only in records that did not pass the check:" in page
    assert page.count("Met by a verified record:") == 1
    for garbage in ("0" * 32, "x" * 500, "%00"):
        assert _post(client, f"{page_path}/answers/{garbage}/check", {},
                     form_path=page_path).status_code == 404
    inbox = client.get(f"/orgs/{acme}/inbox").text
    assert "Welder job at Acme" in inbox and "Problem found" in inbox

    roles = client.get(f"/orgs/{acme}/roles").text
    role_id = re.search(rf"/orgs/{acme}/roles/([0-9a-f]{{32}})", roles).group(1)
    ranked = client.get(f"/orgs/{acme}/roles/{role_id}").text
    assert "strongest match first" in ranked and "dates of birth" in ranked


def test_roles_form_and_access(client, make_client, web, hiring, clean_db):
    acme = hiring[0]
    web.sign_in(client, "hr@acme.example")
    bad = _post(client, f"/orgs/{acme}/roles", {"name": ""})
    assert bad.status_code == 400 and 'href="#field-required"' in bad.text
    made = _post(client, f"/orgs/{acme}/roles", {
        "name": "Forklift driver", f"required-{matching.skill_key(FORK)}": "yes",
        "preferred_text": "first aid"})
    assert made.status_code == 303
    role_page = client.get(made.headers["location"]).text
    assert "operate forklift" in role_page and "first aid" in role_page
    for path in ("/requests", "/requests/new", "/inbox", "/roles",
                 "/requests/" + "0" * 32, "/roles/" + "0" * 32, "/inbox/shares/" + "0" * 32):
        assert client.get(f"/orgs/{acme}{path}").status_code in (200, 404)
    for path in ("/requests/" + "0" * 32, "/roles/nope", "/inbox/shares/nope"):
        assert client.get(f"/orgs/{acme}{path}").status_code == 404
    rival = make_client()
    web.sign_in(rival, "hr@rival.example")
    learner = make_client()
    web.sign_in(learner, "learner@example.org")
    staff = make_client()
    web.sign_in(staff, "staff@acme.example")
    role_path = made.headers["location"]
    rival_org = re.search(r"/orgs/([0-9a-f]{32})", rival.get("/").text).group(1)
    assert rival.get(f"/orgs/{rival_org}{role_path.split(acme, 1)[1]}").status_code == 404
    for path in (f"/orgs/{acme}/requests", f"/orgs/{acme}/inbox", role_path):
        assert rival.get(path).status_code == 404
        assert learner.get(path).status_code == 404
        assert staff.get(path).status_code == 403
    assert client.get(f"/orgs/{acme}/requests").status_code == 200


def test_role_and_inbox_rank_with_similar_names_and_without_the_model(
        client, web, hiring, clean_db, clock, monkeypatch):
    acme, _, _, learner_id, wallet = hiring
    web.sign_in(client, "hr@acme.example")
    _answered_request(client, clean_db, clock, acme, learner_id, wallet, [WELD, FORK])
    role = _post(client, f"/orgs/{acme}/roles", {
        "name": "Forklift driver", "required_text": "forklift operation",
        "preferred_text": "basket weaving"})
    role_id = role.headers["location"].rsplit("/", 1)[1]
    alike = re.compile(r"Forklift Safety \(verified\) – <strong>similar name</strong>: "
                       r"“operate forklift”, (\d\d)% alike")
    for path in (f"/orgs/{acme}/roles/{role_id}", f"/orgs/{acme}/inbox?role={role_id}"):
        page = client.get(path).text
        assert "meanings are at least 85% alike (a language model compares them)" in page
        assert int(alike.search(page).group(1)) >= 85
        assert page.count("Met by a verified record:") == 1
        assert page.count("Missing: no record shows it") == 1  # basket weaving
        assert "matches by a similar name only" in page and "dates of birth" in page
    plain = client.get(f"/orgs/{acme}/inbox").text
    assert "Rank the answers against a role" in plain and "similar name" not in plain
    assert "Forklift driver" in plain  # offered in the role picker

    from collections import OrderedDict

    from openler.skills import similarity
    from openler.skills.encoder import ModelUnavailableError

    def broken():
        raise ModelUnavailableError("not installed")
    monkeypatch.setattr(similarity, "Encoder", broken)
    monkeypatch.setattr(similarity, "_encoder", None)
    monkeypatch.setattr(similarity, "_failure", None)
    monkeypatch.setattr(similarity, "_cache", OrderedDict())
    page = client.get(f"/orgs/{acme}/roles/{role_id}")
    assert page.status_code == 200
    assert "language model that compares skill names is not available" in page.text
    assert "similar name</strong>" not in page.text
    assert page.text.count("Missing: no record shows it") == 2  # exact only


def test_a_role_in_another_framework_is_met_through_a_crosswalk(client, web, hiring, clean_db,
                                                                clock):
    """The role asks for O*NET's forklift element; the learner's record is aligned to ESCO's
    "operate forklift"; a stored crosswalk says they are the same, and the page says so."""
    from sqlalchemy import select

    from openler.skills_service import crosswalks
    from openler.storage.tables_verifier import VerifierRequest

    acme, college, _, learner_id, wallet = hiring
    onet = Skill(name="Operation of Powered Industrial Trucks", framework="O*NET",
                 code="4.A.3.a.3", url="https://www.onetonline.org/find/descriptor/result/"
                                       "4.A.3.a.3")
    issuer = IssuerConfig(base=PublicBase.parse("http://testserver"), vault=KeyVault(SECRET))
    with storage_db.make_sessionmaker(clean_db)() as s:
        catalog.create_achievement(  # so the O*NET element is in this site's skill list
            s, config=issuer, org_id=college, now=clock(),
            data=AchievementInput(name="Truck Operations", description=".", criteria="Passed.",
                                  alignments=[AlignmentInput(
                                      target_name=onet.name, target_url=onet.url,
                                      target_framework=onet.framework, target_code=onet.code)]))
        crosswalks.import_crosswalk(s, name="Forklift crosswalk", now=clock(), links=[
            crosswalks.Link(onet.url, FORK.url, "exactMatch")])
        s.commit()
    web.sign_in(client, "hr@acme.example")
    # the request asks for the O*NET element; the learner's ESCO-aligned record answers it,
    # because the query accepts the crosswalk's address too
    asked_page = _answered_request(client, clean_db, clock, acme, learner_id, wallet, [onet])
    assert "by the crosswalk “Forklift crosswalk”: “operate forklift”" in \
        client.get(asked_page).text
    with storage_db.make_sessionmaker(clean_db)() as s:
        [asked] = s.scalars(select(VerifierRequest).where(VerifierRequest.org_id == acme)).all()
        urls = [c for c in asked.dcql_query["credentials"][0]["claims"] if c["id"] == "url"]
        assert urls[0]["values"] == [onet.url, FORK.url]
    role = _post(client, f"/orgs/{acme}/roles", {
        "name": "Truck driver", f"required-{matching.skill_key(onet)}": "yes",
        "required_text": "", "preferred_text": ""})
    assert role.status_code == 303, role.text
    page = client.get(role.headers["location"]).text
    assert ("Forklift Safety (verified) – the same skill in another framework, by the "
            "crosswalk “Forklift crosswalk”: “operate forklift”") in page
    assert page.count("Met by a verified record:") == 1
