"""The kinds of problem a verification report tells apart, in words: what each is called, what it
means and what to do; and which core check codes reveal each kind.

Spec: the check codes of ``openler.core.verify`` (``messages.CATALOG``), which follow
VC Data Model 2.0 section 7.1, VC Data Integrity 1.0 section 4.4, Bitstring Status
List v1.0 section 3.2 and RFC 9901 section 7. Three severities never blur: a
failure (do not rely on it), "could not check" (not the same as invalid) and the
one warning (issuer unknown to this organization). The words are English message
ids; the page and the command line translate them through the web catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["failure", "could_not_check", "warning"]


def N_(text: str) -> str:  # noqa: N802 - gettext convention: marked here, translated on the page
    """Mark a message id for the catalog."""
    return text


@dataclass(frozen=True, slots=True)
class KindText:
    """What a kind of problem is called, what it means and what to do about it."""

    severity: Severity
    title: str
    meaning: str
    action: str


KINDS: dict[str, KindText] = {
    "tampered": KindText("failure", N_("Changed after it was issued"), N_(
        "The content no longer matches the issuer's signature: someone edited it after the "
        "issuer signed it."), N_(
        "Do not rely on it. Ask the person for the original record, or ask the issuer "
        "directly.")),
    "unsigned": KindText("failure", N_("Not signed"), N_(
        "Nothing proves who made this record: it carries no signature."), N_(
        "Treat it like a statement on paper. Ask for a signed record.")),
    "bad_signature": KindText("failure", N_("The signature cannot be used"), N_(
        "The signature is damaged, out of date or was made for another use."), N_(
        "Ask the person for a fresh copy from the issuer.")),
    "wrong_key": KindText("failure", N_("Signed with a key the issuer does not control"), N_(
        "The signature is real, but the key that made it does not belong to the issuer the "
        "record names. Someone may be pretending to be that issuer."), N_(
        "Do not rely on it. Contact the issuer through a channel you already know.")),
    "issuer_unreachable": KindText("could_not_check", N_("The issuer could not be reached"), N_(
        "We could not fetch the issuer's keys, so we could not check the signature. This "
        "does not mean the record is false."), N_(
        "Try again later. If it keeps happening, ask the issuer whether their address "
        "has changed.")),
    "unsupported": KindText("could_not_check", N_("Signed in a way we cannot check"), N_(
        "The record uses a signature method this service does not support. This does not "
        "mean the record is false."), N_(
        "Ask the person for the record in another format, or check it with the issuer.")),
    "status_unknown": KindText("could_not_check", N_("Revocation could not be checked"), N_(
        "We could not read the issuer's list of revoked records, so we do not know whether "
        "this one was revoked."), N_(
        "Try again later before you rely on it.")),
    "revoked": KindText("failure", N_("Revoked by the issuer"), N_(
        "The issuer has withdrawn this record. It is no longer valid."), N_(
        "Do not rely on it. The person can ask the issuer why.")),
    "suspended": KindText("failure", N_("Suspended by the issuer"), N_(
        "The issuer has paused this record, for example during a review. It may become "
        "valid again."), N_(
        "Do not rely on it for now. Check again later, or ask the issuer.")),
    "not_yet_valid": KindText("failure", N_("Not valid yet"), N_(
        "The record says it only becomes valid at a later date."), N_(
        "Check again after its start date.")),
    "expired": KindText("failure", N_("Expired"), N_(
        "The record was valid, but its end date has passed."), N_(
        "Ask the person whether they have a renewed record.")),
    "not_holder": KindText("failure", N_("Shared by someone other than the person it names"), N_(
        "The person who shared it could not prove that the record was issued to them."), N_(
        "Ask the person to share it again from their own wallet.")),
    "holder_unreachable": KindText("could_not_check", N_(
        "The sharer's key could not be fetched"), N_(
        "We could not confirm who shared it. This does not mean the record is false."), N_(
        "Try again later, or ask the person to share it again.")),
    "replay": KindText("failure", N_("Made for a different request"), N_(
        "This presentation answers another request or another verifier. It may have been "
        "copied and reused."), N_(
        "Ask the person to answer your own request again.")),
    "malformed": KindText("failure", N_("Incomplete or wrongly formed"), N_(
        "Required parts are missing or in the wrong form, so it cannot be relied on."), N_(
        "Ask the person for the complete file from the issuer.")),
    "issuer_unknown": KindText("warning", N_("The issuer is not on your organization's list"), N_(
        "The checks passed, but your organization has not recognised this issuer, and no "
        "registry you imported vouches for it."), N_(
        "Find out who the issuer is. If you trust them, add them to your trusted issuers.")),
}

KIND_BY_CODE: dict[str, str] = {
    "proof.changed": "tampered", "proof.unsigned_data": "tampered",
    "sdjwt.unknown_disclosure": "tampered", "sdjwt.duplicate_digest": "tampered",
    "sdjwt.duplicate_disclosure": "tampered", "sdjwt.duplicate_claim": "tampered",
    "sdjwt.malformed_disclosure": "tampered",
    "proof.missing": "unsigned",
    "proof.invalid": "bad_signature", "proof.wrong_purpose": "bad_signature",
    "proof.expired": "bad_signature",
    "proof.unsupported": "unsupported", "sdjwt.unsupported_alg": "unsupported",
    "proof.cannot_check": "issuer_unreachable", "issuer.unresolvable": "issuer_unreachable",
    "issuer.key_not_controlled": "wrong_key",
    "status.revoked": "revoked", "status.suspended": "suspended",
    "status.unreachable": "status_unknown", "status.invalid": "status_unknown",
    "status.unsupported": "status_unknown",
    "validity.expired": "expired", "validity.not_yet_valid": "not_yet_valid",
    "holder.mismatch": "not_holder", "holder.key_not_controlled": "not_holder",
    "holder.key_binding_missing": "not_holder", "holder.key_binding_invalid": "not_holder",
    "holder.unresolvable": "holder_unreachable",
    "presentation.challenge_mismatch": "replay", "presentation.domain_mismatch": "replay",
    "presentation.audience_mismatch": "replay", "presentation.stale": "replay",
    "format.invalid": "malformed", "format.invalid_presentation": "malformed",
    "schema.invalid": "malformed",
}

STATE_TEXT: dict[str, tuple[str, str, str]] = {  # state -> (icon, words, explanation)
    "verified": ("\u2714", N_("Verified: everything checks out"), N_(
        "Every check passed and your organization recognises the issuer.")),
    "warning": ("!", N_("Verified, but the issuer is not on your list"), N_(
        "Every check passed, but your organization does not know the issuer. Read the "
        "warning below.")),
    "incomplete": ("?", N_("Could not be fully checked"), N_(
        "Nothing we could check was wrong, but some checks could not run. This is not the "
        "same as invalid.")),
    "not_verified": ("\u2716", N_("Not verified"), N_(
        "At least one check failed. Each problem is explained below.")),
}

# A code the core adds later (the verification corpus grows) still lands in the right family:
# by the check that failed, or that could not run. Never "revoked" or "expired" by guess.
FAILED_BY_CHECK: dict[str, str] = {
    "well_formed": "malformed", "schema": "malformed", "proof": "bad_signature",
    "issuer_key": "wrong_key", "holder_binding": "not_holder"}
COULD_NOT_CHECK_BY_CHECK: dict[str, str] = {
    "proof": "issuer_unreachable", "issuer_key": "issuer_unreachable",
    "status": "status_unknown", "holder_binding": "holder_unreachable"}
