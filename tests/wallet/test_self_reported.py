"""Self-reported learning in the wallet (openler.wallet.self_reported): the credential is an
OB 3.0 OpenBadgeCredential issued by and about the learner's own did:key, valid against the
bundled schema, verified with the learner's key only, marked self-reported, carrying its
evidence files as data: URLs within the limits; bad input stores nothing; an edit signs a
new version into the same record and the shares holding it keep working."""

from __future__ import annotations

import base64
import copy
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openler.core.schema import validate
from openler.issuer import catalog
from openler.issuer.catalog_input import AchievementInput, AlignmentInput
from openler.wallet import (
    presentations,
    self_reported,
    self_reported_evidence,
    service,
    sharing,
    verification,
)
from openler.wallet.errors import WalletNotFound
from openler.wallet.keys import ensure_wallet
from openler.wallet.models import Record
from openler.wallet.self_reported_input import (
    MAX_FILE_BYTES,
    EvidenceFile,
    InvalidSelfReport,
    SelfReportedInput,
    check,
    sniff,
)
from openler.wallet.summary import summarize

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)


def _entry(**changes) -> SelfReportedInput:
    values = dict(title="Food bank volunteer", kind="volunteering",
                  description="Sorted donations and ran the Saturday shift.",
                  organization="Banco de Alimentos de Madrid", start="2025-01-10",
                  end="2025-06-30", skills="Teamwork\nLogistics, Spanish")
    values.update(changes)
    return SelfReportedInput(**values)


def _add(session, wallet_config, learner_id, clock, **changes):
    return self_reported.add(session, config=wallet_config, user_id=learner_id,
                             data=_entry(**changes), learner_name="Ana Learner", now=clock())


def test_credential_is_issued_by_and_about_the_learner(session, wallet_config, learner_id,
                                                      clock):
    record = _add(session, wallet_config, learner_id, clock,
                  files=(EvidenceFile("thanks.pdf", PDF, "Thank-you letter"),))
    did = service.wallet_did(session, config=wallet_config, user_id=learner_id, now=clock())
    vc = record.credential
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["issuer"] == {"id": did, "type": ["Profile"]}  # no name unless asked
    subject = vc["credentialSubject"]
    assert subject["id"] == did and did.startswith("did:key:z6Mk")
    assert subject["activityStartDate"] == "2025-01-10T00:00:00Z"
    assert subject["activityEndDate"] == "2025-06-30T00:00:00Z"
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "CommunityService"
    assert achievement["name"] == "Food bank volunteer"
    assert "Where or with whom: Banco de Alimentos de Madrid" in \
        achievement["criteria"]["narrative"]
    assert [a["targetName"] for a in achievement["alignment"]] == [
        "Teamwork", "Logistics", "Spanish"]
    assert all(a["targetType"] == "ext:SelfDescribedSkill" for a in achievement["alignment"])
    [evidence] = vc["evidence"]
    assert evidence["type"] == ["Evidence"] and evidence["name"] == "thanks.pdf"
    assert evidence["description"] == "Thank-you letter"
    assert evidence["id"] == "data:application/pdf;base64," + base64.b64encode(PDF).decode()
    assert vc["proof"]["verificationMethod"].startswith(did + "#")
    assert vc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert record.source == "self" and record.state == "kept"
    assert record.summary.self_reported and record.self_reported
    assert service.records(session, config=wallet_config, user_id=learner_id) == [record]


@pytest.mark.parametrize(("kind", "expected"), [
    ("volunteering", "CommunityService"), ("informal", "ext:InformalLearning"),
    ("work", "ext:WorkExperience"), ("project", "ext:Project")])
def test_kinds_use_the_ob3_vocabulary_or_an_extension(session, wallet_config, learner_id, clock,
                                                      kind, expected):
    record = _add(session, wallet_config, learner_id, clock, kind=kind, end="")
    achievement = record.credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == expected
    assert "activityEndDate" not in record.credential["credentialSubject"]
    assert validate({**record.credential, "proof": [record.credential["proof"]]}) == []


def test_name_only_when_the_learner_asks(session, wallet_config, learner_id, clock):
    record = _add(session, wallet_config, learner_id, clock, show_name=True)
    assert record.credential["issuer"]["name"] == "Ana Learner"
    assert record.summary.issuer_name == "Ana Learner"


