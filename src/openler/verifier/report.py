"""The verification report an employer or admissions office reads: plain words, kinds kept apart.

Spec: W3C VC Data Model 2.0 section 7.1 (verification) via the ordered checks
of ``openler.core.verify``; the trust registry (``openler.verifier.trust``)
adds whether the organization recognises the issuer. Each problem is one
*kind* with what it means and what to do; failures (the record cannot be
relied on), "could not check" (not the same as invalid) and the one warning
(issuer unknown to this organization) never blur into each other. Words are
English message ids translated by the page (``templates/verifier/_report.html``)
or the command line through the web catalogs; check lines use the core's own
bilingual messages. No web imports here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from openler.core.verify.checks import as_list, party_id
from openler.core.verify.messages import CATALOG, check_title, message
from openler.core.verify.result import Check, VerificationResult
from openler.verifier.report_kinds import (
    COULD_NOT_CHECK_BY_CHECK,
    FAILED_BY_CHECK,
    KIND_BY_CODE,
    KINDS,
    STATE_TEXT,
    KindText,
    Severity,
)
from openler.verifier.trust import TrustEntry
from openler.wallet.summary import credential_type, summarize

State = Literal["verified", "warning", "incomplete", "not_verified"]
TrustLookup = Callable[[str], TrustEntry | None]
__all__ = ["KINDS", "KIND_BY_CODE", "STATE_TEXT", "CheckLine", "CredentialReport", "IssuerView",
           "KindText", "Problem", "Report", "Severity", "TrustLookup", "build", "kind_of",
           "result_from_dict"]


@dataclass(frozen=True, slots=True)
class CheckLine:
    """One check in plain words; ``word`` is passed / problem / could_not_check / not_applicable."""

    name: str
    code: str
    word: str
    detail: str
    kind: str | None
    said: str = ""  # the message as the core gave it (used for a code this table does not know)

    def title(self, language: str) -> str:
        """The check's heading in ``language`` (core catalog)."""
        return check_title(self.name, language)

    def message(self, language: str) -> str:
        """The check's sentence in ``language`` (core catalog; as given when unknown)."""
        return message(self.code, language) if self.code in CATALOG else (self.said or self.code)


@dataclass(frozen=True, slots=True)
class Problem:
    """One kind of problem found, with the words to explain it (message ids)."""

    kind: str
    severity: Severity
    title: str
    meaning: str
    action: str
    where: str = ""  # "" the whole item; "presentation"; or "record N"


@dataclass(frozen=True, slots=True)
class IssuerView:
    """Who issued a record, and whether a registry this organization trusts vouches for it."""

    did: str
    name: str
    entry: TrustEntry | None
    checked: bool  # False when there was no trust registry to ask (CLI without --trust)

    @property
    def known(self) -> bool:
        """The organization recognises this DID."""
        return self.entry is not None


@dataclass(frozen=True, slots=True)
class CredentialReport:
    """One record: its state, who issued it, what it says and its checks."""

    number: int
    state: State
    format: str
    issuer: IssuerView
    achievement: str
    credential_type: str
    description: str
    subject_id: str
    subject_name: str
    valid_from: str
    valid_until: str
    checks: tuple[CheckLine, ...]
    problems: tuple[Problem, ...]

    @property
    def icon(self) -> str:
        """A symbol that repeats the state's words (never the only signal)."""
        return STATE_TEXT[self.state][0]

    @property
    def headline(self) -> str:
        """The record's state in words (message id)."""
        return STATE_TEXT[self.state][1]


@dataclass(frozen=True, slots=True)
class Report:
    """The whole report: overall state first, then the presentation's checks and each record."""

    kind: str
    format: str
    state: State
    holder: str
    checks: tuple[CheckLine, ...]
    credentials: tuple[CredentialReport, ...]
    problems: tuple[Problem, ...]

    @property
    def icon(self) -> str:
        """A symbol that repeats the state's words (never the only signal)."""
        return STATE_TEXT[self.state][0]

    @property
    def headline(self) -> str:
        """The state in words (message id)."""
        return STATE_TEXT[self.state][1]

    @property
    def explanation(self) -> str:
        """One sentence about the state (message id)."""
        return STATE_TEXT[self.state][2]

    @property
    def kinds(self) -> tuple[str, ...]:
        """Every problem kind found, in order, once each."""
        return tuple(dict.fromkeys(p.kind for p in self.problems))

    def places(self, kind: str) -> tuple[str, ...]:
        """Where a kind was found: "presentation" and/or record numbers ("1", "2"...)."""
        return tuple(dict.fromkeys(p.where for p in self.problems if p.kind == kind and p.where))

    @property
    def summary(self) -> tuple[Problem, ...]:
        """One problem per kind, failures first, then "could not check", then warnings."""
        first: dict[str, Problem] = {}
        for problem in self.problems:
            first.setdefault(problem.kind, problem)
        order = ("failure", "could_not_check", "warning")
        return tuple(sorted(first.values(), key=lambda p: order.index(p.severity)))


def kind_of(check: Check) -> str | None:
    """The problem kind a check reveals, or None (passed, or not applicable)."""
    if check.status == "passed":
        return None
    if check.code == "check.not_run":
        # A proof that could not run because the key could not be fetched: could not check.
        return "issuer_unreachable" if check.could_not_check and check.name == "proof" else None
    if check.status == "skipped" and not check.could_not_check:
        return None
    if check.code in KIND_BY_CODE:
        return KIND_BY_CODE[check.code]
    table = FAILED_BY_CHECK if check.status == "failed" else COULD_NOT_CHECK_BY_CHECK
    return table.get(check.name)


