"""The Digital Credentials Query Language, as far as OpenLER asks for and answers it.

Spec: OpenID for Verifiable Presentations 1.0, section 6 (DCQL: Credential
Query 6.1, Claims Query 6.3, selecting claims 6.4.1 and credentials 6.4.2),
section 7 (claims path pointers) and Appendix B (``ldp_vc``: ``meta.type_values``
are fully expanded type IRIs; ``dc+sd-jwt``: ``meta.vct_values``). Pure: no web,
no ORM; the JSON-LD contexts come from the bundled, pinned loader.

Supported: ``credentials`` with ``id``, ``format`` (``ldp_vc``, ``dc+sd-jwt``),
``multiple``, ``meta``, ``claims`` (``path``, ``values``) and ``claim_sets``;
``credential_sets`` (``options``, ``required``). ``trusted_authorities`` is
read and ignored (the spec lets a wallet treat it as a hint).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from openler.core.errors import CoreError
from openler.core.jsonld import default_loader

FORMAT_LDP_VC = "ldp_vc"
FORMAT_SD_JWT = "dc+sd-jwt"
FORMATS = (FORMAT_LDP_VC, FORMAT_SD_JWT)
_ID = re.compile(r"^[A-Za-z0-9_-]+$")
MAX_QUERIES = 20
MAX_CLAIMS = 50

Path = tuple[str | int | None, ...]


class DcqlError(ValueError):
    """A DCQL query that does not follow section 6 (``reason`` says where)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ClaimQuery:
    """One claim asked for: its path into the credential, and optionally accepted values."""

    path: Path
    id: str = ""
    values: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class CredentialQuery:
    """One credential asked for (section 6.1)."""

    id: str
    format: str
    meta: dict[str, Any]
    claims: tuple[ClaimQuery, ...] = ()
    claim_sets: tuple[tuple[str, ...], ...] = ()
    multiple: bool = False
    holder_binding: bool = True

    @property
    def type_values(self) -> list[list[str]]:
        """``ldp_vc``: the alternatives of expanded types the credential must carry."""
        return [list(v) for v in self.meta.get("type_values", [])]

    @property
    def vct_values(self) -> list[str]:
        """``dc+sd-jwt``: the accepted ``vct`` values."""
        return list(self.meta.get("vct_values", []))


