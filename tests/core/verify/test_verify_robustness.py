"""Property tests: malformed input never escapes as an unexpected exception, and
every single-leaf change to a signed OB3 credential is "changed after it was issued"."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from verify_fixtures import NOW, Party, ob3_credential

from openler.core.errors import VerificationInputError
from openler.core.proofs import sign
from openler.core.sdjwt import issue_sd_jwt_vc
from openler.core.status import status_entry
from openler.core.verify import VerificationContext, VerificationResult, verify_any
from openler.core.verify.credential import MAX_DEPTH

ISSUER, HOLDER = Party(), Party()
SIGNED = sign(
    ob3_credential(
        ISSUER.did,
        HOLDER.did,
        credentialStatus=status_entry("https://status.example/1", 9, "revocation"),
    ),
    keypair=ISSUER.keypair,
    verification_method=ISSUER.vm,
    created="2026-01-15T09:00:00Z",
)
SIGNED_TEXT = json.dumps(SIGNED)
SD_JWT = issue_sd_jwt_vc(
    {"name": "Ana", "skills": ["a", "b"]},
    disclosable={"name", "skills.0"},
    issuer_key=ISSUER.keypair,
    issuer=ISSUER.did,
    vct="https://v.example",
    kid=ISSUER.vm,
    holder_jwk=HOLDER.keypair.public_key(),
    issued_at=int(NOW.timestamp()),
)
CTX = VerificationContext(now=NOW, challenge="c", domain="d")


def leaf_paths(value: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in leaf_paths(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in leaf_paths(v, (*path, i))]
    return [path]


def all_paths(value: Any, path: tuple = ()) -> list[tuple]:
    out = [path] if path else []
    if isinstance(value, dict):
        out += [p for k, v in value.items() for p in all_paths(v, (*path, k))]
    elif isinstance(value, list):
        out += [p for i, v in enumerate(value) for p in all_paths(v, (*path, i))]
    return out


def replaced(doc: Any, path: tuple, new: Any) -> Any:
    out = copy.deepcopy(doc)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return out


PATHS = all_paths(SIGNED)
scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


wrong_field = st.builds(lambda p, v: replaced(SIGNED, p, v), st.sampled_from(PATHS), json_values)
deep_field = st.builds(
    lambda p, d: replaced(SIGNED, p, nested(d)),
    st.sampled_from(PATHS),
    st.integers(1, MAX_DEPTH - 8),
)
truncated = st.builds(lambda n: SIGNED_TEXT[:n], st.integers(0, len(SIGNED_TEXT)))
mutated_text = st.builds(
    lambda i, c: SIGNED_TEXT[:i] + c + SIGNED_TEXT[i + 1 :],
    st.integers(0, len(SIGNED_TEXT) - 1),
    st.characters(),
)
broken_sd_jwt = st.one_of(
    st.builds(lambda n: SD_JWT[:n], st.integers(0, len(SD_JWT))),
    st.builds(
        lambda i, c: SD_JWT[:i] + c + SD_JWT[i + 1 :],
        st.integers(0, len(SD_JWT) - 1),
        st.sampled_from("~.A_-=x"),
    ),
    st.builds(lambda extra: SD_JWT + extra, st.text("~.abcXYZ_-", max_size=20)),
)
presentations = st.builds(
    lambda creds, holder: {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": "VerifiablePresentation",
        "holder": holder,
        "verifiableCredential": creds,
    },
    st.lists(json_values | st.just(SIGNED), max_size=2),
    json_values,
)
too_deep = st.builds(lambda d: nested(d), st.integers(MAX_DEPTH + 1, MAX_DEPTH + 50))
inputs = st.one_of(
    json_values,
    json_values.map(json.dumps),
    st.text(max_size=40),
    st.binary(max_size=40),
    wrong_field,
    deep_field,
    truncated,
    mutated_text,
    broken_sd_jwt,
    presentations,
    too_deep,
    st.builds(lambda n: {"credentialSubject": list(range(n))}, st.integers(0, 5000)),
)


@pytest.mark.slow
@settings(
    max_examples=10_000, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
@given(inputs)
def test_malformed_input_gives_a_result_or_the_documented_error(value: Any) -> None:
    try:
        result = verify_any(value, ctx=CTX)
    except VerificationInputError:
        return
    assert isinstance(result, VerificationResult)
    assert result.checks and all(c.status in ("passed", "failed", "skipped") for c in result.checks)
    assert result.verified is False or value is SIGNED


def mutate(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    return "x"


LEAVES = [p for p in leaf_paths(SIGNED) if p[0] not in ("proof", "@context")]


@pytest.mark.parametrize("path", LEAVES, ids=["/".join(map(str, p)) for p in LEAVES])
def test_every_single_leaf_change_is_changed_after_issue(path: tuple) -> None:
    original = SIGNED
    for key in path:
        original = original[key]
    result = verify_any(replaced(SIGNED, path, mutate(original)), ctx=CTX)
    proof = result.check("proof")
    assert (proof.status, proof.code) == ("failed", "proof.changed")
    assert proof.message == "Changed after it was issued"


def test_untouched_signed_credential_passes_the_proof() -> None:
    assert verify_any(SIGNED, ctx=CTX).check("proof").code == "proof.valid"
    assert len(LEAVES) > 25


@settings(max_examples=400, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.one_of(wrong_field, st.builds(lambda p: replaced(SIGNED, p[:-1], {}),
                                        st.sampled_from([p for p in PATHS if len(p) > 1]))))
def test_fast_schema_pass_agrees_with_the_reference_validator(doc: Any) -> None:
    from openler.core.schema.validate import fast_check_for, schema_kind, validator_for
    from openler.core.verify.schema_check import as_schema_sees_it

    if not isinstance(doc, dict):
        return
    doc = as_schema_sees_it(doc)
    kind = schema_kind(doc)
    quick, full = fast_check_for(kind), validator_for(kind)
    if quick is not None and full is not None:
        assert quick(doc) == full.is_valid(doc)


def test_fast_schema_rejects_what_the_reference_rejects() -> None:
    from openler.core.schema import validate
    from openler.core.schema.validate import fast_check_for, validator_for

    quick, full = fast_check_for("achievement"), validator_for("achievement")
    assert quick is not None and full is not None
    good = {**SIGNED, "proof": [SIGNED["proof"]]}
    assert quick(good) and validate(good) == []
    for broken, path in (({**good, "credentialSubject": {"type": ["AchievementSubject"]}},
                          "$.credentialSubject"),
                         ({**good, "validFrom": "yesterday"}, "$.validFrom"),
                         ({**good, "issuer": 5}, "$.issuer")):
        assert not quick(broken) and not full.is_valid(broken)
        assert any(v.path.startswith(path) for v in validate(broken))
        assert verify_any(broken, ctx=CTX).check("schema").code == "schema.invalid"
