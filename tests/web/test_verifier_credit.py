"""Credit for prior learning pages through the app: an admissions office adds rules (an error
summary with field-specific messages first, nothing saved), removes them; checks a pasted
hand-made CLR, an uploaded CLR issued by this instance, and an answer picked from its inbox;
reads which courses each could count for, by which records and why, with each record's check,
in English and Spanish. Only owners and verifier staff of school or employer organizations;
other organizations 404; bad input changes nothing and never gives a 500."""

from __future__ import annotations

import json
import re
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "verifier"))
from report_material import Party  # noqa: E402

from openler.accounts import service as accounts_service  # noqa: E402
from openler.core.models import ClrCredential, ClrSubject, Profile  # noqa: E402
from openler.core.proofs import sign  # noqa: E402
from openler.issuer import awards, catalog, transcripts  # noqa: E402
from openler.issuer.awards_input import ResultInput  # noqa: E402
from openler.issuer.catalog_input import (  # noqa: E402
    AchievementInput,
    AlignmentInput,
    ResultDescriptionInput,
)
from openler.issuer.delivery import offers  # noqa: E402
from openler.issuer.keys import KeyVault  # noqa: E402
from openler.issuer.models import PublicBase  # noqa: E402
from openler.issuer.service import IssuerConfig  # noqa: E402
from openler.storage import db as storage_db  # noqa: E402
from openler.verifier import credit  # noqa: E402
from openler.wallet import oid4vp_client as vp  # noqa: E402
from openler.wallet import service  # noqa: E402
from openler.wallet.crypto import MasterKey  # noqa: E402
from openler.wallet.keys import open_wallet  # noqa: E402

SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
LEARNER = "did:example:learner-7f3a"
ADVICE = "This is advice for a person to decide. Nothing is granted automatically."


def _config() -> IssuerConfig:
    return IssuerConfig(base=PublicBase.parse("http://testserver"), vault=KeyVault(SECRET))


def _member(clean_db, org_id, owner_id, email, role, accounts):
    accounts.learner(email, f"Staff {role}")
    with storage_db.make_sessionmaker(clean_db)() as s:
        owner = accounts_service.current_user(s, user_id=owner_id)
        accounts_service.add_member(s, user=owner, org_id=org_id, email=email, role=role)
        s.commit()


@pytest.fixture
def office(accounts, clean_db, clock):
    """(school org id, own course id, college org id) with staff of both kinds."""
    owner_id, school = accounts.org_owner("admissions@uni.example", "Example University",
                                          kind="school")
    _member(clean_db, school, owner_id, "checker@uni.example", "verifier_staff", accounts)
    _member(clean_db, school, owner_id, "badges@uni.example", "issuer_staff", accounts)
    _, college = accounts.org_owner("registrar@college.example", "Example College")
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = catalog.create_achievement(
            s, config=_config(), org_id=school, now=clock(),
            data=AchievementInput(name="English Composition", description="Writing.",
                                  criteria="Pass.", human_code="ENG-101",
                                  credits_available="3"))
        s.commit()
        return school, course.id, college


def _csrf(client, path):
    return CSRF.search(client.get(path).text).group(1)


def _post(client, path, data, form_path):
    return client.post(path, data={"csrf_token": _csrf(client, form_path), **data},
                       follow_redirects=False)


def _rules(clean_db, org_id):
    with storage_db.make_sessionmaker(clean_db)() as s:
        return credit.mappings(s, org_id=org_id)


def _clr(issuer: Party, credentials, *, achievements=()):
    doc = ClrCredential(id="urn:uuid:1b0e1d2c-0000-4000-8000-000000000002",
                        name="Transcript of Other College",
                        issuer=Profile(id=issuer.did, name="Other College"),
                        valid_from="2025-06-01T00:00:00Z",
                        credential_subject=ClrSubject(id=LEARNER,
                                                      verifiable_credential=credentials)
                        ).to_json()
    if achievements:
        doc["credentialSubject"]["achievement"] = list(achievements)
    return sign(doc, keypair=issuer.pair, verification_method=issuer.vm)


def _course_credential(issuer: Party, achievement_id: str, name: str, grade: str):
    from helpers import ob3_example

    doc = ob3_example()
    doc.pop("credentialStatus")
    doc.pop("credentialSchema")
    doc["issuer"]["id"] = issuer.did
    subject = doc["credentialSubject"]
    subject.update(id=LEARNER, activityStartDate="2025-02-01T00:00:00Z",
                   activityEndDate="2025-05-30T00:00:00Z")
    subject["achievement"].update(id=achievement_id, name=name, resultDescription=[{
        "id": "urn:rd:grade", "type": ["ResultDescription"], "name": "Final grade",
        "resultType": "Percent"}])
    subject["result"] = [{"type": ["Result"], "resultDescription": "urn:rd:grade",
                          "value": grade}]
    return sign(doc, keypair=issuer.pair, verification_method=issuer.vm)


