"""`openler keys generate`, `openler sign`, `openler verify`: in-process and as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from openler.cli.main import app

RUNNER = CliRunner()
OPENLER = Path(sys.executable).parent / "openler"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def credential(issuer: str | None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": [VC_V2, OB3], "id": "urn:uuid:7d1c0a52-1b2f-4d7e-9a51-0c4f4f0a9a01",
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "First aid",
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"],
                              "achievement": {"id": "https://school.example/a/1",
                                              "type": ["Achievement"], "name": "First aid",
                                              "description": "Basic first aid.",
                                              "criteria": {"narrative": "Pass the course."}}}}
    if issuer is not None:
        doc["issuer"] = {"id": issuer, "type": ["Profile"], "name": "School"}
    return doc


def run(*args: str) -> Any:
    return RUNNER.invoke(app, list(args))


@pytest.fixture(scope="module", params=["ed25519", "p256"])
def key(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    path = tmp_path_factory.mktemp("keys") / "key.json"
    result = run("keys", "generate", "--type", request.param, "--out", str(path))
    assert result.exit_code == 0, result.output
    did = result.stdout.strip()
    assert did.startswith("did:key:z")
    return path, did


def write(tmp_path: Path, name: str, value: Any) -> Path:
    path = tmp_path / name
    path.write_text(value if isinstance(value, str) else json.dumps(value), encoding="utf-8")
    return path


def test_key_file_names_its_did(key: tuple) -> None:
    path, did = key
    data = json.loads(path.read_text())
    assert data["controller"] == did and data["id"].startswith(did + "#")
    assert "secretKeyMultibase" in data
    assert path.stat().st_mode & 0o077 == 0


def test_sign_then_verify(key: tuple, tmp_path: Path) -> None:
    path, did = key
    signed = run("sign", "--key", str(path), str(write(tmp_path, "in.json", credential(did))))
    assert signed.exit_code == 0, signed.output
    doc = json.loads(signed.stdout)
    suite = doc["proof"]["cryptosuite"]
    assert suite == ("eddsa-rdfc-2022" if "z6Mk" in did else "ecdsa-rdfc-2019")
    out = write(tmp_path, "signed.json", doc)
    result = run("verify", str(out), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["verified"] is True
    assert [c["name"] for c in report["checks"]][:3] == ["well_formed", "schema", "proof"]
    assert all({"name", "status", "code", "message"} <= set(c) for c in report["checks"])
    tampered = write(tmp_path, "t.json", {**doc, "name": "Brain surgery"})
    bad = run("verify", str(tampered), "--json", "--lang", "es")
    assert bad.exit_code == 1
    proof = next(c for c in json.loads(bad.stdout)["checks"] if c["name"] == "proof")
    assert proof["code"] == "proof.changed"
    assert proof["message"] == "Cambiado después de su emisión"
    human = run("verify", str(tampered))
    assert human.exit_code == 1 and "Changed after it was issued" in human.stdout


def test_sign_refuses_other_issuer_and_missing_issuer(key: tuple, tmp_path: Path) -> None:
    path, did = key
    other = run("sign", "--key", str(path),
                str(write(tmp_path, "o.json", credential("did:web:someone.example"))))
    assert other.exit_code == 2
    assert "not the key's controller" in other.stderr and other.stdout == ""
    missing = run("sign", "--key", str(path), str(write(tmp_path, "m.json", credential(None))))
    assert missing.exit_code == 2 and "no issuer" in missing.stderr
    wrong_suite = run("sign", "--key", str(path), "--suite", "nonsense",
                      str(write(tmp_path, "w.json", credential(did))))
    assert wrong_suite.exit_code == 2


def test_verify_unusable_input(tmp_path: Path) -> None:
    assert run("verify", str(write(tmp_path, "g.txt", "hello world"))).exit_code == 2
    assert run("verify", str(tmp_path / "missing.json")).exit_code == 2
    not_vc = run("verify", str(write(tmp_path, "a.json", [1, 2])), "--json")
    assert not_vc.exit_code == 1 and json.loads(not_vc.stdout)["verified"] is False


def test_real_process_round_trip(tmp_path: Path) -> None:
    exe = str(OPENLER)
    gen = subprocess.run([exe, "keys", "generate", "--out", str(tmp_path / "k.json")],
                         capture_output=True, text=True, timeout=60, check=True)
    did = gen.stdout.strip()
    source = write(tmp_path, "c.json", credential(did))
    signed = subprocess.run([exe, "sign", "--key", str(tmp_path / "k.json"), str(source)],
                            capture_output=True, text=True, timeout=60, check=True)
    target = write(tmp_path, "s.json", signed.stdout)
    ok = subprocess.run([exe, "verify", str(target), "--json"], capture_output=True, text=True,
                        timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["verified"] is True
    with_status = write(tmp_path, "cs.json", {
        **credential(did),
        "credentialStatus": {"id": "https://status.example/1#5",
                             "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                             "statusListIndex": "5",
                             "statusListCredential": "https://status.example/1"}})
    signed_status = subprocess.run([exe, "sign", "--key", str(tmp_path / "k.json"),
                                    str(with_status)], capture_output=True, text=True,
                                   timeout=60, check=True)
    offline = subprocess.run([exe, "verify", str(write(tmp_path, "ss.json", signed_status.stdout)),
                              "--json"], capture_output=True, text=True, timeout=60)
    assert offline.returncode == 1  # no network here: the status list cannot be fetched
    report = json.loads(offline.stdout)
    status = next(c for c in report["checks"] if c["name"] == "status")
    assert status["status"] == "skipped" and status["code"] == "status.unreachable"
    assert report["outcome"] == "incomplete"
    assert not any(c["status"] == "failed" for c in report["checks"])
    garbage = subprocess.run([exe, "verify", str(write(tmp_path, "x", "%%%"))],
                             capture_output=True, text=True, timeout=60)
    assert garbage.returncode == 2 and "error:" in garbage.stderr


def test_verify_sd_jwt_and_presentation_files(tmp_path: Path) -> None:
    from openler.core.dids import did_key_from_public, did_key_vm_id
    from openler.core.keys import generate_keypair
    from openler.core.presentations import create_presentation, sign_presentation
    from openler.core.sdjwt import issue_sd_jwt_vc

    pair = generate_keypair("P-256")
    did, vm = did_key_from_public(pair.public_key()), did_key_vm_id(pair.public_key())
    token = issue_sd_jwt_vc({"name": "Ana"}, disclosable={"name"}, issuer_key=pair, issuer=did,
                            vct="https://v.example", kid=vm)
    result = run("verify", str(write(tmp_path, "c.sdjwt", token + "\n")), "--json")
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["format"] == "sd-jwt"
    holder = generate_keypair("Ed25519")
    hdid, hvm = did_key_from_public(holder.public_key()), did_key_vm_id(holder.public_key())
    vp = sign_presentation(create_presentation([token], holder=hdid), keypair=holder,
                           verification_method=hvm, challenge="c-1")
    shown = run("verify", str(write(tmp_path, "vp.json", vp)))
    assert shown.exit_code == 0, shown.stdout
    assert "Credential 1" in shown.stdout
    forged = run("verify", str(write(tmp_path, "bad.sdjwt", token.replace("~", "~x", 1))))
    assert forged.exit_code == 1