def _word(check: Check) -> str:
    if check.status == "passed":
        return "passed"
    if check.status == "failed":
        return "problem"
    return "could_not_check" if check.could_not_check else "not_applicable"


def _lines(result: VerificationResult) -> tuple[CheckLine, ...]:
    return tuple(CheckLine(c.name, c.code, _word(c), c.detail, kind_of(c), c.message)
                 for c in result.checks if c.name != "credentials")


def _problem(kind: str, where: str = "") -> Problem:
    text = KINDS[kind]
    return Problem(kind, text.severity, text.title, text.meaning, text.action, where)


def _problems(lines: tuple[CheckLine, ...], where: str = "") -> list[Problem]:
    kinds = dict.fromkeys(line.kind for line in lines if line.kind)
    return [_problem(kind, where) for kind in kinds]


def _claims_document(result: VerificationResult, document: Any) -> Mapping[str, Any]:
    # An SD-JWT (alone, or enveloped in a presentation) is read from its disclosed claims.
    if isinstance(document, Mapping) and not (result.format == "sd-jwt" and result.claims):
        return document
    claims = result.claims or {}
    if "credentialSubject" in claims or "issuer" in claims:
        return claims if "issuer" in claims else {**claims, "issuer": claims.get("iss")}
    subject = {"id": claims.get("sub"), "given_name": " ".join(
        str(claims[k]) for k in ("given_name", "family_name") if isinstance(claims.get(k), str))}
    return {"issuer": claims.get("iss"), "name": claims.get("name") or claims.get("vct"),
            "credentialSubject": {k: v for k, v in subject.items() if v},
            "type": [claims["vct"]] if isinstance(claims.get("vct"), str) else []}


def _subject_name(doc: Mapping[str, Any]) -> str:
    subject = next(iter(as_list(doc.get("credentialSubject"))), None)
    if isinstance(subject, Mapping):
        for key in ("name", "given_name"):
            if isinstance(subject.get(key), str):
                return subject[key]
    return ""


def _credential(number: int, result: VerificationResult, document: Any,
                trust: TrustLookup | None) -> CredentialReport:
    doc = _claims_document(result, document)
    summary = summarize(doc)
    did = party_id(doc.get("issuer")) or ""
    entry = trust(did) if trust is not None and did else None
    issuer = IssuerView(did, summary.issuer_name, entry, trust is not None)
    lines = _lines(result)
    where = f"{number}" if number else ""
    problems = _problems(lines, where)
    if trust is not None and did and entry is None:
        problems.append(_problem("issuer_unknown", where))
    return CredentialReport(
        number=number, state=_state(result.outcome, problems), format=result.format,
        issuer=issuer, achievement=summary.achievement_name,
        credential_type=credential_type(doc, "json"),
        description=summary.description, subject_id=summary.subject_id,
        subject_name=_subject_name(doc), valid_from=summary.valid_from,
        valid_until=summary.valid_until, checks=lines, problems=tuple(problems))


def _state(outcome: str, problems: list[Problem]) -> State:
    if outcome == "not_verified":
        return "not_verified"
    if outcome == "incomplete":
        return "incomplete"
    return "warning" if any(p.severity == "warning" for p in problems) else "verified"


def _members(document: Any) -> list[Any]:
    if isinstance(document, Mapping):
        return as_list(document.get("verifiableCredential"))
    return []


def build(result: VerificationResult, *, document: Any = None,
          trust: TrustLookup | None = None) -> Report:
    """The plain-language report of a verification, with the organization's view of each issuer.

    ``document`` is what was verified (the parsed JSON, or the SD-JWT text) so the report
    can say who issued what to whom; ``trust`` is ``trust.lookup_for(db, org_id=...)`` (or a
    parsed registry's ``lookup``); without it the issuer is not judged known or unknown.
    """
    if result.kind == "presentation":
        members = _members(document)
        credentials = tuple(
            _credential(i + 1, r, members[i] if i < len(members) else None, trust)
            for i, r in enumerate(result.credentials))
        lines = _lines(result)
        # Member checks repeat the presentation's holder binding: keep kinds once, in order.
        problems = _problems(lines, "presentation")
        for cred in credentials:
            problems += cred.problems
        holder = party_id(document.get("holder")) if isinstance(document, Mapping) else None
        return Report("presentation", result.format, _state(result.outcome, problems),
                      holder or "", lines, credentials, tuple(problems))
    cred = _credential(0, result, document, trust)
    return Report("credential", result.format, cred.state, "", cred.checks, (cred,),
                  cred.problems)


def result_from_dict(data: Mapping[str, Any]) -> VerificationResult:
    """A stored ``VerificationResult.to_dict()`` back as a result (for saved inbox answers)."""
    def checks(items: Any) -> tuple[Check, ...]:
        out = []
        for c in items if isinstance(items, list) else []:
            if isinstance(c, Mapping):
                out.append(Check(str(c.get("name", "")), c.get("status", "skipped"),
                                 str(c.get("code", "")), str(c.get("message", "")),
                                 str(c.get("detail", "")), bool(c.get("could_not_check"))))
        return tuple(out)

    found = data.get("credentials")
    members: list[Any] = found if isinstance(found, list) else []
    return VerificationResult(
        "presentation" if data.get("kind") == "presentation" else "credential",
        "sd-jwt" if data.get("format") == "sd-jwt" else "json", checks(data.get("checks")),
        tuple(result_from_dict(m) for m in members if isinstance(m, Mapping)))