def test_who_may_use_the_pages(client, make_client, web, office, accounts, clean_db, clock):
    school, course_id, _ = office
    paths = (f"/orgs/{school}/credit", f"/orgs/{school}/credit/check")
    for path in paths:
        assert client.get(path, follow_redirects=False).status_code == 303  # sign in first
    web.sign_in(client, "checker@uni.example")
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert f'href="/orgs/{school}/credit" aria-current="page"' in client.get(paths[0]).text
    with storage_db.make_sessionmaker(clean_db)() as s:
        rule = credit.add_mapping(s, org_id=school, user_id=None, course_id=course_id,
                                  kind="achievement", issuer_did="did:web:a.example",
                                  achievement_id="urn:a:1", note="ENG-101", now=clock())
        s.commit()
    staff = make_client()
    web.sign_in(staff, "badges@uni.example")
    for path in paths:
        assert staff.get(path).status_code == 403
    accounts.org_owner("admissions@rival.example", "Rival University", kind="school")
    accounts.org_owner("owner@badges.example", "Badge Maker", kind="issuer")
    rival = make_client()
    web.sign_in(rival, "admissions@rival.example")
    for path in paths:
        assert rival.get(path).status_code == 404
    token = _csrf(rival, "/account")
    for path, data in ((f"/orgs/{school}/credit/mappings/{rule.id}/remove", {}),
                       (f"/orgs/{school}/credit/mappings", {"course_id": course_id}),
                       (f"/orgs/{school}/credit/check", {"text": "{}"})):
        assert rival.post(path, data={"csrf_token": token, **data}).status_code == 404
    [rival_org] = [m.organization_id for m in _memberships(clean_db, "admissions@rival.example")]
    reply = rival.post(f"/orgs/{rival_org}/credit/mappings/{rule.id}/remove",
                       data={"csrf_token": token})
    assert reply.status_code == 404  # another organization's rule is unknown here
    issuer_org = make_client()
    web.sign_in(issuer_org, "owner@badges.example")
    [badge_org] = [m.organization_id for m in _memberships(clean_db, "owner@badges.example")]
    assert issuer_org.get(f"/orgs/{badge_org}/credit").status_code == 403
    accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")
    employer = make_client()
    web.sign_in(employer, "hr@acme.example")
    [acme] = [m.organization_id for m in _memberships(clean_db, "hr@acme.example")]
    assert employer.get(f"/orgs/{acme}/credit").status_code == 200
    assert [r.id for r in _rules(clean_db, school)] == [rule.id]


def _memberships(clean_db, email):
    from sqlalchemy import select

    from openler.storage.tables import User

    with storage_db.make_sessionmaker(clean_db)() as s:
        user = s.scalars(select(User).where(User.email == email)).one()
        return accounts_service.memberships(s, user=user)


