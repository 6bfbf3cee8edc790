"""What a learner types and uploads for self-reported learning, checked before anything is signed.

Spec: 1EdTech Open Badges 3.0, sections B.1.1 (AchievementSubject: activityStartDate and
activityEndDate), B.1.3 (Achievement, AchievementType with its ``ext:`` extension
convention), B.1.4 (Alignment) and B.1.11 (Evidence: "the evidence encoded as a Data
URI"); RFC 2397 (the ``data:`` URL scheme). Evidence files are limited in number, size
and type, and their type is read from their first bytes (never from what the browser
says), so a file that only claims to be a PDF is refused. Every problem is a field name
mapped to a code, so the page can name each field in the learner's language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from openler.wallet.errors import WalletError

# The learner's words for the kind of learning -> OB 3.0 AchievementType. Volunteering is
# the vocabulary's "CommunityService"; the others have no term there, so they use the
# spec's extension convention (a value starting with "ext:").
KINDS: dict[str, str] = {
    "volunteering": "CommunityService",
    "informal": "ext:InformalLearning",
    "work": "ext:WorkExperience",
    "project": "ext:Project",
}
TITLE_MAX = 200
DESCRIPTION_MAX = 4000
ORGANIZATION_MAX = 200
SKILL_MAX = 100
SKILLS_MAX = 20
FILE_DESCRIPTION_MAX = 300
FILE_NAME_MAX = 120
MAX_FILES = 3
MAX_FILE_BYTES = 512 * 1024
# Media type -> file name endings accepted for it.
MEDIA_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "text/plain": (".txt",),
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TEXT_CONTROL = {c for c in range(32) if chr(c) not in "\t\n\r\f"} | {127}


class InvalidSelfReport(WalletError):
    """The form cannot be signed as it is: ``errors`` maps each field to a problem code."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(f"invalid self-reported entry: {sorted(errors)}")
        self.errors = errors


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """One file the learner attaches, as uploaded (checked by ``check``)."""

    name: str
    content: bytes
    description: str = ""
    slot: int = 0  # the form's file field (1-based) it came from; 0: its position


@dataclass(frozen=True, slots=True)
class SelfReportedInput:
    """The form as posted: raw text, the chosen known skills, and new files."""

    title: str
    kind: str
    description: str
    organization: str = ""
    start: str = ""
    end: str = ""
    skills: str = ""  # free text: one per line, or separated by commas
    known_skills: tuple[str, ...] = ()  # keys of ``KnownSkill`` the learner ticked
    files: tuple[EvidenceFile, ...] = ()
    keep_evidence: tuple[int, ...] = ()  # on edit: which existing files (1-based) stay
    show_name: bool = False
    suggested: tuple[str, ...] = ()  # URIs of skill suggestions added (kept through the form)


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """An accepted evidence file with its real media type."""

    name: str
    media_type: str
    content: bytes
    description: str = ""


@dataclass(frozen=True, slots=True)
class CleanEntry:
    """A self-reported entry ready to be put into a credential."""

    title: str
    kind: str
    description: str
    organization: str
    start: date
    end: date | None
    skills: tuple[str, ...]
    known_skills: tuple[str, ...]
    files: tuple[CheckedFile, ...]
    show_name: bool


def one_line(text: str, limit: int | None = None) -> str:
    """Text on one line with single spaces (limit: None keeps all of it)."""
    clean = " ".join(unicodedata.normalize("NFC", text or "").split())
    return clean if limit is None else clean[:limit]


def paragraphs(text: str) -> str:
    """Free text with its line breaks, each line trimmed, no control characters."""
    lines = unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n")).split("\n")
    kept = ["".join(ch for ch in line if ord(ch) not in _TEXT_CONTROL).strip() for line in lines]
    return "\n".join(kept).strip()


def skill_names(text: str) -> list[str]:
    """The distinct skills in a free-text field (lines or commas), in the order typed."""
    seen: dict[str, str] = {}
    for part in re.split(r"[\n,;]", text or ""):
        name = one_line(part)
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


def _parse_date(value: str) -> date | None:
    value = value.strip()
    if not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def sniff(content: bytes) -> str | None:
    """The media type a file really has, from its first bytes (None: not one we take)."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if any(ord(ch) in _TEXT_CONTROL for ch in text) else "text/plain"


def safe_file_name(name: str) -> str:
    """A file name without folders or control characters, short enough to show."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base)
                   if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(base) > FILE_NAME_MAX:
        stem, dot, ext = base.rpartition(".")
        base = (stem[:FILE_NAME_MAX - len(ext) - 1] + dot + ext) if dot and len(ext) <= 5 \
            else base[:FILE_NAME_MAX]
    return base or "file"


def check_file(upload: EvidenceFile) -> CheckedFile | str:
    """The accepted file, or the code of its problem ("file_too_big", "file_wrong_type")."""
    if len(upload.content) > MAX_FILE_BYTES:
        return "file_too_big"
    name = safe_file_name(upload.name)
    media_type = sniff(upload.content)
    if media_type is None or not name.casefold().endswith(MEDIA_TYPES[media_type]):
        return "file_wrong_type"
    return CheckedFile(name, media_type, upload.content,
                       one_line(upload.description, FILE_DESCRIPTION_MAX))


def _dates(data: SelfReportedInput, today: date,
           errors: dict[str, str]) -> tuple[date | None, date | None]:
    start = _parse_date(data.start)
    end = _parse_date(data.end) if data.end.strip() else None
    if not data.start.strip():
        errors["start"] = "start_missing"
    elif start is None:
        errors["start"] = "date_invalid"
    elif start > today:
        errors["start"] = "date_future"
    if data.end.strip():
        if end is None:
            errors["end"] = "date_invalid"
        elif end > today:
            errors["end"] = "date_future"
        elif start is not None and end < start:
            errors["end"] = "end_before_start"
    return start, end


def check(data: SelfReportedInput, *, today: date | datetime, known: set[str],
          kept_files: int = 0) -> CleanEntry:
    """The entry cleaned and checked (InvalidSelfReport naming every problem field)."""
    if isinstance(today, datetime):
        today = today.date()
    errors: dict[str, str] = {}
    title = one_line(data.title)
    description = paragraphs(data.description)
    organization = one_line(data.organization)
    if data.kind not in KINDS:  # in the order of the form, for the error summary
        errors["kind"] = "kind_missing"
    if not title:
        errors["title"] = "title_missing"
    elif len(title) > TITLE_MAX:
        errors["title"] = "title_too_long"
    if not description:
        errors["description"] = "description_missing"
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = "description_too_long"
    if len(organization) > ORGANIZATION_MAX:
        errors["organization"] = "organization_too_long"
    start, end = _dates(data, today, errors)
    skills = skill_names(data.skills)
    picked = tuple(dict.fromkeys(k for k in data.known_skills if k in known))
    if any(len(s) > SKILL_MAX for s in skills):
        errors["skills"] = "skill_too_long"
    elif len(skills) + len(picked) > SKILLS_MAX:
        errors["skills"] = "skills_too_many"
    files: list[CheckedFile] = []
    for n, upload in enumerate(data.files, 1):
        checked = check_file(upload)
        if isinstance(checked, str):
            errors.setdefault(f"evidence_{upload.slot or n}", checked)
        else:
            files.append(checked)
    if kept_files + len(data.files) > MAX_FILES:
        errors["evidence"] = "files_too_many"
    if errors or start is None:
        raise InvalidSelfReport(errors or {"start": "start_missing"})
    return CleanEntry(title, data.kind, description, organization, start, end,
                      tuple(skills), picked, tuple(files), data.show_name)
