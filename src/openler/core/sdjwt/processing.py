"""Rebuilding the disclosed claims from an Issuer-signed JWT payload and a set
of Disclosures (RFC 9901, section 7.1, steps 3-5).

Every Disclosure must be referenced by exactly one digest, directly or inside
another disclosed value; no digest may appear twice; a disclosed claim name
may not already exist in its object. Digests without a Disclosure (undisclosed
claims and decoys) are dropped, as are ``_sd`` and ``_sd_alg``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openler.core.errors import SdJwtError
from openler.core.sdjwt.encoding import SD_ALG, Disclosure, decode_disclosure
from openler.core.sdjwt.paths import Path, format_path


@dataclass(frozen=True, slots=True)
class Problem:
    """A reason the disclosures do not fit the signed payload."""

    code: str
    detail: str


@dataclass(slots=True)
class Processed:
    """Disclosed claims, where each Disclosure landed, and what did not fit."""

    claims: dict[str, Any]
    paths: dict[str, Path] = field(default_factory=dict)  # disclosure text -> claim path
    problems: list[Problem] = field(default_factory=list)


class _Walker:
    def __init__(self, by_digest: dict[str, Disclosure], result: Processed) -> None:
        self.by_digest = by_digest
        self.result = result
        self.seen: set[str] = set()

    def problem(self, code: str, detail: str) -> None:
        self.result.problems.append(Problem(code, detail))

    def take(self, dig: Any, path: Path) -> Disclosure | None:
        if not isinstance(dig, str):
            self.problem("sdjwt.malformed_disclosure", f"non-string digest at {format_path(path)}")
            return None
        if dig in self.seen:
            self.problem("sdjwt.duplicate_digest", f"digest {dig} appears more than once")
            return None
        self.seen.add(dig)
        return self.by_digest.get(dig)

    def walk(self, value: Any, path: Path) -> Any:
        if isinstance(value, dict):
            return self._object(value, path)
        if isinstance(value, list):
            return self._array(value, path)
        return value

    def _object(self, value: dict[str, Any], path: Path) -> dict[str, Any]:
        out = {k: self.walk(v, (*path, k)) for k, v in value.items()
               if k != "_sd" and not (k == "_sd_alg" and not path)}
        digests = value.get("_sd", [])
        if not isinstance(digests, list):
            self.problem("sdjwt.malformed_disclosure", f"_sd is not an array at {format_path(path)}")
            return out
        for dig in digests:
            disclosure = self.take(dig, path)
            if disclosure is None:
                continue
            if disclosure.name is None:
                self.problem("sdjwt.malformed_disclosure",
                             f"array-element disclosure referenced from an object at {format_path(path)}")
                continue
            if disclosure.name in out:
                self.problem("sdjwt.duplicate_claim",
                             f"disclosed claim {disclosure.name!r} already exists at {format_path(path)}")
                continue
            child = (*path, disclosure.name)
            self.result.paths[disclosure.encoded] = child
            out[disclosure.name] = self.walk(disclosure.value, child)
        return out

    def _array(self, value: list[Any], path: Path) -> list[Any]:
        out: list[Any] = []
        for index, item in enumerate(value):
            child = (*path, index)
            if isinstance(item, dict) and "..." in item:
                if len(item) != 1:
                    self.problem("sdjwt.malformed_disclosure",
                                 f"array digest object has extra keys at {format_path(child)}")
                    continue
                disclosure = self.take(item["..."], child)
                if disclosure is None:
                    continue
                if disclosure.name is not None:
                    self.problem("sdjwt.malformed_disclosure",
                                 f"object-property disclosure referenced from an array at {format_path(child)}")
                    continue
                self.result.paths[disclosure.encoded] = child
                out.append(self.walk(disclosure.value, child))
            else:
                out.append(self.walk(item, child))
        return out


def process(payload: dict[str, Any], disclosures: tuple[str, ...] | list[str]) -> Processed:
    """Apply the Disclosures to the signed payload; problems are reported, not raised."""
    result = Processed(claims={})
    alg = payload.get("_sd_alg", SD_ALG)
    if alg != SD_ALG:
        result.problems.append(Problem("sdjwt.unsupported_alg", f"_sd_alg {alg!r} is not sha-256"))
        return result
    by_digest: dict[str, Disclosure] = {}
    for text in disclosures:
        try:
            disclosure = decode_disclosure(text)
        except SdJwtError as exc:
            result.problems.append(Problem("sdjwt.malformed_disclosure", str(exc)))
            continue
        if disclosure.digest in by_digest:
            result.problems.append(Problem("sdjwt.duplicate_disclosure", "a disclosure is sent twice"))
            continue
        by_digest[disclosure.digest] = disclosure
    walker = _Walker(by_digest, result)
    try:
        result.claims = walker.walk(payload, ())
    except RecursionError:
        result.problems.append(Problem("sdjwt.malformed_disclosure", "claims nest too deeply"))
        return result
    unused = [d for dig, d in by_digest.items() if dig not in walker.seen]
    if unused:
        result.problems.append(Problem(
            "sdjwt.unknown_disclosure",
            f"{len(unused)} disclosure(s) are not referenced by the issuer-signed payload"))
    return result