@dataclass(frozen=True, slots=True)
class CredentialSet:
    """A credential set query (section 6.2): one of ``options`` must be answered."""

    options: tuple[tuple[str, ...], ...]
    required: bool = True


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed DCQL query."""

    credentials: tuple[CredentialQuery, ...]
    credential_sets: tuple[CredentialSet, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def by_id(self, query_id: str) -> CredentialQuery | None:
        """The credential query with this id."""
        return next((c for c in self.credentials if c.id == query_id), None)

    def required_ids(self, answered: Iterable[str]) -> list[str]:
        """Which query ids still miss for the answer to satisfy the query (6.4.2)."""
        have = set(answered)
        if not self.credential_sets:
            return [c.id for c in self.credentials if c.id not in have]
        missing: list[str] = []
        for cset in self.credential_sets:
            if cset.required and not any(set(o) <= have for o in cset.options):
                missing.extend(i for i in cset.options[0] if i not in have)
        return missing


def _path(value: Any) -> Path:
    if not isinstance(value, list) or not value:
        raise DcqlError("a claim path must be a non-empty array")
    for part in value:
        if part is not None and not isinstance(part, str) and (
                not isinstance(part, int) or isinstance(part, bool) or part < 0):
            raise DcqlError("a claim path holds strings, null and non-negative integers")
    return tuple(value)


def _claims(raw: Any) -> tuple[ClaimQuery, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw or len(raw) > MAX_CLAIMS:
        raise DcqlError("claims must be a non-empty array")
    out = []
    for item in raw:
        if not isinstance(item, Mapping):
            raise DcqlError("each claims query is an object")
        values = item.get("values", [])
        if not isinstance(values, list) or not all(
                isinstance(v, str | int | bool) for v in values):
            raise DcqlError("claim values are strings, integers or booleans")
        cid = item.get("id", "")
        if cid and (not isinstance(cid, str) or not _ID.match(cid)):
            raise DcqlError("a claim id is letters, digits, _ and -")
        out.append(ClaimQuery(_path(item.get("path")), cid or "", tuple(values)))
    return tuple(out)


def _meta(fmt: str, meta: Any) -> dict[str, Any]:
    if not isinstance(meta, Mapping):
        raise DcqlError("meta is required and must be an object")
    if fmt == FORMAT_LDP_VC:
        tv = meta.get("type_values")
        if not isinstance(tv, list) or not tv or not all(
                isinstance(alt, list) and alt and all(isinstance(t, str) for t in alt)
                for alt in tv):
            raise DcqlError("ldp_vc needs meta.type_values, a non-empty array of string arrays")
    else:
        vct = meta.get("vct_values")
        if not isinstance(vct, list) or not vct or not all(isinstance(v, str) for v in vct):
            raise DcqlError("dc+sd-jwt needs meta.vct_values, a non-empty array of strings")
    return dict(meta)


def _credential(raw: Any, strict: bool) -> CredentialQuery:
    if not isinstance(raw, Mapping):
        raise DcqlError("each credential query is an object")
    qid, fmt = raw.get("id"), raw.get("format")
    if not isinstance(qid, str) or not _ID.match(qid):
        raise DcqlError("a credential query id is letters, digits, _ and -")
    if not isinstance(fmt, str) or not fmt:
        raise DcqlError("a credential query needs a format")
    if fmt not in FORMATS:
        if strict:
            raise DcqlError(f"unsupported credential format {fmt!r}")
        if not isinstance(raw.get("meta"), Mapping):
            raise DcqlError("meta is required and must be an object")
        return CredentialQuery(qid, fmt, dict(raw["meta"]), _claims(raw.get("claims")))
    claims = _claims(raw.get("claims"))
    sets_raw = raw.get("claim_sets")
    claim_sets: tuple[tuple[str, ...], ...] = ()
    if sets_raw is not None:
        ids = {c.id for c in claims if c.id}
        if not claims or not isinstance(sets_raw, list) or not sets_raw or not all(
                isinstance(s, list) and s and all(i in ids for i in s) for s in sets_raw):
            raise DcqlError("claim_sets must list ids of the claims queries")
        claim_sets = tuple(tuple(s) for s in sets_raw)
    multiple = raw.get("multiple", False)
    binding = raw.get("require_cryptographic_holder_binding", True)
    if not isinstance(multiple, bool) or not isinstance(binding, bool):
        raise DcqlError("multiple and require_cryptographic_holder_binding are booleans")
    return CredentialQuery(qid, fmt, _meta(fmt, raw.get("meta")), claims, claim_sets,
                           multiple, binding)


def parse_query(raw: Any, *, strict: bool = True) -> Query:
    """Read a DCQL query object; DcqlError when it does not follow section 6.

    ``strict`` (the verifier's own queries) refuses formats OpenLER does not speak; a
    wallet reads them (``strict=False``) as queries none of its records can answer.
    """
    if not isinstance(raw, Mapping):
        raise DcqlError("dcql_query must be an object")
    creds = raw.get("credentials")
    if not isinstance(creds, list) or not creds or len(creds) > MAX_QUERIES:
        raise DcqlError("credentials must be a non-empty array")
    queries = tuple(_credential(c, strict) for c in creds)
    ids = [q.id for q in queries]
    if len(set(ids)) != len(ids):
        raise DcqlError("credential query ids must be unique")
    sets: list[CredentialSet] = []
    sets_raw = raw.get("credential_sets")
    if sets_raw is not None:
        if not isinstance(sets_raw, list) or not sets_raw:
            raise DcqlError("credential_sets must be a non-empty array")
        for item in sets_raw:
            options = item.get("options") if isinstance(item, Mapping) else None
            required = item.get("required", True) if isinstance(item, Mapping) else True
            if not isinstance(options, list) or not options or not all(
                    isinstance(o, list) and o and all(i in ids for i in o) for o in options):
                raise DcqlError("credential_sets options must list credential query ids")
            if not isinstance(required, bool):
                raise DcqlError("required is a boolean")
            sets.append(CredentialSet(tuple(tuple(o) for o in options), required))
    return Query(queries, tuple(sets), dict(raw))


def select(document: Any, path: Path) -> list[Any]:
    """The claims a path points at (section 7.1.1); empty when it selects nothing."""
    selected = [document]
    for part in path:
        nxt: list[Any] = []
        for element in selected:
            if isinstance(part, str):
                if not isinstance(element, Mapping):
                    return []
                if part in element:
                    nxt.append(element[part])
            elif part is None:
                if not isinstance(element, list):
                    return []
                nxt.extend(element)
            else:
                if not isinstance(element, list):
                    return []
                if part < len(element):
                    nxt.append(element[part])
        selected = nxt
    return selected


def _claim_ok(document: Any, claim: ClaimQuery) -> bool:
    found = select(document, claim.path)
    if not found:
        return False
    if not claim.values:
        return True
    return any(type(v) is type(w) and v == w for v in found for w in claim.values)


def chosen_claims(query: CredentialQuery, document: Any) -> tuple[ClaimQuery, ...] | None:
    """The claims to send from ``document`` (6.4.1), or None if it cannot satisfy them."""
    if not query.claims:
        return ()
    if not query.claim_sets:
        return query.claims if all(_claim_ok(document, c) for c in query.claims) else None
    by_id = {c.id: c for c in query.claims}
    for option in query.claim_sets:
        picked = tuple(by_id[i] for i in option)
        if all(_claim_ok(document, c) for c in picked):
            return picked
    return None


def _expander(contexts: list[Any]) -> Any:
    loader = default_loader()
    terms: dict[str, Any] = {}
    vocab: str | None = None
    for ctx in contexts:
        doc = ctx
        if isinstance(ctx, str):
            try:
                doc = loader.get(ctx).get("@context", {})
            except CoreError:
                continue
        if isinstance(doc, Mapping):
            for key, value in doc.items():
                if key == "@vocab" and isinstance(value, str):
                    vocab = value
                elif not key.startswith("@"):
                    terms[key] = value

    def expand(value: str, depth: int = 0) -> str:
        if depth > 4:
            return value
        definition = terms.get(value)
        if isinstance(definition, Mapping):
            definition = definition.get("@id")
        if isinstance(definition, str):
            return expand(definition, depth + 1) if definition != value else value
        if ":" in value:
            prefix, _, suffix = value.partition(":")
            base = terms.get(prefix)
            if isinstance(base, Mapping):
                base = base.get("@id")
            if isinstance(base, str) and not suffix.startswith("//"):
                return base + suffix
            return value
        return vocab + value if vocab else value

    return expand


def expanded_types(credential: Mapping[str, Any]) -> set[str]:
    """The credential's ``type`` values as IRIs, through its (bundled) ``@context``."""
    contexts = credential.get("@context", [])
    contexts = contexts if isinstance(contexts, list) else [contexts]
    types = credential.get("type", [])
    types = types if isinstance(types, list) else [types]
    expand = _expander(contexts)
    return {expand(t) for t in types if isinstance(t, str)}


def meta_matches(query: CredentialQuery, document: Any) -> bool:
    """Whether a credential (ldp_vc JSON, or the disclosed SD-JWT claims) fits ``meta``."""
    if not isinstance(document, Mapping):
        return False
    if query.format == FORMAT_LDP_VC:
        have = expanded_types(document)
        return any(set(alt) <= have for alt in query.type_values)
    return document.get("vct") in query.vct_values


def credential_query(query_id: str, *, format: str, types: Iterable[str] = (),
                     vct: Iterable[str] = (), claims: Iterable[Iterable[str | int | None]] = (),
                     multiple: bool = False) -> dict[str, Any]:
    """A DCQL credential query object for one format, type set and claim paths."""
    if format == FORMAT_LDP_VC:
        meta: dict[str, Any] = {"type_values": [list(types)]}
    else:
        meta = {"vct_values": list(vct)}
    out: dict[str, Any] = {"id": query_id, "format": format, "meta": meta}
    paths = [{"path": list(p)} for p in claims]
    if paths:
        out["claims"] = paths
    if multiple:
        out["multiple"] = True
    return out
