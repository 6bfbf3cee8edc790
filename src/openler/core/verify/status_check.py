"""The "status" check: has the issuer revoked or suspended the credential?

Spec: W3C Bitstring Status List v1.0, section 3.2 (Validate Algorithm) via
``openler.core.status.check_status``; the status list credential is fetched
through the injected fetcher, its proof verified here (same resolver and
loader), and the decoded list kept in the injected cache. An unreachable or
unreadable list is "could not check", never "revoked".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openler.core.proofs import verify_proof
from openler.core.status import check_status
from openler.core.verify.checks import as_list, party_id
from openler.core.verify.context import VerificationContext
from openler.core.verify.result import Check, make_check

# StatusResult.code values that mean "the list itself is bad" rather than "unreachable".
_UNREADABLE = {"status.list_malformed", "status.list_unverified", "status.entry_malformed",
               "status.range", "status.purpose_mismatch", "status.list_expired"}


def _list_verifier(ctx: VerificationContext, unreachable: list[str]) -> Any:
    # verify_proof checks that the key belongs to the list's own issuer; check_status then
    # compares that issuer with the credential's on every use, cached lists included:
    # otherwise anyone could publish a list that "clears" someone else's credential.
    # A list whose signing key could not be fetched is noted in ``unreachable``: that is
    # "could not reach the issuer", not "the list is bad".
    def verify(document: dict[str, Any]) -> bool:
        outcome = verify_proof(document, resolver=ctx.resolver, loader=ctx.loader,
                               now=ctx.clock())
        if outcome.could_not_check and outcome.code == "proof.key_unresolvable":
            unreachable.append(str(document.get("id")))
        return outcome.ok

    return verify


def check_credential_status(doc: Mapping[str, Any], ctx: VerificationContext) -> Check:
    """Look each credentialStatus entry up in its status list."""
    lang = ctx.language
    entries = as_list(doc.get("credentialStatus"))
    if not entries:
        return make_check("status", "skipped", "status.none", "no credentialStatus",
                          language=lang)
    if ctx.fetch_status_list is None:
        return make_check("status", "skipped", "status.unreachable",
                          "no status list fetcher configured", language=lang,
                          could_not_check=True)
    issuer = party_id(doc.get("issuer"))
    if issuer is None:
        return make_check("status", "skipped", "status.invalid",
                          "the credential names no issuer to check its status list against",
                          language=lang, could_not_check=True)
    unreachable: list[str] = []
    results = check_status(dict(doc), fetch_status_list=ctx.fetch_status_list,
                           cache=ctx.status_cache,
                           verify_list_credential=_list_verifier(ctx, unreachable),
                           expected_issuer=issuer, now=ctx.clock())
    for state, code in (("revoked", "status.revoked"), ("suspended", "status.suspended"),
                        ("flagged", "status.revoked")):
        hit = next((r for r in results if r.state == state), None)
        if hit is not None:
            return make_check("status", "failed", code, f"{hit.purpose} bit {hit.index} is set "
                              f"in {hit.list_url}", language=lang)
    unknown = next((r for r in results if r.could_not_check), None)
    if unknown is not None:
        if unknown.code == "status.unsupported":
            code = "status.unsupported"
        elif unknown.code == "status.list_unverified" and unknown.list_url in unreachable:
            code = "status.unreachable"  # the list's signing key could not be fetched
        elif unknown.code in _UNREADABLE:
            code = "status.invalid"
        else:
            code = "status.unreachable"
        return make_check("status", "skipped", code, f"{unknown.code}: {unknown.message}",
                          language=lang, could_not_check=True)
    return make_check("status", "passed", "status.active",
                      f"{len(results)} status entr{'y' if len(results) == 1 else 'ies'} clear",
                      language=lang)