def test_add_with_errors_then_add_and_remove(client, web, office, clean_db):
    school, course_id, _ = office
    web.sign_in(client, "admissions@uni.example")
    form = f"/orgs/{school}/credit"
    assert "English Composition (ENG-101)" in client.get(form).text
    bad = _post(client, f"{form}/mappings", {"kind": "achievement", "issuer_did": "college",
                                             "min_result": "lots"}, form)
    assert bad.status_code == 400
    for field in ("course_id", "issuer_did", "achievement_id", "note", "min_result"):
        assert f'href="#field-{field}"' in bad.text, field
    assert "The issuer must be a DID such as did:web:college.example" in bad.text
    assert "The minimum must be a number" in bad.text
    assert 'value="college"' in bad.text  # what was typed is kept
    skills = _post(client, f"{form}/mappings", {"kind": "skills", "course_id": course_id,
                                                "note": "x"}, form)
    assert skills.status_code == 400 and "Pick at least one skill" in skills.text
    assert _rules(clean_db, school) == []
    made = _post(client, f"{form}/mappings", {
        "kind": "achievement", "course_id": course_id, "issuer_did": "did:web:other.example",
        "achievement_id": "https://other.example/courses/wr-1",
        "note": "counts as ENG-101, 3 credits", "result_name": "Final grade",
        "min_result": "70", "verified_only": "yes"}, form)
    assert made.status_code == 303, made.text
    page = client.get(form).text
    assert "counts as ENG-101, 3 credits" in page and "verified records only" in page
    assert "a result “Final grade” of at least 70" in page
    again = _post(client, f"{form}/mappings", {
        "kind": "achievement", "course_id": course_id, "issuer_did": "did:web:other.example",
        "achievement_id": "https://other.example/courses/wr-1", "note": "again"}, form)
    assert again.status_code == 400 and "already counts for this course" in again.text
    by_skill = _post(client, f"{form}/mappings", {
        "kind": "skills", "course_id": course_id, "note": "by skills",
        "skills_text": "Academic writing, http://data.europa.eu/esco/skill/s1"}, form)
    assert by_skill.status_code == 303
    rules = sorted(_rules(clean_db, school), key=lambda r: r.kind)  # added the same second
    assert [r.kind for r in rules] == ["achievement", "skills"]
    assert [s.name for s in rules[1].skills] == ["Academic writing",
                                                 "http://data.europa.eu/esco/skill/s1"]
    for garbage in ("0" * 32, "x" * 300):
        assert _post(client, f"{form}/mappings/{garbage}/remove", {}, form).status_code == 404
    gone = _post(client, f"{form}/mappings/{rules[0].id}/remove", {}, form)
    assert gone.status_code == 303
    assert [r.id for r in _rules(clean_db, school)] == [rules[1].id]


def test_paste_a_hand_made_clr_in_english_and_spanish(client, web, office, clean_db, clock):
    school, course_id, _ = office
    other = Party()
    clr = _clr(other, [_course_credential(other, "urn:course:wr-1", "Writing I", "82"),
                       _course_credential(other, "urn:course:bio-1", "Biology", "90")])
    with storage_db.make_sessionmaker(clean_db)() as s:
        credit.add_mapping(s, org_id=school, user_id=None, course_id=course_id,
                           kind="achievement", issuer_did=other.did,
                           achievement_id="urn:course:wr-1", note="counts as ENG-101",
                           result_name="Final grade", min_result="70", now=clock())
        s.commit()
    web.sign_in(client, "admissions@uni.example")
    check = f"/orgs/{school}/credit/check"
    page = _post(client, check, {"from": "given", "text": json.dumps(clr)}, check)
    assert page.status_code == 200, page.text
    text = page.text
    assert ADVICE in text and "Could count, for a person to decide" in text
    assert "Rule met by verified records" in text and "counts as ENG-101" in text
    assert "Record 1.1: Writing I" in text and "at least the minimum of 70" in text
    unmatched = text.split('id="unmatched-title"')[1].split("</section>")[0]
    assert "Record 1.2: Biology" in unmatched and "Writing I" not in unmatched
    assert "Checks of record 1.1" in text and "<details>" in text
    assert "Transcript of Other College" in text  # the CLR's own report
    client.get("/language/es")
    es = _post(client, check, {"from": "given", "text": json.dumps(clr)}, check).text
    assert "Esto es un consejo para que una persona decida" in es
    assert "Podría contar, para que una persona decida" in es
    assert "Registros que ninguna regla reconoció" in es


def test_upload_a_clr_issued_by_this_instance(client, web, office, clean_db, clock):
    school, course_id, college = office
    config = _config()
    with storage_db.make_sessionmaker(clean_db)() as s:
        writing = catalog.create_achievement(
            s, config=config, org_id=college, now=clock(),
            data=AchievementInput(
                name="Writing I", description="Essays.", criteria="Pass.",
                alignments=[AlignmentInput("Academic writing", target_framework="ESCO",
                                           target_code="S1.6.1",
                                           target_url="http://data.europa.eu/esco/skill/s161")],
                result_descriptions=[ResultDescriptionInput("Final grade", "Percent")]))
        awards.award(s, config=config, org_id=college, achievement_id=writing.id,
                     recipient_did=LEARNER, results=(ResultInput("Final grade", value="55"),),
                     now=clock())
        clr = transcripts.learner_record(s, config=config, org_id=college,
                                         recipient_did=LEARNER, now=clock())
        credit.add_mapping(s, org_id=school, user_id=None, course_id=course_id, kind="skills",
                           skills=[credit.Skill(name="Writing", framework="esco",
                                                code="s1.6.1")],
                           note="by the skill", result_name="Final grade", min_result="60",
                           now=clock())
        s.commit()
    web.sign_in(client, "checker@uni.example")
    check = f"/orgs/{school}/credit/check"
    page = client.post(check, data={"csrf_token": _csrf(client, check), "from": "given"},
                       files={"file": ("clr.json", json.dumps(clr).encode(),
                                       "application/json")})
    assert page.status_code == 200, page.text
    assert "What was checked: clr.json" in page.text
    assert "No rule for this course is fully met" in page.text
    assert "below the minimum of 60" in page.text and "Verified" in page.text
    assert "Skills no counting record shows:" in page.text