def test_schema_valid_and_verified_with_the_learner_key_only(session, wallet_config,
                                                             learner_id, clock):
    record = _add(session, wallet_config, learner_id, clock,
                  files=(EvidenceFile("photo.png", PNG),))
    vc = record.credential
    assert validate({**vc, "proof": [vc["proof"]]}) == []
    assert record.arrival.outcome == "verified"
    result = verification.check(session, credential=vc, config=wallet_config.issuer,
                                now=clock())
    checks = {c.name: c.status for c in result.checks}
    assert checks["proof"] == "passed" and checks["schema"] == "passed"
    assert result.outcome == "verified"


@pytest.mark.parametrize("path", [("credentialSubject", "achievement", "name"),
                                  ("credentialSubject", "activityStartDate"),
                                  ("evidence", 0, "id")])
def test_tampering_fails_the_proof(session, wallet_config, learner_id, clock, path):
    record = _add(session, wallet_config, learner_id, clock,
                  files=(EvidenceFile("notes.txt", b"What I did."),))
    forged = copy.deepcopy(record.credential)
    target = forged
    for step in path[:-1]:
        target = target[step]
    original = target[path[-1]]
    target[path[-1]] = ("data:text/plain;base64," + base64.b64encode(b"Forged").decode()
                        if path[0] == "evidence" else
                        "2019-01-01T00:00:00Z" if "Date" in path[-1] else original + " (CEO)")
    result = verification.check(session, credential=forged, config=wallet_config.issuer,
                                now=clock())
    assert {c.name: c.status for c in result.checks}["proof"] == "failed"
    assert result.outcome == "not_verified"


def test_another_key_cannot_pass_as_the_learner(session, wallet_config, learner_id,
                                                other_learner_id, clock):
    record = _add(session, wallet_config, learner_id, clock)
    other = ensure_wallet(session, master=wallet_config.master, user_id=other_learner_id,
                          now=clock())
    unsigned = {k: v for k, v in record.credential.items() if k != "proof"}
    forged = self_reported.sign_entry(other, unsigned, now=clock())  # issuer still says learner
    result = verification.check(session, credential=forged, config=wallet_config.issuer,
                                now=clock())
    assert result.outcome == "not_verified"


@pytest.mark.parametrize(("changes", "errors"), [
    ({"title": "  ", "description": "\n"}, {"title": "title_missing",
                                            "description": "description_missing"}),
    ({"kind": "holiday"}, {"kind": "kind_missing"}),
    ({"start": ""}, {"start": "start_missing"}),
    ({"start": "2025-02-30"}, {"start": "date_invalid"}),
    ({"start": "10/01/2025"}, {"start": "date_invalid"}),
    ({"end": "2024-12-31"}, {"end": "end_before_start"}),
    ({"end": "2026-12-31"}, {"end": "date_future"}),
    ({"start": "2027-01-01", "end": ""}, {"start": "date_future"}),
    ({"skills": "x" * 101}, {"skills": "skill_too_long"}),
    ({"skills": ",".join(f"skill {n}" for n in range(21))}, {"skills": "skills_too_many"}),
    ({"files": (EvidenceFile("big.pdf", PDF + bytes(MAX_FILE_BYTES)),)},
     {"evidence_1": "file_too_big"}),
    ({"files": (EvidenceFile("a.txt", b"ok"), EvidenceFile("page.html", b"<p>hi</p>", slot=2))},
     {"evidence_2": "file_wrong_type"}),
    ({"files": (EvidenceFile("fake.pdf", b"MZ\x90\x00\x03"),)}, {"evidence_1": "file_wrong_type"}),
    ({"files": (EvidenceFile("photo.png", PDF),)}, {"evidence_1": "file_wrong_type"}),
    ({"files": tuple(EvidenceFile(f"n{n}.txt", b"note") for n in range(4))},
     {"evidence": "files_too_many"}),
])
def test_bad_input_names_each_field_and_stores_nothing(session, wallet_config, learner_id,
                                                      clock, changes, errors):
    with pytest.raises(InvalidSelfReport) as caught:
        _add(session, wallet_config, learner_id, clock, **changes)
    assert caught.value.errors == errors
    assert service.records(session, config=wallet_config, user_id=learner_id) == []


