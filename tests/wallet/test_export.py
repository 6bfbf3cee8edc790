"""Export: a ZIP with every record in its standard format (VC JSON, .jwt, .sd-jwt, OB 2.0
JSON) and a CLR 2.0 ClrCredential signed by the learner's own did:key, valid against the
bundled CLR schema and verifying, with each bundled credential verifying too."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from backup_helpers import self_reported

from openler.core.keys.multikey import generate_keypair
from openler.core.schema import validate
from openler.core.sdjwt.issuer import issue_sd_jwt_vc
from openler.core.sdjwt.jose import sign_jws
from openler.core.verify import verify_credential
from openler.wallet import export, service
from openler.wallet.keys import ensure_wallet
from openler.wallet.models import (
    FORMAT_OB2,
    FORMAT_SD_JWT,
    FORMAT_VC_JOSE,
    CheckReport,
)
from openler.wallet.verification import context

UNCHECKED = CheckReport("not_verified", (), "")
OB2 = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
       "id": "https://old.example.org/assertions/1", "recipient": {"type": "email",
                                                                  "hashed": False,
                                                                  "identity": "a@example.org"},
       "badge": {"type": "BadgeClass", "name": "Old Badge", "issuer": {
           "type": "Profile", "name": "Old Issuer", "id": "https://old.example.org"}},
       "issuedOn": "2019-05-01T00:00:00Z", "verification": {"type": "hosted"}}


def _jose_and_sd_jwt():
    key = generate_keypair("Ed25519")
    vc = {"@context": ["https://www.w3.org/ns/credentials/v2"],
          "type": ["VerifiableCredential"], "issuer": "https://jose.example.org",
          "validFrom": "2026-01-01T00:00:00Z",
          "credentialSubject": {"id": "did:example:ana", "name": "JOSE Course"}}
    jwt = sign_jws({"alg": "EdDSA", "typ": "vc+jwt"}, json.dumps(vc).encode(), key)
    sd = issue_sd_jwt_vc({"name": "SD Course"}, disclosable=["name"], issuer_key=key,
                         issuer="https://sd.example.org", vct="https://sd.example.org/course")
    return jwt, sd


@pytest.fixture
def wallet_with_every_format(session, wallet_config, learner_id, offer, clock):
    claimed = service.receive_from_claim(session, config=wallet_config, user_id=learner_id,
                                         token=offer[1], now=clock())
    service.accept(session, config=wallet_config, user_id=learner_id, record_id=claimed.id,
                   now=clock())
    clock.advance(minutes=1)
    own = self_reported(session, wallet_config, learner_id, clock)
    jwt, sd = _jose_and_sd_jwt()
    for credential, fmt in ((jwt, FORMAT_VC_JOSE), (sd, FORMAT_SD_JWT), (OB2, FORMAT_OB2)):
        clock.advance(minutes=1)
        service.store(session, config=wallet_config, user_id=learner_id, credential=credential,
                      source="import", now=clock(), record_format=fmt, state="kept",
                      report=UNCHECKED)
    clock.advance(minutes=1)
    pending = service.store(session, config=wallet_config, user_id=learner_id,
                            credential=dict(claimed.credential), source="offer", now=clock())
    session.commit()
    return {"claimed": claimed, "own": own, "jwt": jwt, "sd": sd, "pending": pending}


def _export(session, wallet_config, learner_id, clock):
    data = export.export_zip(session, config=wallet_config, user_id=learner_id,
                             learner_name="Ana Learner", now=clock())
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_zip_holds_every_record_in_its_own_format(session, wallet_config, learner_id,
                                                      wallet_with_every_format, clock):
    archive = _export(session, wallet_config, learner_id, clock)
    names = archive.namelist()
    manifest = json.loads(archive.read("manifest.json"))
    assert sorted(f["file"] for f in manifest["files"]) == sorted(
        n for n in names if n not in ("manifest.json", "clr.json"))
    assert len(manifest["files"]) == len(service.records(session, config=wallet_config,
                                                         user_id=learner_id)) == 6
    by_format = {f["format"]: f for f in manifest["files"] if f["state"] == "kept"}
    assert by_format["jwt_vc"]["file"].endswith(".jwt")
    assert archive.read(by_format["jwt_vc"]["file"]).decode() == wallet_with_every_format["jwt"]
    assert by_format["dc+sd-jwt"]["file"].endswith(".sd-jwt")
    assert archive.read(by_format["dc+sd-jwt"]["file"]).decode() == \
        wallet_with_every_format["sd"]
    assert json.loads(archive.read(by_format["ob2"]["file"])) == OB2
    [own] = [f for f in manifest["files"] if f["source"] == "self"]
    assert own["file"].startswith("self-reported/") and own["file"].endswith(".json")
    assert json.loads(archive.read(own["file"])) == wallet_with_every_format["own"].credential
    [claimed] = [f for f in manifest["files"] if f["source"] == "claim"]
    assert json.loads(archive.read(claimed["file"])) == \
        wallet_with_every_format["claimed"].credential
    assert "welding-basics" in claimed["file"]
    assert manifest["holder"].startswith("did:key:") and manifest["clr"] == "clr.json"


def test_the_clr_is_learner_signed_schema_valid_and_verifies(
        session, wallet_config, learner_id, wallet_with_every_format, clock):
    archive = _export(session, wallet_config, learner_id, clock)
    clr = json.loads(archive.read("clr.json"))
    did = ensure_wallet(session, master=wallet_config.master, user_id=learner_id,
                        now=clock()).did
    assert "ClrCredential" in clr["type"] and clr["issuer"]["id"] == did
    assert clr["credentialSubject"]["id"] == did
    assert "ClrSubject" in clr["credentialSubject"]["type"]
    assert clr["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert clr["proof"]["verificationMethod"].startswith(did + "#")
    assert "assembled by the learner" in clr["description"].casefold() or \
        "assembled by the learner" in clr["description"]
    bundled = clr["credentialSubject"]["verifiableCredential"]
    # kept Data Integrity achievements only: the claimed one and the self-reported one
    assert bundled == [wallet_with_every_format["claimed"].credential,
                       wallet_with_every_format["own"].credential]
    assert validate(clr) == []
    ctx = context(session, config=wallet_config.issuer, now=clock(), language="en")
    result = verify_credential(clr, ctx=ctx)
    assert result.outcome == "verified", result.checks
    for credential in bundled:
        assert verify_credential(credential, ctx=ctx).outcome == "verified"
    changed = json.loads(json.dumps(clr))
    changed["name"] = "Something else"
    assert verify_credential(changed, ctx=ctx).outcome == "not_verified"


def test_no_clr_without_a_kept_data_integrity_achievement(session, wallet_config, learner_id,
                                                          clock):
    jwt, _ = _jose_and_sd_jwt()
    service.store(session, config=wallet_config, user_id=learner_id, credential=jwt,
                  source="import", now=clock(), record_format=FORMAT_VC_JOSE, state="kept",
                  report=UNCHECKED)
    archive = _export(session, wallet_config, learner_id, clock)
    assert "clr.json" not in archive.namelist()
    assert json.loads(archive.read("manifest.json"))["clr"] is None


def test_an_empty_wallet_exports_a_manifest_only(session, wallet_config, learner_id, clock):
    archive = _export(session, wallet_config, learner_id, clock)
    assert archive.namelist() == ["manifest.json"]
