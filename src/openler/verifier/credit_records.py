"""The records a received CLR, credential or presentation holds, read for credit decisions.

Spec: 1EdTech CLR 2.0, section 8 (ClrCredential; ClrSubject ``verifiableCredential``:
the signed AchievementCredentials it bundles, each checked here on its own;
``achievement``: achievements the record lists; ``association``: how they relate,
``isChildOf``/``isPartOf`` read as "part of"); Open Badges 3.0, sections 4.1-4.4
(AchievementSubject ``achievement.id``, ``result`` and the achievement's
``resultDescription``); W3C VC Data Model 2.0, section 7.1 (verification). An
achievement listed in a CLR without a credential of its own is a record too, marked
"listed only": the CLR's issuer lists it but nothing signed says it was awarded on its
own. Reading never fails; the checks say whether a record can be relied on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from openler.core.verify import VerificationResult
from openler.core.verify.checks import as_list, party_id
from openler.storage.tables_org_shares import OrgShare
from openler.verifier import report as reports
from openler.wallet import org_shares, service, sharing
from openler.wallet.errors import WalletNotFound
from openler.wallet.models import Skill
from openler.wallet.summary import summarize

MAX_RECORDS = 200
Standing = Literal["verified", "listed", "self_reported", "could_not_check", "not_verified"]
Verify = Callable[[Mapping[str, Any]], VerificationResult]


@dataclass(frozen=True, slots=True)
class ResultValue:
    """One result the record shows, with the ResultDescription it answers."""

    description_id: str
    description_name: str
    value: str


@dataclass(frozen=True, slots=True)
class Record:
    """One achievement shown: who issued it, what it is, its results and its check."""

    number: str  # "1", or "2.3" for the third credential inside the second item
    name: str
    issuer_did: str
    issuer_name: str
    achievement_id: str
    skills: tuple[Skill, ...]
    results: tuple[ResultValue, ...]
    outcome: str  # verified / incomplete / not_verified (of its own check)
    self_reported: bool = False
    listed_only: bool = False
    within: str = ""  # the name of the learner record that holds it
    part_of: tuple[str, ...] = ()
    report: reports.CredentialReport | None = None

    @property
    def verified(self) -> bool:
        """Its own signature and status checked out, and it is not the learner's own word."""
        return self.outcome == "verified" and not self.self_reported and not self.listed_only

    @property
    def standing(self) -> Standing:
        """How far it can be relied on, in one word."""
        if self.self_reported:
            return "self_reported"
        if self.outcome == "not_verified":
            return "not_verified"
        if self.outcome != "verified":
            return "could_not_check"
        return "listed" if self.listed_only else "verified"


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return f"{value:g}"
    return value.strip() if isinstance(value, str) else ""


def _subject(doc: Mapping[str, Any]) -> Mapping[str, Any]:
    return _map(next(iter(as_list(doc.get("credentialSubject"))), None))


def is_clr(doc: Any) -> bool:
    """A CLR 2.0 credential: typed ClrCredential, or a subject bundling credentials."""
    if not isinstance(doc, Mapping):
        return False
    return "ClrCredential" in as_list(doc.get("type")) or \
        bool(as_list(_subject(doc).get("verifiableCredential")))


def _results(subject: Mapping[str, Any], achievement: Mapping[str, Any]) -> tuple[ResultValue, ...]:
    names = {_text(_map(d).get("id")): _text(_map(d).get("name"))
             for d in as_list(achievement.get("resultDescription"))}
    out = []
    for item in as_list(subject.get("result")):
        item = _map(item)
        value = _text(item.get("value")) or _text(item.get("status"))
        ref = _text(item.get("resultDescription"))
        if value:
            out.append(ResultValue(ref, names.get(ref, ""), value))
    return tuple(out)


def _outcome(result: VerificationResult | None, ceiling: str) -> str:
    own = result.outcome if result is not None else "not_verified"
    order = ("verified", "incomplete", "not_verified")
    return max(own, ceiling, key=order.index)


def _credential_record(number: str, doc: Mapping[str, Any], outcome: str,
                       cred_report: reports.CredentialReport | None, within: str = "",
                       part_of: tuple[str, ...] = ()) -> Record:
    summary = summarize(doc)
    subject = _subject(doc)
    achievement = _map(subject.get("achievement"))
    return Record(number=number, name=summary.achievement_name, issuer_did=summary.issuer_id,
                  issuer_name=summary.issuer_name, achievement_id=_text(achievement.get("id")),
                  skills=summary.skills, results=_results(subject, achievement),
                  outcome=outcome, self_reported=summary.self_reported, within=within,
                  part_of=part_of, report=cred_report)