def test_largest_allowed_files_fit(session, wallet_config, learner_id, clock):
    big = PDF + bytes(MAX_FILE_BYTES - len(PDF))
    files = tuple(EvidenceFile(f"part{n}.pdf", big, slot=n) for n in (1, 2, 3))
    record = _add(session, wallet_config, learner_id, clock, files=files)
    stored = self_reported_evidence.evidence_files(record.credential)
    assert [(e.n, e.name, e.media_type, len(e.content)) for e in stored] == [
        (n, f"part{n}.pdf", "application/pdf", MAX_FILE_BYTES) for n in (1, 2, 3)]
    assert record.arrival.outcome == "verified"
    assert self_reported_evidence.evidence_file(record, 2).content == big
    with pytest.raises(WalletNotFound):
        self_reported_evidence.evidence_file(record, 4)


def test_known_catalog_skills_are_linked(session, wallet_config, issuer_config, learner_id,
                                         org_id, clock):
    catalog.create_achievement(
        session, config=issuer_config, org_id=org_id, now=clock(),
        data=AchievementInput(name="Forklift", description="Drives forklifts.",
                              criteria="Passed.", alignments=(AlignmentInput(
                                  target_name="Operate forklift",
                                  target_url="http://data.europa.eu/esco/skill/abc",
                                  target_framework="ESCO", target_code="abc"),
                                  AlignmentInput(target_name="Teamwork",
                                                 target_url="http://data.europa.eu/esco/skill/tw",
                                                 target_framework="ESCO"))))
    known = self_reported.known_skills(session)
    assert [s.name for s in known] == ["Operate forklift", "Teamwork"]
    forklift = known[0]
    record = _add(session, wallet_config, learner_id, clock, skills="teamwork\nPatience",
                  known_skills=(forklift.key, "not-a-key"))
    aligned = {a["targetName"]: a for a in
               record.credential["credentialSubject"]["achievement"]["alignment"]}
    assert aligned["Operate forklift"]["targetUrl"] == "http://data.europa.eu/esco/skill/abc"
    assert aligned["Operate forklift"]["targetFramework"] == "ESCO"
    assert aligned["Teamwork"]["targetUrl"] == "http://data.europa.eu/esco/skill/tw"
    assert aligned["Patience"]["targetType"] == "ext:SelfDescribedSkill"
    values = self_reported.form_values(record, known)
    assert set(values.known_skills) == {forklift.key, known[1].key}
    assert values.skills == "Patience"


def test_edit_signs_a_new_version_and_shares_keep_working(session, wallet_config, learner_id,
                                                          clock):
    record = _add(session, wallet_config, learner_id, clock,
                  files=(EvidenceFile("a.txt", b"first"), EvidenceFile("b.txt", b"second")))
    pres = presentations.create(session, config=wallet_config, user_id=learner_id,
                                name="For Acme", record_ids=[record.id], now=clock())
    share = sharing.create_share(session, config=wallet_config, user_id=learner_id,
                                 presentation_id=pres.id, audience="Acme", purpose="Job",
                                 expiry="30", now=clock())
    clock.advance(days=1)
    values = self_reported.form_values(record, [])
    assert values.organization == "Banco de Alimentos de Madrid"
    assert (values.title, values.kind, values.start, values.end) == (
        "Food bank volunteer", "volunteering", "2025-01-10", "2025-06-30")
    changed = SelfReportedInput(**{**{f: getattr(values, f) for f in values.__slots__},
                                   "title": "Food bank shift lead", "keep_evidence": (2,),
                                   "files": (EvidenceFile("c.png", PNG),)})
    edited = self_reported.edit(session, config=wallet_config, user_id=learner_id,
                                record_id=record.id, data=changed, learner_name="Ana",
                                now=clock())
    assert edited.id == record.id
    assert edited.credential["id"] != record.credential["id"]
    old_achievement = record.credential["credentialSubject"]["achievement"]
    new_achievement = edited.credential["credentialSubject"]["achievement"]
    assert new_achievement["id"] == old_achievement["id"]
    assert edited.summary.achievement_name == "Food bank shift lead"
    assert [(e.name, e.content) for e in self_reported_evidence.evidence_files(edited.credential)] == [
        ("b.txt", b"second"), ("c.png", PNG)]
    assert edited.arrival.outcome == "verified"
    assert len(service.records(session, config=wallet_config, user_id=learner_id)) == 1
    shown = sharing.open_link(session, config=wallet_config, token=share.token, now=clock())
    assert shown.report.outcome == "verified"
    assert [r.summary.achievement_name for r in shown.records] == ["Food bank shift lead"]
    again = presentations.get(session, config=wallet_config, user_id=learner_id,
                              presentation_id=pres.id)
    assert again.vp["verifiableCredential"][0]["id"] == edited.credential["id"]


