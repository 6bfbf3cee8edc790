"""Validation against the official OB 3.0 / CLR 2.0 schemas with plain-English violations."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from helpers import ob3_example, shared_dir
from openler.core.schema import Violation, load_schema, schema_kind, validate
from openler.core.schema.validate import validator_for

VECTORS = shared_dir() / "vectors"
OB_SCHEMA = load_schema("ob_v3p0_achievementcredential_schema.json")
CLR_SCHEMA = load_schema("clr_v2p0_clrcredential_schema.json")


def spec_example() -> dict[str, Any]:
    return json.loads((VECTORS / "ob3" / "spec-complete-example.json").read_text("utf-8"))


def clr_example() -> dict[str, Any]:
    return json.loads((VECTORS / "ob3" / "clrv2p0" / "credential.json").read_text("utf-8"))


def schema_valid_ob3() -> dict[str, Any]:
    """The shared example with its plain activity dates made dateTimes, as the schema wants."""
    doc = ob3_example()
    doc["credentialSubject"]["activityStartDate"] = "2025-02-01T00:00:00Z"
    doc["credentialSubject"]["activityEndDate"] = "2025-05-30T00:00:00Z"
    doc["credentialSubject"]["identifier"] = [
        {
            "type": "IdentityObject",
            "hashed": True,
            "identityHash": "sha256$" + "0" * 64,
            "identityType": "emailAddress",
            "salt": "s",
        }
    ]
    return doc


def at(document: dict[str, Any], path: tuple[Any, ...]) -> Any:
    node: Any = document
    for part in path:
        node = node[part]
    return node


def path_text(path: tuple[Any, ...], name: str) -> str:
    out = "$"
    for part in (*path, name):
        out += (
            f"[{part}]"
            if isinstance(part, int)
            else (f"['{part}']" if not str(part).isidentifier() else f".{part}")
        )
    return out


# Where each class of the OB 3.0 schema sits in the example, so every field the
# official schema marks required is exercised, read from the schema itself.
OB_LOCATIONS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((), OB_SCHEMA),
    (("credentialSubject",), OB_SCHEMA["$defs"]["AchievementSubject"]),
    (("credentialSubject", "achievement"), OB_SCHEMA["$defs"]["Achievement"]),
    (("credentialSubject", "achievement", "alignment", 1), OB_SCHEMA["$defs"]["Alignment"]),
    (("credentialSubject", "achievement", "image"), OB_SCHEMA["$defs"]["Image"]),
    (
        ("credentialSubject", "achievement", "resultDescription", 0),
        OB_SCHEMA["$defs"]["ResultDescription"],
    ),
    (("credentialSubject", "result", 0), OB_SCHEMA["$defs"]["Result"]),
    (("credentialSubject", "identifier", 0), OB_SCHEMA["$defs"]["IdentityObject"]),
    (("issuer",), OB_SCHEMA["$defs"]["Profile"]),
    (("issuer", "image"), OB_SCHEMA["$defs"]["Image"]),
    (("evidence", 0), OB_SCHEMA["$defs"]["Evidence"]),
    (("credentialSchema", 0), OB_SCHEMA["$defs"]["CredentialSchema"]),
    (("credentialStatus",), OB_SCHEMA["$defs"]["CredentialStatus"]),
]
OB_REQUIRED = [
    pytest.param(path, name, id=path_text(path, name))
    for path, definition in OB_LOCATIONS
    for name in definition["required"]
]


def test_fixture_documents_are_valid() -> None:
    assert validate(schema_valid_ob3()) == []
    assert validate(spec_example()) == []
    assert validate(clr_example()) == []


def test_every_location_carries_its_required_fields() -> None:
    doc = schema_valid_ob3()
    for path, definition in OB_LOCATIONS:
        assert set(definition["required"]) <= set(at(doc, path)), path


@pytest.mark.parametrize(("path", "name"), OB_REQUIRED)
def test_each_missing_required_field_is_reported_at_its_path(
    path: tuple[Any, ...], name: str
) -> None:
    doc = schema_valid_ob3()
    del at(doc, path)[name]
    violations = validate(doc)
    expected = path_text(path, name)
    assert any(v.path == expected and v.message == "is required" for v in violations), violations
    assert all(v.message for v in violations)


CLR_LOCATIONS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((), CLR_SCHEMA),
    (("credentialSubject",), CLR_SCHEMA["$defs"]["ClrSubject"]),
    (("credentialSubject", "association", 0), CLR_SCHEMA["$defs"]["Association"]),
    (("credentialSubject", "achievement", 1), CLR_SCHEMA["$defs"]["Achievement"]),
    (("credentialSubject", "verifiableCredential", 0), CLR_SCHEMA["$defs"]["VerifiableCredential"]),
    (("issuer",), CLR_SCHEMA["$defs"]["Profile"]),
]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        pytest.param(path, name, id=path_text(path, name))
        for path, definition in CLR_LOCATIONS
        for name in definition["required"]
    ],
)
def test_each_missing_clr_field_is_reported_at_its_path(path: tuple[Any, ...], name: str) -> None:
    doc = clr_example()
    del at(doc, path)[name]
    expected = path_text(path, name)
    assert any(v.path == expected and v.message == "is required" for v in validate(doc))


def test_known_bad_document_gives_specific_violations() -> None:
    doc = schema_valid_ob3()
    achievement = doc["credentialSubject"]["achievement"]
    achievement["achievementType"] = "Diplomma"
    achievement["name"] = 42
    achievement["alignment"][0]["targetType"] = "Skill"
    achievement["inLanguage"] = "English"
    doc["credentialSubject"]["identifier"][0]["hashed"] = "yes"
    doc["credentialSubject"]["result"][0]["status"] = "Passed"
    doc["credentialSubject"]["type"] = ["Learner"]
    doc["issuer"]["image"]["extra"] = "x"
    doc["validUntil"] = "next year"
    found = {(v.path, v.code): v.message for v in validate(doc)}
    base = "$.credentialSubject"
    assert found[(f"{base}.achievement.achievementType", "schema.enum")].startswith(
        "must be one of Achievement, ApprenticeshipCertificate"
    )
    assert "'ext:'" in found[(f"{base}.achievement.achievementType", "schema.enum")]
    assert found[(f"{base}.achievement.name", "schema.type")] == "must be a string"
    assert (
        "ceasn:Competency" in found[(f"{base}.achievement.alignment[0].targetType", "schema.enum")]
    )
    assert found[(f"{base}.achievement.inLanguage", "schema.pattern")] == (
        "is not in the expected format"
    )
    assert found[(f"{base}.identifier[0].hashed", "schema.type")] == "must be true or false"
    assert found[(f"{base}.result[0].status", "schema.enum")].startswith("must be one of Completed")
    assert found[(f"{base}.type", "schema.contains")] == "must include AchievementSubject"
    assert found[("$.issuer.image", "schema.additional")] == (
        "has properties that are not allowed: extra"
    )
    assert found[("$.validUntil", "schema.format")].startswith("must be a date and time")


def test_messages_are_plain_english() -> None:
    doc = schema_valid_ob3()
    doc["credentialSubject"]["achievement"]["alignment"] = [{"targetName": 3}]
    doc["issuer"] = 17
    doc["evidence"] = "see attached"
    doc["credentialStatus"] = []
    for violation in validate(doc):
        assert isinstance(violation, Violation)
        assert violation.path.startswith("$")
        assert "valid under" not in violation.message
        assert "Failed validating" not in violation.message
        assert violation.code.split(".")[0] in ("schema", "vc")


def test_issuer_of_the_wrong_type_lists_the_allowed_forms() -> None:
    doc = schema_valid_ob3()
    doc["issuer"] = 17
    assert Violation("$.issuer", "schema.type", "must be a string or an object") in validate(doc)


def test_clr_bad_association_and_subject_type() -> None:
    doc = clr_example()
    doc["credentialSubject"]["association"][0]["associationType"] = "isCousinOf"
    doc["credentialSubject"]["type"] = 5
    doc["credentialSubject"]["achievement"][0]["type"] = ["Course"]
    found = {(v.path, v.code): v.message for v in validate(doc)}
    assert found[("$.credentialSubject.association[0].associationType", "schema.enum")] == (
        "must be one of exactMatchOf, isChildOf, isParentOf, isPartOf, isPeerOf, "
        "isRelatedTo, precedes, replacedBy"
    )
    assert found[("$.credentialSubject.type", "schema.type")] == (
        "must be a string, an object or a list"
    )
    assert found[("$.credentialSubject.achievement[0].type", "schema.contains")] == (
        "must include Achievement"
    )


def test_clr_context_must_list_clr_then_ob() -> None:
    doc = clr_example()
    doc["@context"] = doc["@context"][:1] + [doc["@context"][2], doc["@context"][1]]
    paths = {v.path for v in validate(doc)}
    assert "$['@context'][1]" in paths


def test_endorsement_is_checked_against_the_embedded_definition() -> None:
    endorsement = spec_example()["endorsement"][0]
    assert schema_kind(endorsement) == "endorsement"
    assert validate(endorsement) == []
    del endorsement["name"]
    endorsement["credentialSubject"]["type"] = ["Subject"]
    found = {(v.path, v.code) for v in validate(endorsement)}
    assert ("$.name", "schema.required") in found
    assert ("$.credentialSubject.type", "schema.contains") in found


@pytest.mark.parametrize(
    ("types", "kind"),
    [
        (["VerifiableCredential", "OpenBadgeCredential"], "achievement"),
        (["VerifiableCredential", "AchievementCredential"], "achievement"),
        (["VerifiableCredential", "ClrCredential"], "clr"),
        (["VerifiableCredential", "EndorsementCredential"], "endorsement"),
        (["VerifiablePresentation"], "presentation"),
        (["VerifiableCredential", "BitstringStatusListCredential"], "vc"),
        ("VerifiableCredential", "vc"),
    ],
)
def test_schema_is_picked_by_type(types: Any, kind: str) -> None:
    assert schema_kind({"type": types}) == kind


def test_validators_are_compiled_once() -> None:
    assert validator_for("achievement") is validator_for("achievement")
    assert validator_for("vc") is None


def test_non_object_is_one_violation() -> None:
    assert validate([1, 2]) == [Violation("$", "schema.type", "must be an object")]


def test_validation_does_not_touch_the_document() -> None:
    doc = schema_valid_ob3()
    del doc["credentialSubject"]["achievement"]["criteria"]
    before = copy.deepcopy(doc)
    validate(doc)
    assert doc == before