def _parents(subject: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for item in as_list(subject.get("association")):
        item = _map(item)
        kind, source, target = (_text(item.get(k)) for k in
                                ("associationType", "sourceId", "targetId"))
        child, parent = ((source, target) if kind in ("isChildOf", "isPartOf")
                         else (target, source) if kind == "isParentOf" else ("", ""))
        if child and parent:
            found.setdefault(child, []).append(names.get(parent) or parent)
    return {k: tuple(dict.fromkeys(v)) for k, v in found.items()}


def _clr_records(number: str, doc: Mapping[str, Any], outcome: str, verify: Verify,
                 trust: reports.TrustLookup | None, ceiling: str) -> list[Record]:
    subject = _subject(doc)
    clr_name = _text(doc.get("name")) or summarize(doc).achievement_name
    clr_issuer = party_id(doc.get("issuer")) or ""
    listed = [_map(a) for a in as_list(subject.get("achievement")) if isinstance(a, Mapping)]
    nested = [c for c in as_list(subject.get("verifiableCredential")) if isinstance(c, Mapping)]
    names = {_text(a.get("id")): _text(a.get("name")) for a in listed}
    for cred in nested:
        achievement = _map(_subject(cred).get("achievement"))
        names.setdefault(_text(achievement.get("id")), _text(achievement.get("name")))
    parents = _parents(subject, names)
    out: list[Record] = []
    covered: set[str] = set()
    for index, cred in enumerate(nested[:MAX_RECORDS]):
        result = verify(cred)
        built = reports.build(result, document=cred, trust=trust)
        achievement_id = _text(_map(_subject(cred).get("achievement")).get("id"))
        covered.add(achievement_id)
        out.append(_credential_record(f"{number}.{index + 1}", cred, _outcome(result, ceiling),
                                      built.credentials[0], clr_name,
                                      parents.get(achievement_id, ())))
    for achievement in listed:
        achievement_id = _text(achievement.get("id"))
        if not achievement_id or achievement_id in covered or len(out) >= MAX_RECORDS:
            continue
        covered.add(achievement_id)
        issuer = party_id(achievement.get("creator")) or clr_issuer
        skills = summarize({"credentialSubject": {"achievement": achievement}}).skills
        out.append(Record(number=f"{number}.{len(out) + 1}", name=_text(achievement.get("name")),
                          issuer_did=issuer, issuer_name="", achievement_id=achievement_id,
                          skills=skills, results=(), outcome=outcome, listed_only=True,
                          within=clr_name, part_of=parents.get(achievement_id, ())))
    return out


def _item_records(number: str, doc: Any, result: VerificationResult | None,
                  cred_report: reports.CredentialReport | None, verify: Verify,
                  trust: reports.TrustLookup | None, ceiling: str) -> list[Record]:
    outcome = _outcome(result, ceiling)
    if not isinstance(doc, Mapping):
        claims = result.claims if result is not None and result.claims else {}
        doc = claims if "credentialSubject" in claims else {
            "issuer": claims.get("iss"), "name": claims.get("name") or claims.get("vct"),
            "credentialSubject": {"achievement": _map(claims.get("achievement"))}}
    if is_clr(doc):
        # Each bundled credential stands on its own proof, but not above what carried it.
        return _clr_records(number, doc, outcome, verify, trust, ceiling)
    return [_credential_record(number, doc, outcome, cred_report)]


def _presentation_ceiling(result: VerificationResult) -> str:
    """How far the presentation's own checks (signature, holder, challenge) let a member go."""
    own = [c for c in result.checks if c.name != "credentials"]
    if any(c.status == "failed" for c in own):
        return "not_verified"
    return "incomplete" if any(c.could_not_check for c in own) else "verified"


def read(document: Any, result: VerificationResult, built: reports.Report, *, verify: Verify,
         trust: reports.TrustLookup | None = None) -> tuple[Record, ...]:
    """Every record in what was checked: the credentials of a presentation, the credentials
    and listed achievements of a CLR, or the one credential."""
    if result.kind == "presentation":
        members = as_list(document.get("verifiableCredential")) \
            if isinstance(document, Mapping) else []
        ceiling = _presentation_ceiling(result)
        out: list[Record] = []
        for index, member in enumerate(members[:MAX_RECORDS]):
            member_result = result.credentials[index] if index < len(result.credentials) \
                else None
            member_report = built.credentials[index] if index < len(built.credentials) \
                else None
            out += _item_records(str(index + 1), member, member_result, member_report, verify,
                                 trust, ceiling)
        return tuple(out[:MAX_RECORDS])
    first = built.credentials[0] if built.credentials else None
    return tuple(_item_records("1", document, result, first, verify, trust,
                               "verified")[:MAX_RECORDS])


def shared_presentation(db: Session, *, config: service.WalletConfig,
                        sealer: org_shares.OrgSealer, org_id: str, share_id: str,
                        now: datetime, language: str = "en") -> dict[str, Any]:
    """The signed presentation of a live share addressed to the organization, opened as the
    inbox opens it (the learner sees the opening); WalletNotFound when it is not there."""
    org_shares.open_for_org(db, config=config, sealer=sealer, org_id=org_id,
                            share_id=share_id, now=now, language=language)
    row = db.get(OrgShare, share_id[:32])
    if row is None:
        raise WalletNotFound("share")
    token = sealer.open(row.token_nonce, row.token_ciphertext, org_id=org_id,
                        share_id=row.share_id)
    try:
        return sharing.link_document(db, token=token, now=now)
    except sharing.ShareRefused:
        raise WalletNotFound("share") from None
