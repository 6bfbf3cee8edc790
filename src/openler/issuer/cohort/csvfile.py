"""Read and check a cohort CSV before anything is signed (format: docs/cohort-csv.md).

RFC 4180 CSV, UTF-8 with or without a byte order mark, comma or semicolon (the
one the header line uses most), header required. Lines are numbered as a
spreadsheet shows them: the header is line 1 and every record counts, blank or
not. Every row is checked; the result lists the valid rows and every problem,
each with its line, column and a reason code (see `messages`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from openler.issuer.awards_input import MAX_RESULT_VALUE, ResultRule
from openler.issuer.errors import IssuerInputError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_CELL = 500
MAX_ROW_ID = 100
KNOWN_COLUMNS = ("email", "did", "achievement", "valid_from", "valid_until", "evidence_url",
                 "row_id")
RESULT_PREFIX = "result:"
TEMPLATE_HEADER = ("email", "did", "achievement", "valid_from", "valid_until", "result:grade",
                   "evidence_url", "row_id")

_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")
_DID = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._:%-]+(?:[/?#].*)?$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

Catalog = Mapping[str, Mapping[str, ResultRule] | Collection[str]]
"""Achievement id -> its results: rules by name (values checked), or just the names."""


class CohortFileError(IssuerInputError):
    """The whole file is unusable (empty, no header, too large ...); ``code`` names why."""

    def __init__(self, code: str, **params: object) -> None:
        from openler.issuer.cohort.messages import file_message

        super().__init__(file_message(code, params), code=code)
        self.params = params


@dataclass(frozen=True, slots=True)
class Problem:
    """One bad cell: where it is and why (a reason code with its parameters)."""

    line: int
    column: str
    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CohortRow:
    """One valid learner line, normalized, ready to award."""

    line: int
    achievement_id: str
    email: str | None
    did: str | None
    valid_from: datetime | None
    valid_until: datetime | None
    results: tuple[tuple[str, str], ...]
    evidence: tuple[str, ...]
    row_id: str | None

    @property
    def recipient(self) -> str:
        """Who receives it, as shown in lists."""
        return self.email or self.did or ""

    def identity(self) -> str:
        """The row's stable identity: its row_id, else its normalized content."""
        if self.row_id:
            return "id:" + self.row_id
        content = [self.achievement_id, self.email, self.did,
                   self.valid_from.isoformat() if self.valid_from else None,
                   self.valid_until.isoformat() if self.valid_until else None,
                   list(self.results), list(self.evidence)]
        return "row:" + json.dumps(content, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """The outcome of checking a file: valid rows in file order and every problem."""

    digest: str
    columns: tuple[str, ...]
    rows: tuple[CohortRow, ...]
    problems: tuple[Problem, ...]
    total_rows: int

    @property
    def invalid_lines(self) -> int:
        """How many lines have at least one problem."""
        return len({p.line for p in self.problems})


def digest_of(content: bytes) -> str:
    """The file's SHA-256: re-uploading the same bytes gives the same idempotency keys."""
    return hashlib.sha256(content).hexdigest()


def _decode(content: bytes) -> str:
    if len(content) > MAX_FILE_BYTES:
        raise CohortFileError("too_large", limit=MAX_FILE_BYTES // (1024 * 1024))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CohortFileError("not_utf8") from None
    if not text.strip():
        raise CohortFileError("empty")
    return text


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def _column_name(cell: str) -> str:
    name = cell.strip()
    if name.lower().startswith(RESULT_PREFIX):
        return RESULT_PREFIX + name[len(RESULT_PREFIX):].strip()
    return name.lower()


def _header(cells: list[str]) -> tuple[str, ...]:
    columns = tuple(_column_name(c) for c in cells)
    if "achievement" not in columns or not ({"email", "did"} & set(columns)):
        raise CohortFileError("no_header")
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            raise CohortFileError("duplicate_column", column=column)
        seen.add(column)
        name = column[len(RESULT_PREFIX):].strip() if column.startswith(RESULT_PREFIX) else None
        if column not in KNOWN_COLUMNS and not name:
            raise CohortFileError("unknown_column", column=column or '""')
    return columns


def parse_date(value: str) -> datetime:
    """A date or an ISO 8601 date-time; a date means midnight UTC, no zone means UTC."""
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), datetime.min.time(), tzinfo=UTC)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def check_file(content: bytes, *, catalog: Catalog) -> CheckedFile:
    """Check every row against the format and the catalog, values included, before signing."""
    text = _decode(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        records = iter(reader)
        header = next(records)
        columns = _header(header)
        rows: list[CohortRow] = []
        problems: list[Problem] = []
        seen_ids: dict[str, int] = {}
        seen_rows: dict[str, int] = {}
        total = 0
        for number, cells in enumerate(records, start=2):
            if not any(c.strip() for c in cells):
                continue
            total += 1
            if total > MAX_ROWS:
                raise CohortFileError("too_many_rows", limit=MAX_ROWS)
            row, found = _check_row(number, columns, cells, catalog)
            if row is not None:
                key, index = (row.row_id, seen_ids) if row.row_id else (row.identity(), seen_rows)
                if key in index:
                    code = "duplicate_row_id" if row.row_id else "duplicate_row"
                    found.append(Problem(number, "row_id" if row.row_id else "email", code,
                                         {"other": index[key]}))
                    row = None
                else:
                    index[key] = number
            problems.extend(found)
            if row is not None and not found:
                rows.append(row)
    except StopIteration:
        raise CohortFileError("empty") from None
    except csv.Error:
        raise CohortFileError("not_csv") from None
    if total == 0:
        raise CohortFileError("no_rows")
    return CheckedFile(digest_of(content), columns, tuple(rows), tuple(problems), total)


def _check_row(line: int, columns: tuple[str, ...], cells: list[str],
               catalog: Catalog) -> tuple[CohortRow | None, list[Problem]]:
    problems: list[Problem] = []
    if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
        problems.append(Problem(line, columns[-1], "extra_values"))
    values = {col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(columns)}
    for column, value in values.items():
        limit = MAX_ROW_ID if column == "row_id" else MAX_CELL
        if len(value) > limit:
            problems.append(Problem(line, column, "too_long", {"limit": limit}))
            values[column] = ""
    email = values.get("email", "").lower() or None
    did = values.get("did", "") or None
    if email and not _EMAIL.match(email):
        problems.append(Problem(line, "email", "invalid_email"))
    if did and not _DID.match(did):
        problems.append(Problem(line, "did", "invalid_did"))
    if not email and not did and not any(p.column in ("email", "did") for p in problems):
        problems.append(Problem(line, "email" if "email" in columns else "did", "no_recipient"))
    achievement = values.get("achievement", "")
    if not achievement:
        problems.append(Problem(line, "achievement", "required"))
    elif achievement not in catalog:
        problems.append(Problem(line, "achievement", "unknown_achievement"))
    dates: dict[str, datetime | None] = {}
    for column in ("valid_from", "valid_until"):
        raw = values.get(column, "")
        dates[column] = None
        if raw:
            try:
                dates[column] = parse_date(raw)
            except ValueError:
                problems.append(Problem(line, column, "invalid_date"))
    start, end = dates["valid_from"], dates["valid_until"]
    if start and end and end <= start:
        problems.append(Problem(line, "valid_until", "until_before_from"))
    evidence = values.get("evidence_url", "")
    if evidence and not _URL.match(evidence):
        problems.append(Problem(line, "evidence_url", "invalid_url"))
    results = tuple((col[len(RESULT_PREFIX):], value) for col, value in values.items()
                    if col.startswith(RESULT_PREFIX) and value)
    known = catalog.get(achievement)
    for name, value in results:
        if known is None:
            continue
        if name not in known:
            problems.append(Problem(line, RESULT_PREFIX + name, "unknown_result", {"name": name}))
        elif isinstance(known, Mapping):
            problem = _value_problem(line, name, value, known[name])
            if problem is not None:
                problems.append(problem)
    if problems:
        return None, problems
    row = CohortRow(line=line, achievement_id=achievement, email=email, did=did,
                    valid_from=start, valid_until=end, results=results,
                    evidence=(evidence,) if evidence else (), row_id=values.get("row_id") or None)
    return row, problems


def _value_problem(line: int, name: str, value: str, rule: ResultRule) -> Problem | None:
    """The award's own value rule (`awards_input.value_problem`), as a row problem."""
    code = rule.problem(value)
    column = RESULT_PREFIX + name
    if code is None:
        return None
    if code == "too_long":
        return Problem(line, column, "too_long", {"limit": MAX_RESULT_VALUE})
    if code == "unknown_choice":
        return Problem(line, column, "result_not_allowed", {"allowed": ", ".join(rule.allowed)})
    if code == "invalid_number":
        return Problem(line, column, "result_not_number")
    bounds: dict[str, object] = {"min": rule.value_min, "max": rule.value_max}
    if rule.value_min and rule.value_max:
        return Problem(line, column, "result_out_of_range", bounds)
    if rule.value_min:
        return Problem(line, column, "result_below_min", bounds)
    return Problem(line, column, "result_above_max", bounds)


def template_csv() -> str:
    """A downloadable starting file: the header and one example line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(["ada@example.com", "", "ACHIEVEMENT_ID", "2026-06-30", "", "A",
                     "https://example.com/portfolio/ada", "student-0001"])
    return out.getvalue()
