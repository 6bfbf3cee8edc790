"""The trust registry: adding by hand, the DCC registry import rules (bad DID, missing name,
duplicate, already listed: reported and left out, the rest kept; a file that is not a registry
changes nothing), lookup per organization, removal."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_material import registry_file

from openler.verifier import trust

DCC_SAMPLE = {  # the shape of the DCC sandbox registry: name, location, url; some without url
    "did:web:digitalcredentials.github.io:dcc-did-web": {
        "name": "DCC did:web test", "location": "Cambridge, MA, USA",
        "url": "https://digitalcredentials.mit.edu"},
    "did:key:z6MkpLDL3RoAoMRTwTgo3rs39ZwssfaPKtGdZw7AGRN7CK4W": {
        "name": "(Example) My University", "location": "Cambridge, MA, USA"},
    "did:web:www.credly.com:api:v1:obi:v3:issuers:ede32dcc-9168-4563-9352-8725936d5231": {
        "name": "Credly Test OBv3 PM"},
}


@pytest.fixture
def orgs(accounts):
    user, hiring = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")
    _, other = accounts.org_owner("hr@other.example", "Other Hiring", kind="employer")
    return user, hiring, other


def test_import_keeps_good_entries_and_reports_each_bad_one(db, orgs, clock):
    user, org, _ = orgs
    trust.add_issuer(db, org_id=org, user_id=user, did="did:web:known.example", name="Known",
                     now=clock())
    data = registry_file({
        **DCC_SAMPLE,
        "not-a-did": {"name": "Broken"},
        "did:web:noname.example": {"url": "https://noname.example"},
        "did:web:empty-name.example": {"name": "  "},
        "did:web:known.example": {"name": "Known again"},
        "did:web:list.example": ["not", "an", "object"],
    }, updated="2025-03-12T16:20:00+00:00")
    done = trust.import_registry(db, org_id=org, user_id=user, name="DCC Sandbox", data=data,
                                 now=clock())
    assert sorted(e.did for e in done.added) == sorted(DCC_SAMPLE)
    assert {(p.key, p.code) for p in done.problems} == {
        ("not-a-did", "bad_did"), ("did:web:noname.example", "missing_name"),
        ("did:web:empty-name.example", "missing_name"),
        ("did:web:known.example", "already_listed"), ("did:web:list.example", "not_an_object")}
    found = trust.lookup(db, org_id=org, issuer_did="did:web:digitalcredentials.github.io:dcc-did-web")
    assert found.name == "DCC did:web test" and found.registry_name == "DCC Sandbox"
    assert found.location == "Cambridge, MA, USA" and not found.by_hand
    assert trust.lookup(db, org_id=org, issuer_did="did:web:known.example").name == "Known"
    [registry] = trust.registries(db, org_id=org)
    assert (registry.name, registry.entry_count, registry.updated) == (
        "DCC Sandbox", 3, "2025-03-12T16:20:00+00:00")
    assert registry.imported_by == "Owner of Acme Hiring"


def test_a_did_twice_in_one_file_is_reported_and_the_first_kept(db, orgs, clock):
    user, org, _ = orgs
    text = ('{"registry": {"did:web:a.example": {"name": "First"}, '
            '"did:web:a.example": {"name": "Second"}}}')
    done = trust.import_registry(db, org_id=org, user_id=user, name="R", data=text, now=clock())
    assert [e.name for e in done.added] == ["First"]
    assert [(p.key, p.code) for p in done.problems] == [("did:web:a.example", "duplicate")]


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"), (b"\xff\xfe", "not_json"), (b"{not json", "not_json"),
    (b"[]", "no_registry"), (b'{"entries": {}}', "no_registry"),
    (b'{"registry": []}', "no_registry"), (b"x" * (trust.MAX_FILE_BYTES + 1), "too_big"),
])
def test_a_file_that_is_not_a_registry_changes_nothing(db, orgs, clock, data, code):
    user, org, _ = orgs
    with pytest.raises(trust.RegistryFileError) as caught:
        trust.import_registry(db, org_id=org, user_id=user, name="R", data=data, now=clock())
    assert caught.value.code == code
    assert trust.entries(db, org_id=org) == [] and trust.registries(db, org_id=org) == []


def test_a_file_with_no_usable_entry_creates_no_registry(db, orgs, clock):
    user, org, _ = orgs
    done = trust.import_registry(db, org_id=org, user_id=user, name="R",
                                 data=registry_file({"bad": {"name": "x"}}), now=clock())
    assert done.registry_id is None and done.added == ()
    assert trust.registries(db, org_id=org) == []


def test_the_registry_needs_a_name(db, orgs, clock):
    user, org, _ = orgs
    with pytest.raises(trust.TrustInputError) as caught:
        trust.import_registry(db, org_id=org, user_id=user, name=" ",
                              data=registry_file(DCC_SAMPLE), now=clock())
    assert caught.value.errors == {"registry_name": "required"}


def test_add_by_hand_checks_each_field(db, orgs, clock):
    user, org, _ = orgs
    with pytest.raises(trust.TrustInputError) as caught:
        trust.add_issuer(db, org_id=org, user_id=user, did="https://college.example", name="",
                         accreditation="x" * (trust.MAX_NOTE + 1), now=clock())
    assert caught.value.errors == {"did": "bad_did", "name": "required",
                                   "accreditation": "too_long"}
    entry = trust.add_issuer(db, org_id=org, user_id=user, did=" did:web:college.example ",
                             name="College", accreditation="Accredited by the agency",
                             now=clock())
    assert entry.did == "did:web:college.example" and entry.by_hand
    with pytest.raises(trust.TrustInputError) as again:
        trust.add_issuer(db, org_id=org, user_id=user, did="did:web:college.example",
                         name="College", now=clock())
    assert again.value.errors == {"did": "already_listed"}


def test_lookup_is_per_organization_and_removal_is_scoped(db, orgs, clock):
    user, org, other = orgs
    entry = trust.add_issuer(db, org_id=org, user_id=user, did="did:web:college.example",
                             name="College", now=clock())
    assert trust.lookup(db, org_id=other, issuer_did="did:web:college.example") is None
    assert trust.lookup_for(db, org_id=org)("did:web:college.example").name == "College"
    with pytest.raises(trust.TrustNotFound):
        trust.remove_issuer(db, org_id=other, entry_id=entry.id)
    trust.remove_issuer(db, org_id=org, entry_id=entry.id)
    assert trust.lookup(db, org_id=org, issuer_did="did:web:college.example") is None


def test_removing_a_registry_removes_its_issuers_only(db, orgs, clock):
    user, org, other = orgs
    trust.add_issuer(db, org_id=org, user_id=user, did="did:web:mine.example", name="Mine",
                     now=clock())
    done = trust.import_registry(db, org_id=org, user_id=user, name="R",
                                 data=registry_file(DCC_SAMPLE), now=clock())
    with pytest.raises(trust.TrustNotFound):
        trust.remove_registry(db, org_id=other, registry_id=done.registry_id)
    trust.remove_registry(db, org_id=org, registry_id=done.registry_id)
    assert [e.did for e in trust.entries(db, org_id=org)] == ["did:web:mine.example"]


def test_parse_registry_for_the_command_line():
    parsed = trust.parse_registry(json.dumps({"registry": DCC_SAMPLE}))
    assert parsed.lookup("did:web:digitalcredentials.github.io:dcc-did-web").name == (
        "DCC did:web test")
    assert parsed.lookup("did:web:unknown.example") is None


@pytest.mark.parametrize("did", ["did:web:example.org", "did:key:z6MkpLDL3RoAo",
                                 "did:web:example.org%3A8443:path:to", "did:example:a:b"])
def test_valid_dids(did):
    assert trust.is_did(did)


@pytest.mark.parametrize("did", ["", "did:", "did:web:", "did:Web:x", "did:web:x#key",
                                 "did:web:x?q=1", "https://x.example", "did:web:x/y",
                                 "did:web:x:", "did:web:%zz", "did:web:" + "a" * 500])
def test_invalid_dids(did):
    assert not trust.is_did(did)


@given(st.text(max_size=60))
def test_is_did_never_raises_and_accepts_only_the_did_shape(text):
    if trust.is_did(text):
        assert text.startswith("did:") and text.count(":") >= 2 and "#" not in text


def _cli(*args):
    from typer.testing import CliRunner

    from openler.cli.main import app

    return CliRunner().invoke(app, list(args))


def test_cli_verify_with_a_trust_registry(tmp_path):
    from report_material import Party, credential

    issuer = Party()
    vc = tmp_path / "vc.json"
    vc.write_text(json.dumps(credential(issuer)))
    known = tmp_path / "dcc.json"
    known.write_bytes(registry_file({issuer.did: {"name": "Example University"},
                                     "bad": {"name": "x"}}))
    shown = _cli("verify", str(vc), "--trust", str(known))
    assert shown.exit_code == 0, shown.output
    assert "Example University" in shown.output and "dcc.json" in shown.output
    as_json = json.loads(_cli("verify", str(vc), "--json", "--trust", str(known)).stdout)
    assert as_json["trust"]["issuers"] == [{"did": issuer.did, "known": True,
                                            "name": "Example University",
                                            "registry": "dcc.json"}]
    empty = tmp_path / "empty.json"
    empty.write_bytes(registry_file({}))
    unknown = _cli("verify", str(vc), "--json", "--trust", str(empty))
    assert unknown.exit_code == 0  # an unknown issuer is a warning, not a failure
    trust_part = json.loads(unknown.stdout)["trust"]
    assert trust_part["state"] == "warning" and trust_part["kinds"] == ["issuer_unknown"]
    spanish = _cli("verify", str(vc), "--lang", "es", "--trust", str(empty))
    assert "Qué hacer:" in spanish.output and "Averigüe" in spanish.output
    bad = tmp_path / "bad.json"
    bad.write_text("[1]")
    refused = _cli("verify", str(vc), "--trust", str(bad))
    assert refused.exit_code == 2 and "not an issuer registry" in refused.output


def test_deleting_the_member_who_added_keeps_the_entry(db, accounts, clock, web):
    from openler.accounts import service as accounts_service

    owner, org = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")
    accounts.learner("staff@acme.example", "Sam Staff")
    boss = accounts_service.current_user(db, user_id=owner)
    accounts_service.add_member(db, user=boss, org_id=org, email="staff@acme.example",
                                role="verifier_staff")
    staff_user = next(m.user for m in accounts_service.members(db, user=boss, org_id=org)
                      if m.user.email == "staff@acme.example")
    trust.add_issuer(db, org_id=org, user_id=staff_user.id, did="did:web:a.example", name="A",
                     now=clock())
    assert trust.entries(db, org_id=org)[0].added_by == "Sam Staff"
    accounts_service.delete_account(db, user=staff_user, password=web.password, now=clock())
    db.expire_all()
    [entry] = trust.entries(db, org_id=org)
    assert entry.did == "did:web:a.example" and entry.added_by == ""
