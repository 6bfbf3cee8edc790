"""Proof options and the proof configuration that is hashed with the document.

Spec: W3C VC Data Integrity 1.0, section 2.1 (Proofs: ``type``,
``cryptosuite``, ``created``, ``expires``, ``verificationMethod``,
``proofPurpose``, ``challenge``, ``domain``, ``proofValue``); vc-di-eddsa
3.3.5 / vc-di-ecdsa 3.2.5 (Proof Configuration: the options without
``proofValue``, with the secured document's ``@context``, canonicalized).
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from openler.core.jsonld import DocumentLoader, canonize, default_loader

# xsd:dateTime as the VC data model writes it (timezone optional in XSD; we accept it).
_DATETIME = re.compile(
    r"^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)"
    r"(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$")
# Option keys in the order our proofs carry them (matches the spec examples).
OPTION_ORDER = ("type", "cryptosuite", "created", "expires", "verificationMethod",
                "proofPurpose", "challenge", "domain", "nonce")


def is_datetime(value: Any) -> bool:
    """Whether ``value`` is an xsd:dateTime lexical form."""
    return isinstance(value, str) and _DATETIME.match(value) is not None


def parse_datetime(value: str) -> datetime:
    """An aware datetime (UTC if no offset given) from an xsd:dateTime string."""
    text = value.replace("Z", "+00:00")
    if "." in text:  # Python needs at most 6 fractional digits
        head, _, rest = text.partition(".")
        digits = re.match(r"\d+", rest).group(0)  # type: ignore[union-attr]
        text = f"{head}.{digits[:6].ljust(6, '0')}{rest[len(digits):]}"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_datetime(value: datetime | str) -> str:
    """The ``created`` text: an xsd:dateTime string as given, or a datetime at seconds, in Z."""
    if isinstance(value, str):
        if not is_datetime(value):
            raise ValueError(f"not an xsd:dateTime: {value!r}")
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def proof_options(*, cryptosuite: str, created: str, verification_method: str,
                  proof_purpose: str, challenge: str | None = None,
                  domain: str | list[str] | None = None,
                  expires: str | None = None) -> dict[str, Any]:
    """The proof object without ``proofValue``, in our fixed key order."""
    options: dict[str, Any] = {"type": "DataIntegrityProof", "cryptosuite": cryptosuite,
                               "created": created}
    if expires is not None:
        options["expires"] = expires
    options["verificationMethod"] = verification_method
    options["proofPurpose"] = proof_purpose
    if challenge is not None:
        options["challenge"] = challenge
    if domain is not None:
        options["domain"] = domain
    return options


def proof_config(options: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """Proof options plus the document's ``@context`` (a new dict, no proofValue)."""
    config = {k: v for k, v in options.items() if k != "proofValue"}
    if context is not None:
        config["@context"] = context
    return config


def canonize_proof_config(config: dict[str, Any], *, loader: DocumentLoader | None = None) -> str:
    """Canonical N-Quads of a proof configuration (precompiled when provably identical)."""
    fast = fast_config_nquads(config, loader=loader)
    return fast if fast is not None else canonize(config, loader=loader)


# --- Precompiled proof configurations ------------------------------------------------
# A proof configuration is one blank node whose terms come from the protected
# DataIntegrityProof scoped context, so its canonical form is a handful of sorted
# lines. They are written directly when (a) every value is plain, safe ASCII and
# (b) for this loader, context list, verification-method scheme and purpose, a probe
# configuration written this way was byte-identical to the canonicalizer's output.
# Anything else goes through canonize().

_SEC = "https://w3id.org/security#"
_XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"
_PURPOSE_IRI = {
    "assertionMethod": _SEC + "assertionMethod",
    "authentication": _SEC + "authenticationMethod",
    "capabilityInvocation": _SEC + "capabilityInvocationMethod",
    "capabilityDelegation": _SEC + "capabilityDelegationMethod",
    "keyAgreement": _SEC + "keyAgreementMethod",
}
_LITERAL_KEYS = {"challenge": _SEC + "challenge", "domain": _SEC + "domain",
                 "nonce": _SEC + "nonce"}