@pytest.mark.parametrize(("data", "files", "message"), [
    ({"from": "given"}, None, "Paste the text or choose a file."),
    ({"from": "given", "text": "hello"}, None, "This is not a credential or presentation"),
    ({"from": "given"}, {"file": ("x.json", b"\xff\xfe\x00", "application/json")},
     "We cannot read this file."),
    ({"from": "given"}, {"file": ("x.json", b"", "application/json")},
     "Paste the text or choose a file."),
    ({"from": "inbox"}, None, "Choose an answer or a share from your inbox."),
    ({"from": "inbox", "pick": "answer:" + "0" * 32}, None, "This is no longer in your inbox"),
    ({"from": "inbox", "pick": "share:nope"}, None, "This is no longer in your inbox"),
    ({"from": "inbox", "pick": "garbage"}, None, "Choose an answer or a share"),
])
def test_bad_input_gets_a_specific_message(client, web, office, clean_db, data, files,
                                           message):
    school = office[0]
    web.sign_in(client, "admissions@uni.example")
    check = f"/orgs/{school}/credit/check"
    reply = client.post(check, data={"csrf_token": _csrf(client, check), **data}, files=files)
    assert reply.status_code == 400
    assert message in reply.text and "data-error-summary" in reply.text
    assert _rules(clean_db, school) == []


def test_too_large_and_without_csrf(client, web, office):
    school = office[0]
    web.sign_in(client, "admissions@uni.example")
    check = f"/orgs/{school}/credit/check"
    big = client.post(check, data={"csrf_token": _csrf(client, check), "from": "given"},
                      files={"file": ("x.json", b"{" + b" " * 2_100_000, "application/json")})
    assert big.status_code == 400 and "larger than 2 MB" in big.text
    assert client.post(check, data={"from": "given", "text": "{}"}).status_code == 403
    assert client.post(f"/orgs/{school}/credit/mappings", data={}).status_code == 403


class _ClientHttp:
    def __init__(self, client) -> None:
        self.client = client

    def fetch(self, url, *, headers=None):
        from openler.core.dids import FetchResponse

        reply = self.client.get(urlsplit(url).path)
        return FetchResponse(reply.status_code, reply.content, dict(reply.headers))

    def post(self, url, *, form=None, json_body=None, headers=None):
        from openler.core.dids import FetchResponse

        reply = self.client.post(urlsplit(url).path, data=form or {})
        return FetchResponse(reply.status_code, reply.content, dict(reply.headers))


def test_pick_an_answer_from_the_inbox(client, make_client, web, office, accounts, clean_db,
                                       clock):
    school, course_id, college = office
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    config = _config()
    wallet = service.WalletConfig(master=MasterKey(SECRET), issuer=config)
    with storage_db.make_sessionmaker(clean_db)() as s:
        welding = catalog.create_achievement(
            s, config=config, org_id=college, now=clock(),
            data=AchievementInput(name="Welding Basics", description=".", criteria="Passed."))
        row = awards.award(s, config=config, org_id=college, achievement_id=welding.id,
                           recipient_email="learner@example.org", now=clock())
        new = offers.create_offer(s, org_id=college, award_id=row.id, now=clock())
        record = service.receive_from_claim(s, config=wallet, user_id=learner_id,
                                            token=new.token, now=clock())
        service.accept(s, config=wallet, user_id=learner_id, record_id=record.id, now=clock())
        credit.add_mapping(s, org_id=school, user_id=None, course_id=course_id,
                           kind="achievement", issuer_did=config.base.org_did(college),
                           achievement_id=row.credential["credentialSubject"]["achievement"]
                           ["id"], note="Welding counts as ENG-101 (test)", now=clock())
        s.commit()
    web.sign_in(client, "admissions@uni.example")
    until = (clock() + timedelta(days=3)).date().isoformat()
    made = _post(client, f"/orgs/{school}/requests/new", {
        "purpose": "Admission 2027", "until": until, "credential_type": "achievement"},
        f"/orgs/{school}/requests/new")
    assert made.status_code == 303, made.text
    link = re.search(r"openid4vp://\?[^<\s\"]+", client.get(made.headers["location"]).text
                     ).group(0).replace("&amp;", "&")
    learner = make_client()
    http = _ClientHttp(learner)
    ask = vp.load_request(link, fetcher=http, now=clock())
    with storage_db.make_sessionmaker(clean_db)() as s:
        records = service.records(s, config=wallet, user_id=learner_id)
        picks = {m.query.id: [m.candidates[0]] for m in vp.match(ask, records) if m.candidates}
        keys = open_wallet(s, master=wallet.master, user_id=learner_id)
        token = vp.build_vp_token(ask, picks, wallet=keys, now=clock())
    assert vp.send(ask, token, fetcher=http).accepted
    check = f"/orgs/{school}/credit/check"
    form = client.get(check).text
    answer_id = re.search(r'value="answer:([0-9a-f]{32})"', form).group(1)
    assert "Answer to “Admission 2027”" in form
    page = _post(client, check, {"from": "inbox", "pick": f"answer:{answer_id}"}, check)
    assert page.status_code == 200, page.text
    assert "Could count, for a person to decide" in page.text
    assert "Welding counts as ENG-101 (test)" in page.text
    assert "Record 1: Welding Basics" in page.text and "Rule met by verified records" in page.text
    assert "What was checked: Admission 2027" in page.text


