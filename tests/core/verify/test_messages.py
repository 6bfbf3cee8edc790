"""The message catalog: every emitted code has plain English and Spanish words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from openler.core import sdjwt, verify
from openler.core.verify.messages import CATALOG, LANGUAGES, message

CODE = re.compile(
    r'"((?:format|schema|proof|sdjwt|issuer|status|validity|holder|presentation'
    r'|credentials|check)\.[a-z_]+)"'
)
SOURCES = [*Path(verify.__file__).parent.glob("*.py"), *Path(sdjwt.__file__).parent.glob("*.py")]


def emitted_codes() -> set[str]:
    found: set[str] = set()
    for path in SOURCES:
        if path.name == "messages.py":
            continue
        found |= set(CODE.findall(path.read_text(encoding="utf-8")))
    # proof codes from openler.core.proofs are translated through PROOF_CODES, not shown raw
    # and H3's status codes and two H2 codes are only read, never shown.
    from openler.core.verify.checks import PROOF_CODES
    from openler.core.verify.status_check import _UNREADABLE

    read_only = (
        set(PROOF_CODES) | _UNREADABLE | {"proof.key_unresolvable", "proof.vm_not_authorized"}
    )
    return (found - read_only) | set(PROOF_CODES.values())


def test_every_emitted_code_is_in_the_catalog() -> None:
    codes = emitted_codes()
    assert {
        "proof.changed",
        "status.revoked",
        "holder.mismatch",
        "presentation.challenge_mismatch",
        "issuer.unresolvable",
    } <= codes
    assert codes - set(CATALOG) == set()


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_both_languages_are_plain_words(code: str) -> None:
    for lang in LANGUAGES:
        text = message(code, lang)
        assert text and text[0].isupper() and "_" not in text and "." not in text.rstrip(".")
        assert "proof purpose" not in text.lower()


def test_known_wording_and_fallback() -> None:
    assert message("proof.changed", "en") == "Changed after it was issued"
    assert message("proof.changed", "es") == "Cambiado después de su emisión"
    assert message("proof.changed", "fr") == "Changed after it was issued"
    with pytest.raises(KeyError):
        message("no.such_code")
