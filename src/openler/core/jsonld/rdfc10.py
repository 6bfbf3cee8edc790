"""RDF Dataset Canonicalization, RDFC-1.0 (W3C Recommendation 2024, §4).

Quads are tuples of N-Quads term strings (see ``nquads``). The common case for
credentials, where every blank node's first-degree hash is unique, finishes
after §4.4 step 5 without running Hash N-Degree Quads. Poison graphs are cut
short by a work limit on Hash N-Degree Quads calls and permutations (§5,
"Dataset poisoning"), raising ``CanonicalizationError``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator

from openler.core.errors import CanonicalizationError
from openler.core.jsonld.nquads import Quad

_Issuer = tuple[dict[str, str], list[str]]


class _Limit(CanonicalizationError):
    """Raised internally when the work budget is spent."""


class _State:
    __slots__ = ("quads_of", "canon", "first", "work", "limit", "new_hash")

    def __init__(self, quads_of: dict[str, list[Quad]], limit: int,
                 new_hash: Callable[[], hashlib._Hash]) -> None:
        self.quads_of = quads_of
        self.canon: dict[str, str] = {}
        self.first: dict[str, str] = {}
        self.work = 0
        self.limit = limit
        self.new_hash = new_hash

    def spend(self, units: int = 1) -> None:
        self.work += units
        if self.work > self.limit:
            raise _Limit(
                f"RDFC-1.0 work limit of {self.limit} steps exceeded "
                f"({len(self.quads_of)} blank nodes): refusing a possibly poisoned dataset")

    # §4.6 Hash First Degree Quads
    def hash_first(self, node: str) -> str:
        cached = self.first.get(node)
        if cached is not None:
            return cached
        lines = []
        for s, p, o, g in self.quads_of[node]:
            if s[0] == "_":
                s = "_:a" if s == node else "_:z"
            if o[0] == "_":
                o = "_:a" if o == node else "_:z"
            if g is None:
                lines.append(f"{s} {p} {o} .\n")
            else:
                if g[0] == "_":
                    g = "_:a" if g == node else "_:z"
                lines.append(f"{s} {p} {o} {g} .\n")
        lines.sort()
        digest = self.new_hash()
        digest.update("".join(lines).encode())
        result = self.first[node] = digest.hexdigest()
        return result

    # §4.7 Hash Related Blank Node
    def hash_related(self, related: str, predicate: str, issuer: _Issuer, position: str) -> str:
        ident = self.canon.get(related) or issuer[0].get(related) or self.hash_first(related)
        text = position + ident if position == "g" else position + predicate + ident
        digest = self.new_hash()
        digest.update(text.encode())
        return digest.hexdigest()

    # §4.8 Hash N-Degree Quads
    def hash_n_degree(self, node: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        self.spend()
        related_by_hash: dict[str, list[str]] = {}
        for quad in self.quads_of[node]:
            s, p, o, g = quad
            for position, comp in (("s", s), ("o", o), ("g", g)):
                if comp is not None and comp[0] == "_" and comp != node:
                    h = self.hash_related(comp, p, issuer, position)
                    related_by_hash.setdefault(h, []).append(comp)
        digest = self.new_hash()
        canon = self.canon
        for related_hash in sorted(related_by_hash):
            digest.update(related_hash.encode())
            chosen_path = ""
            chosen_issuer: _Issuer | None = None
            for permutation in permutations(related_by_hash[related_hash]):
                self.spend()
                issued, order = dict(issuer[0]), list(issuer[1])
                path = ""
                recursion: list[str] = []
                skip = False
                for related in permutation:
                    if related in canon:
                        path += canon[related]
                    else:
                        label = issued.get(related)
                        if label is None:
                            recursion.append(related)
                            label = issued[related] = "_:b" + str(len(order))
                            order.append(related)
                        path += label
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                copy: _Issuer = (issued, order)
                for related in recursion:
                    result_hash, result_issuer = self.hash_n_degree(related, copy)
                    path += copy[0][related] + "<" + result_hash + ">"
                    copy = result_issuer
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                if not chosen_path or path < chosen_path:
                    chosen_path = path
                    chosen_issuer = copy
            digest.update(chosen_path.encode())
            assert chosen_issuer is not None
            issuer = chosen_issuer
        return digest.hexdigest(), issuer


def permutations(items: list[str]) -> Iterator[tuple[str, ...]]:
    """Steinhaus-Johnson-Trotter permutations from sorted order, as the reference
    implementations enumerate them (a repeated node yields each arrangement once)."""
    elements = sorted(items)
    left = dict.fromkeys(elements, True)
    last = len(elements) - 1
    while True:
        yield tuple(elements)
        mobile, pos = None, 0
        for i, e in enumerate(elements):
            if (mobile is None or e > mobile) and (
                    (left[e] and i > 0 and e > elements[i - 1])
                    or (not left[e] and i < last and e > elements[i + 1])):
                mobile, pos = e, i
        if mobile is None:
            return
        swap = pos - 1 if left[mobile] else pos + 1
        elements[pos], elements[swap] = elements[swap], mobile
        for e in elements:
            if e > mobile:
                left[e] = not left[e]


def canonical_labels(quads: Iterable[Quad], *, hash_name: str = "sha256",
                     max_work: int | None = None) -> tuple[list[Quad], dict[str, str]]:
    """Issue canonical blank node labels (§4.4) and return the quads and the label map."""
    quads = list(quads)
    quads_of: dict[str, list[Quad]] = {}
    for quad in quads:
        s, _p, o, g = quad
        # a quad is listed once per blank node occurrence, as the reference algorithm does
        if s[0] == "_":
            quads_of.setdefault(s, []).append(quad)
        if o[0] == "_":
            quads_of.setdefault(o, []).append(quad)
        if g is not None and g[0] == "_":
            quads_of.setdefault(g, []).append(quad)
    if not quads_of:
        return quads, {}
    limit = max_work if max_work is not None else 10_000 + 1_000 * len(quads_of)
    state = _State(quads_of, limit, getattr(hashlib, hash_name))
    canon = state.canon
    pending = list(quads_of)
    by_hash: dict[str, list[str]] = {}
    simple = True
    while simple:
        simple = False
        by_hash = {}
        for node in pending:
            by_hash.setdefault(state.hash_first(node), []).append(node)
        for h in sorted(by_hash):
            nodes = by_hash[h]
            if len(nodes) > 1:
                continue
            canon[nodes[0]] = "_:c14n" + str(len(canon))
            pending.remove(nodes[0])
            del by_hash[h]
            simple = True
    for h in sorted(by_hash):
        results = []
        for node in by_hash[h]:
            if node in canon:
                continue
            results.append(state.hash_n_degree(node, ({node: "_:b0"}, [node])))
        results.sort(key=lambda r: r[0])
        for _hash, (_issued, order) in results:
            for existing in order:
                if existing not in canon:
                    canon[existing] = "_:c14n" + str(len(canon))
    return quads, canon


def canonicalize(quads: Iterable[Quad], *, hash_name: str = "sha256",
                 max_work: int | None = None) -> str:
    """Canonical N-Quads of a dataset: the string that Data Integrity proofs hash."""
    quads, canon = canonical_labels(quads, hash_name=hash_name, max_work=max_work)
    lines = []
    for s, p, o, g in quads:
        if s[0] == "_":
            s = canon[s]
        if o[0] == "_":
            o = canon[o]
        if g is None:
            lines.append(f"{s} {p} {o} .\n")
        else:
            if g[0] == "_":
                g = canon[g]
            lines.append(f"{s} {p} {o} {g} .\n")
    lines.sort()
    return "".join(lines)
