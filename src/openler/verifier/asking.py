"""What an employer asks for, as a DCQL query: records showing these skills, or of this
credential type.

Spec: OpenID for Verifiable Presentations 1.0, sections 6.1 (Credential Query:
``meta.type_values`` of fully expanded type IRIs for ``ldp_vc``, Appendix
B.1.3.2), 6.3 and 7 (a claims path with ``null`` selects every element of an
array: every alignment of the achievement) and 6.4.1 (``claim_sets``: the
wallet answers with the first set it can meet). One credential query per
skill, so each skill is answered by a record of its own (one record may answer
several); a skill is found by its alignment's ``targetUrl``, else
``targetCode``, else ``targetName`` (1EdTech Open Badges 3.0, section 4.3).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openler.verifier.dcql import FORMAT_LDP_VC
from openler.wallet.models import Skill

VC = "https://www.w3.org/2018/credentials#VerifiableCredential"
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
CLR = "https://purl.imsglobal.org/spec/vc/clr/vocab.html#ClrCredential"
CREDENTIAL_TYPES: dict[str, list[list[str]]] = {
    "achievement": [[VC, OB]],
    "clr": [[VC, CLR]],
    "any": [[VC]],
}
ALIGNMENT = ("credentialSubject", "achievement", "alignment", None)


def _skill_claims(skill: Skill) -> dict[str, Any]:
    claims, sets = [], []
    for field, value in (("targetUrl", skill.url), ("targetCode", skill.code),
                         ("targetName", skill.name)):
        if value:
            claim_id = field.removeprefix("target").lower()
            claims.append({"id": claim_id, "path": [*ALIGNMENT, field], "values": [value]})
            sets.append([claim_id])
    return {"claims": claims, "claim_sets": sets}


def skills_query(skills: Sequence[Skill], credential_type: str = "achievement"
                 ) -> dict[str, Any]:
    """A DCQL query: one record per skill (or, with no skills, one record of the type)."""
    types = CREDENTIAL_TYPES.get(credential_type, CREDENTIAL_TYPES["achievement"])
    meta = {"type_values": [list(alt) for alt in types]}
    if not skills:
        return {"credentials": [{"id": "record", "format": FORMAT_LDP_VC, "meta": meta}]}
    return {"credentials": [
        {"id": f"skill{n}", "format": FORMAT_LDP_VC, "meta": meta, **_skill_claims(skill)}
        for n, skill in enumerate(skills, 1)]}
