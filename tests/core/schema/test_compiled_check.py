"""The compiled (fastjsonschema) yes/no check must agree with jsonschema on every document,
and ``validate`` must still give jsonschema's detailed violations when it says no."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import FormatChecker

from helpers import clr_credentials, ob3_credentials, ob3_example, shared_dir
from openler.core.schema import validate
from openler.core.schema.compiled import compilable, compile_check
from openler.core.schema.validate import fast_check_for, validator_for

VECTORS = shared_dir() / "vectors" / "ob3"


def _load(path: str) -> dict[str, Any]:
    return json.loads((VECTORS / path).read_text("utf-8"))


def _bases() -> list[tuple[str, dict[str, Any]]]:
    spec = _load("spec-complete-example.json")
    return [
        ("achievement", spec),
        ("achievement", ob3_example()),
        ("endorsement", spec["endorsement"][0]),
        ("clr", _load("clrv2p0/credential.json")),
        ("clr", _load("clrv2p0/signed-credential.json")),
    ]


BASES = _bases()


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, width=32)
    | st.sampled_from(["", "x", "ext:Thing", "Achievement", "2024-01-01T00:00:00Z", "2024-01-01"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["id", "type", "x"]), inner, max_size=3)
    ),
    max_leaves=5,
)


_words = st.sampled_from(
    [
        "Profile",
        "Achievement",
        "AchievementSubject",
        "Image",
        "Alignment",
        "Other",
        "ext:Custom",
        "ext:",
        "CFItem",
        "Degree",
        "isParentOf",
        "en",
        "english",
        "https://www.w3.org/ns/credentials/v2",
        "2024-01-01T00:00:00Z",
        "2024-13-01T00:00:00Z",
    ]
)


@st.composite
def mutated(draw: Any) -> tuple[str, dict[str, Any]]:
    kind, base = draw(st.sampled_from(BASES))
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = doc
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        action = draw(st.sampled_from(["delete", "replace", "wrap", "unwrap", "rename"]))
        if action == "rename":
            # Swap a string for another plausible one: hits enums, contains and patterns.
            target = parent[last]
            if isinstance(target, list) and target and isinstance(target[0], str):
                target[0] = draw(_words)
            else:
                parent[last] = draw(_words)
        elif action == "delete":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(_json_values)
        elif action == "wrap":
            parent[last] = [parent[last]]
        elif isinstance(parent[last], list) and parent[last]:
            parent[last] = parent[last][0]
    return kind, doc


def _agree(kind: str, doc: Any) -> None:
    quick = fast_check_for(kind)
    full = validator_for(kind)
    assert quick is not None and full is not None
    assert quick(doc) == full.is_valid(doc)


@pytest.mark.parametrize(("kind", "doc"), BASES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(BASES)])
def test_agrees_on_the_examples(kind: str, doc: dict[str, Any]) -> None:
    _agree(kind, doc)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_agrees_on_mutated_documents(case: tuple[str, dict[str, Any]]) -> None:
    _agree(*case)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ob3_credentials())
def test_agrees_on_generated_badges(doc: dict[str, Any]) -> None:
    _agree("achievement", doc)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clr_credentials())
def test_agrees_on_generated_clrs(doc: dict[str, Any]) -> None:
    _agree("clr", doc)


def test_mutations_find_both_verdicts() -> None:
    # Guard against a vacuous property: some mutations must be invalid, some valid.
    full = validator_for("achievement")
    assert full is not None
    spec = BASES[0][1]
    broken = copy.deepcopy(spec)
    broken["credentialSubject"]["achievement"]["criteria"] = "see website"
    assert not full.is_valid(broken)
    quick = fast_check_for("achievement")
    assert quick is not None and not quick(broken) and quick(spec)


def test_invalid_documents_still_get_detailed_violations() -> None:
    spec = copy.deepcopy(BASES[0][1])
    spec["credentialSubject"]["achievement"]["criteria"] = "see website"
    quick = fast_check_for("achievement")
    assert quick is not None and not quick(spec)
    found = validate(spec)
    assert [v.path for v in found] == ["$.credentialSubject.achievement.criteria"]
    assert found[0].code == "schema.type" and "an object" in found[0].message


def test_official_schema_wants_the_proof_as_an_array() -> None:
    # validate applies the OB 3.0 schema as published: one proof object is not accepted
    # (the CLR 2.0 schema takes either form).
    one = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
           "created": "2024-01-01T00:00:00Z", "proofPurpose": "assertionMethod",
           "verificationMethod": "did:example:issuer#key-1", "proofValue": "z5abc"}
    signed = {**BASES[0][1], "proof": [one]}
    assert validate(signed) == []
    single = {**signed, "proof": one}
    assert [v.path for v in validate(single)] == ["$.proof"]
    clr = _load("clrv2p0/signed-credential.json")
    assert validate(clr) == [] and validate({**clr, "proof": clr["proof"][0]}) == []


def test_json_type_rules() -> None:
    def compiled(schema: dict[str, Any]) -> Any:
        check = compile_check(schema, FormatChecker())
        assert check is not None
        return check

    assert not compiled({"type": "number"})(True)
    assert compiled({"type": "integer"})(2.0)
    assert not compiled({"type": "integer"})(True)
    assert not compiled({"enum": [1]})(True)
    assert compiled({"enum": [{"a": [1]}]})({"a": [1]})
    one_of = compiled({"oneOf": [{"type": "string"}, {"pattern": "^a"}]})
    assert not one_of("abc")  # both branches match, so oneOf fails
    assert one_of("xyz") and one_of(5)


def test_dates_follow_the_xsd_date_time_stamp_rule() -> None:
    check = fast_check_for("achievement")
    assert check is not None
    spec = copy.deepcopy(BASES[0][1])
    assert check(spec)
    spec["validFrom"] = "2024-01-01T00:00:00"  # no time zone: not a dateTimeStamp
    assert not check(spec)
    assert not validator_for("achievement").is_valid(spec)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "schema",
    [
        {"unevaluatedProperties": False},
        {"dependentRequired": {"a": ["b"]}},
        {"properties": {"a": {"$ref": "#/$defs/x", "type": "string"}}, "$defs": {"x": {}}},
        {"allOf": [{"maxContains": 1}]},
    ],
)
def test_schemas_that_read_differently_in_draft_07_get_no_compiled_check(
    schema: dict[str, Any],
) -> None:
    assert not compilable(schema)
    assert compile_check(schema, FormatChecker()) is None


def test_the_bundled_schemas_all_compile() -> None:
    for kind in ("achievement", "endorsement", "clr"):
        assert fast_check_for(kind) is not None
    assert fast_check_for("vc") is None and fast_check_for("presentation") is None