_DATE_KEYS = {"created": "http://purl.org/dc/terms/created", "expires": _SEC + "expiration"}
_ALLOWED = frozenset({"@context", "type", "cryptosuite", "verificationMethod", "proofPurpose",
                      *_LITERAL_KEYS, *_DATE_KEYS})
_SAFE_TEXT = re.compile(r"^[\x20-\x21\x23-\x5b\x5d-\x7e]*$")  # printable ASCII but " and \\
_SAFE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):[!#-;=?-\[\]_a-z~]+$")
_verdicts: weakref.WeakKeyDictionary[DocumentLoader, dict[tuple, bool]] = (
    weakref.WeakKeyDictionary())
_lock = threading.Lock()


def _lines(config: dict[str, Any]) -> list[str] | None:
    if config.get("type") != "DataIntegrityProof" or not config.keys() <= _ALLOWED:
        return None
    purpose_iri = _PURPOSE_IRI.get(config.get("proofPurpose"))  # type: ignore[arg-type]
    suite, vm = config.get("cryptosuite"), config.get("verificationMethod")
    if purpose_iri is None or not isinstance(suite, str) or not _SAFE_TEXT.match(suite) \
            or not isinstance(vm, str) or not _SAFE_IRI.match(vm):
        return None
    lines = [f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{_SEC}DataIntegrityProof>",
             f'<{_SEC}cryptosuite> "{suite}"^^<{_SEC}cryptosuiteString>',
             f"<{_SEC}proofPurpose> <{purpose_iri}>",
             f"<{_SEC}verificationMethod> <{vm}>"]
    for key, iri in _DATE_KEYS.items():
        if key in config:
            if not is_datetime(config[key]):
                return None
            lines.append(f'<{iri}> "{config[key]}"^^<{_XSD_DATETIME}>')
    for key, iri in _LITERAL_KEYS.items():
        if key not in config:
            continue
        values = config[key] if isinstance(config[key], list) else [config[key]]
        if not values or len(set(map(str, values))) != len(values) or not all(
                isinstance(v, str) and _SAFE_TEXT.match(v) for v in values):
            return None
        lines.extend(f'<{iri}> "{v}"' for v in values)
    return lines


def _render(lines: list[str]) -> str:
    return "".join(sorted(f"_:c14n0 {line} .\n" for line in lines))


def fast_config_nquads(config: dict[str, Any], *, loader: DocumentLoader | None = None
                       ) -> str | None:
    """The canonical form written directly, or None when it must be computed."""
    context = config.get("@context")
    ctx = (context,) if isinstance(context, str) else context
    if not isinstance(ctx, list | tuple) or not all(isinstance(c, str) for c in ctx):
        return None
    lines = _lines(config)
    if lines is None:
        return None
    scheme = config["verificationMethod"].split(":", 1)[0]
    key = (tuple(ctx), scheme, config["proofPurpose"])
    active = loader or default_loader()
    with _lock:
        verdict = _verdicts.setdefault(active, {}).get(key)
    if verdict is None:
        verdict = _probe(context, scheme, config["proofPurpose"], active)
        with _lock:
            _verdicts.setdefault(active, {})[key] = verdict
    return _render(lines) if verdict else None


def _probe(context: Any, scheme: str, purpose: str, loader: DocumentLoader) -> bool:
    probe = {"@context": context, "type": "DataIntegrityProof", "cryptosuite": "probe-2000",
             "created": "2000-01-01T00:00:00Z", "expires": "2000-01-02T00:00:00Z",
             "verificationMethod": f"{scheme}:probe:x#k", "proofPurpose": purpose,
             "challenge": "c", "domain": ["d1", "d2"], "nonce": "n"}
    lines = _lines(probe)
    try:
        return lines is not None and canonize(probe, loader=loader) == _render(lines)
    except Exception:  # an unusable context: let the normal path report it
        return False
