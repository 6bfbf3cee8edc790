"""What an employer asks for, as a DCQL query: records showing these skills, or of this
credential type; and how the answers meet what was asked.

Spec: OpenID for Verifiable Presentations 1.0, sections 6.1 (Credential Query:
``meta.type_values`` of fully expanded type IRIs for ``ldp_vc``, Appendix
B.1.3.2), 6.2 (``credential_sets``: ``options`` the wallet may meet, the
verifier's preferred one first), 6.3 and 7 (a claims path with ``null`` selects
every element of an array: every alignment of the achievement) and 6.4.1
(``claim_sets``: the wallet answers with the first set it can meet). One
credential query per skill, so each skill is answered by a record of its own
(one record may answer several); a skill is found by its alignment's
``targetUrl``, else ``targetCode``, else ``targetName`` (1EdTech Open Badges
3.0, section 4.3). With two skills or more, one required credential set offers
"all of them" first and then any one of them: a learner who shows only some
skills can still answer, and the request page says which are missing.

Similar names (issue 7, item 6). A DCQL ``values`` list is matched exactly by the
wallet, so a record aligned to "manage projects" could never answer a request for
"Project Management". ``alternative_names`` finds, among the skills organizations on
this site align to (the catalog), the names alike enough to count as the same skill
(``openler.verifier.matching.similar_names``: cosine of sentence embeddings at least
``openler.skills.similarity.SEMANTIC_THRESHOLD``), and ``skills_query`` accepts them as
further ``targetName`` values; a stored crosswalk's exact or close matches are accepted
as further ``targetUrl`` values the same way. ``answer_findings`` then explains each answer against the
request's skills with the same rule (exact matches first; exact only, said so, when the
language model is not available). Only skills and check outcomes are read: never names,
schools, dates of birth or addresses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openler.skills import similarity
from openler.skills.similarity import SEMANTIC_THRESHOLD, ModelUnavailableError
from openler.verifier import matching
from openler.verifier.dcql import FORMAT_LDP_VC
from openler.wallet.models import Skill
from openler.wallet.skills_identity import fold

VC = "https://www.w3.org/2018/credentials#VerifiableCredential"
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
CLR = "https://purl.imsglobal.org/spec/vc/clr/vocab.html#ClrCredential"
CREDENTIAL_TYPES: dict[str, list[list[str]]] = {
    "achievement": [[VC, OB]],
    "clr": [[VC, CLR]],
    "any": [[VC]],
}
ALIGNMENT = ("credentialSubject", "achievement", "alignment", None)
MAX_ALTERNATIVES = 5  # further targetName values accepted per skill


def _skill_claims(skill: Skill, also: Sequence[str] = (),
                  same_urls: Sequence[str] = ()) -> dict[str, Any]:
    claims, sets = [], []
    names = list(dict.fromkeys(n for n in (skill.name, *also) if n))[:1 + MAX_ALTERNATIVES]
    urls = list(dict.fromkeys(u for u in (skill.url, *same_urls) if u))[:1 + MAX_ALTERNATIVES]
    for field, values in (("targetUrl", urls),
                          ("targetCode", [skill.code] if skill.code else []),
                          ("targetName", names)):
        if values:
            claim_id = field.removeprefix("target").lower()
            claims.append({"id": claim_id, "path": [*ALIGNMENT, field], "values": values})
            sets.append([claim_id])
    return {"claims": claims, "claim_sets": sets}


def skills_query(skills: Sequence[Skill], credential_type: str = "achievement", *,
                 alternatives: Mapping[str, Sequence[str]] | None = None,
                 same_urls: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
    """A DCQL query: one record per skill (or, with no skills, one record of the type);
    ``alternatives`` (skill name -> similar names) lets records named otherwise answer,
    and ``same_urls`` (skill address -> addresses a crosswalk calls the same) records
    aligned to the same skill in another framework."""
    types = CREDENTIAL_TYPES.get(credential_type, CREDENTIAL_TYPES["achievement"])
    meta = {"type_values": [list(alt) for alt in types]}
    if not skills:
        return {"credentials": [{"id": "record", "format": FORMAT_LDP_VC, "meta": meta}]}
    also, same = alternatives or {}, same_urls or {}
    credentials = [{"id": f"skill{n}", "format": FORMAT_LDP_VC, "meta": meta,
                    **_skill_claims(skill, also.get(skill.name, ()), same.get(skill.url, ()))}
                   for n, skill in enumerate(skills, 1)]
    query: dict[str, Any] = {"credentials": credentials}
    if len(credentials) > 1:
        ids = [c["id"] for c in credentials]
        query["credential_sets"] = [{"options": [ids, *([i] for i in ids)], "required": True}]
    return query


def alternative_names(skills: Sequence[Skill], catalog: Iterable[Skill], *,
                      threshold: float = SEMANTIC_THRESHOLD) -> dict[str, list[str]]:
    """Per requested skill name, the catalog's names for the same skill written otherwise
    (other case or accents, or alike in meaning), best first (``ModelUnavailableError``
    without the language model)."""
    spelled: dict[str, list[str]] = {}
    for item in catalog:
        if item.name:
            spelled.setdefault(fold(item.name), [])
            if item.name not in spelled[fold(item.name)]:
                spelled[fold(item.name)].append(item.name)
    near = matching.similar_names([matching.Requirement(s) for s in skills], list(spelled),
                                  threshold=threshold)
    found: dict[str, list[str]] = {}
    for skill in skills:
        own = fold(skill.name)
        hits = sorted(near.get(own, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        names = [*spelled.get(own, []), *(n for f, _ in hits for n in spelled.get(f, []))]
        names = [n for n in dict.fromkeys(names) if n != skill.name][:MAX_ALTERNATIVES]
        if names:
            found[skill.name] = names
    return found


def accepted_names(dcql_query: Mapping[str, Any]) -> dict[str, list[str]]:
    """Per asked skill name, the further names a stored query accepts (what the page shows)."""
    found: dict[str, list[str]] = {}
    credentials = dcql_query.get("credentials", []) if isinstance(dcql_query, Mapping) else []
    for credential in credentials if isinstance(credentials, list) else []:
        claims = credential.get("claims", []) if isinstance(credential, Mapping) else []
        for claim in claims if isinstance(claims, list) else []:
            values = claim.get("values") if isinstance(claim, Mapping) else None
            if claim.get("id") == "name" and isinstance(values, list) and len(values) > 1 \
                    and all(isinstance(v, str) for v in values):
                found[values[0]] = list(values[1:])
    return found


@dataclass(frozen=True, slots=True)
class AnswerFindings:
    """Each answer explained against the asked skills, and whether similar names counted."""

    explanations: tuple[matching.Explanation, ...]
    semantic: bool
    threshold: float = SEMANTIC_THRESHOLD

    @property
    def percent(self) -> int:
        """The threshold as the page states it ("at least 85% alike")."""
        return int(round(self.threshold * 100))


def answer_findings(requirements: Sequence[matching.Requirement],
                    answers: Sequence[Sequence[matching.Evidence]], *,
                    threshold: float = SEMANTIC_THRESHOLD) -> AnswerFindings:
    """Explain every answer the same way roles and the inbox do: exact matches first, then
    similar names above the threshold; exact only when the language model is missing."""
    names = matching.names_of(item for evidence in answers for item in evidence)
    try:
        similar = matching.similar_names(requirements, names, threshold=threshold) \
            if names else None
        semantic = True if names else similarity.available()
    except ModelUnavailableError:
        similar, semantic = None, False
    return AnswerFindings(tuple(matching.explain(requirements, evidence, similar=similar)
                                for evidence in answers), semantic, threshold)