def test_pick_a_share_from_the_inbox(client, web, office, accounts, clean_db, clock):
    from openler.wallet import org_shares, presentations, sharing

    school, course_id, college = office
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    config = _config()
    wallet = service.WalletConfig(master=MasterKey(SECRET), issuer=config)
    with storage_db.make_sessionmaker(clean_db)() as s:
        welding = catalog.create_achievement(
            s, config=config, org_id=college, now=clock(),
            data=AchievementInput(name="Welding Basics", description=".", criteria="Passed."))
        row = awards.award(s, config=config, org_id=college, achievement_id=welding.id,
                           recipient_email="learner@example.org", now=clock())
        new = offers.create_offer(s, org_id=college, award_id=row.id, now=clock())
        record = service.receive_from_claim(s, config=wallet, user_id=learner_id,
                                            token=new.token, now=clock())
        service.accept(s, config=wallet, user_id=learner_id, record_id=record.id, now=clock())
        pres = presentations.create(s, config=wallet, user_id=learner_id, name="For the uni",
                                    record_ids=[record.id], now=clock())
        share = sharing.create_share(s, config=wallet, user_id=learner_id,
                                     presentation_id=pres.id, audience="", purpose="Admission",
                                     expiry="30", now=clock(), audience_org_id=school,
                                     org_sealer=org_shares.OrgSealer(SECRET))
        credit.add_mapping(s, org_id=school, user_id=None, course_id=course_id,
                           kind="achievement", issuer_did=config.base.org_did(college),
                           achievement_id=row.credential["credentialSubject"]["achievement"]
                           ["id"], note="Welding counts (share)", verified_only=True,
                           now=clock())
        s.commit()
    web.sign_in(client, "admissions@uni.example")
    check = f"/orgs/{school}/credit/check"
    form = client.get(check).text
    assert f'value="share:{share.id}"' in form
    page = _post(client, check, {"from": "inbox", "pick": f"share:{share.id}"}, check)
    assert page.status_code == 200, page.text
    assert "Welding counts (share)" in page.text and "Rule met by verified records" in page.text
    with storage_db.make_sessionmaker(clean_db)() as s:
        assert "Example University" in org_shares.viewers(s, share_id=share.id).values()


@pytest.mark.parametrize("text", [
    "[]", "null", '"eyJhbGciOiJFZERTQSJ9.e30.c2ln"', '{"credentialSubject": "x"}',
    json.dumps({"type": ["VerifiablePresentation"], "verifiableCredential": [
        1, "x", {"credentialSubject": {"verifiableCredential": [None, {}, "eyJ.e30.x"],
                                       "achievement": [{"id": 3}, "x"],
                                       "association": {"associationType": "isChildOf"}}}]}),
    json.dumps({"type": ["VerifiableCredential", "ClrCredential"], "issuer": 5,
                "credentialSubject": [{"verifiableCredential": {"issuer": []},
                                       "result": [{"value": {"a": 1}}]}]}),
])
def test_odd_documents_never_give_a_500(client, web, office, text):
    school = office[0]
    web.sign_in(client, "admissions@uni.example")
    check = f"/orgs/{school}/credit/check"
    reply = _post(client, check, {"from": "given", "text": text}, check)
    assert reply.status_code in (200, 400), reply.text
    assert ("Credit advice" in reply.text) == (reply.status_code == 200)