def test_edit_errors_keep_the_old_version(session, wallet_config, learner_id, clock):
    record = _add(session, wallet_config, learner_id, clock,
                  files=(EvidenceFile("a.txt", b"first"),))
    bad = _entry(keep_evidence=(1,), files=tuple(EvidenceFile(f"{n}.txt", b"x")
                                                 for n in range(3)))
    with pytest.raises(InvalidSelfReport) as caught:
        self_reported.edit(session, config=wallet_config, user_id=learner_id,
                           record_id=record.id, data=bad, learner_name="", now=clock())
    assert caught.value.errors == {"evidence": "files_too_many"}
    assert service.get_record(session, config=wallet_config, user_id=learner_id,
                              record_id=record.id).credential == record.credential


def test_only_own_self_reported_records_can_be_edited(session, wallet_config, learner_id,
                                                      other_learner_id, offer, clock):
    record = _add(session, wallet_config, learner_id, clock)
    with pytest.raises(WalletNotFound):
        self_reported.edit(session, config=wallet_config, user_id=other_learner_id,
                           record_id=record.id, data=_entry(), learner_name="", now=clock())
    claimed = service.receive_from_claim(session, config=wallet_config, user_id=learner_id,
                                         token=offer[1], now=clock())
    assert not claimed.self_reported
    with pytest.raises(WalletNotFound):
        self_reported.edit(session, config=wallet_config, user_id=learner_id,
                           record_id=claimed.id, data=_entry(), learner_name="", now=clock())


@given(st.binary(max_size=64))
def test_sniff_reads_magic_bytes_not_names(tail):
    assert sniff(b"%PDF-" + tail) == "application/pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n" + tail) == "image/png"
    assert sniff(b"\xff\xd8\xff" + tail) == "image/jpeg"
    assert sniff(b"\x00" + tail) is None


_words = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), min_size=1,
                 max_size=40).filter(lambda t: bool(t.strip()))


@given(title=_words, organization=_words, skills=st.lists(_words, max_size=4))
def test_form_values_read_back_what_was_built(title, organization, skills):
    typed = "\n".join(skills).replace(",", " ").replace(";", " ")
    entry = check(_entry(title=title, organization=organization, skills=typed),
                  today=date(2026, 1, 1), known=set())
    vc = self_reported.build(entry, did="did:key:z6MkTest", learner_name="",
                             known={}, now=datetime(2026, 1, 1, tzinfo=UTC))
    record = Record(id="r", state="kept", received_at=None, credential=vc,  # type: ignore[arg-type]
                    summary=summarize(vc), arrival=None, source="self")  # type: ignore[arg-type]
    values = self_reported.form_values(record, [])
    assert values.title == entry.title and values.organization == entry.organization
    assert (values.skills.split("\n") if values.skills else []) == list(entry.skills)
    assert record.summary.self_reported


def test_problems_come_in_the_order_of_the_form():
    with pytest.raises(InvalidSelfReport) as caught:
        check(SelfReportedInput(title="", kind="", description="", start="x", end="y",
                                files=(EvidenceFile("a.exe", b"MZ\x00"),)),
              today=date(2026, 1, 1), known=set())
    assert list(caught.value.errors) == ["kind", "title", "description", "start", "end",
                                         "evidence_1"]


_days = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))


@given(start=_days, end=st.none() | _days)
def test_dates_are_accepted_exactly_when_they_make_sense(start, end):
    today = date(2026, 1, 1)
    data = _entry(start=start.isoformat(), end=end.isoformat() if end else "")
    sensible = start <= today and (end is None or start <= end <= today)
    try:
        entry = check(data, today=today, known=set())
    except InvalidSelfReport as exc:
        assert not sensible and set(exc.errors) <= {"start", "end"}
    else:
        assert sensible and (entry.start, entry.end) == (start, end)
