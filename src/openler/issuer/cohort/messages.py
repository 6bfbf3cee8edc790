"""Plain-language reasons for a rejected cohort file or row, in English.

Each reason is a gettext message id: the web layer passes it through the request's
catalog (Spanish entries live in the web catalog), the CLI prints it as is. The
issuer package imports no web code, so translation is a function handed in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

Translate = Callable[[str], str]

ROW_REASONS: dict[str, str] = {
    "invalid_email": "this is not an email address",
    "invalid_did": "this is not a DID (it should look like did:example:123)",
    "no_recipient": "give the learner's email address or DID",
    "required": "this is empty. Fill it in",
    "unknown_achievement": "no achievement in your catalog has this id",
    "unknown_result": "this achievement has no result called %(name)s",
    "invalid_date": "this is not a date (use 2026-06-30 or 2026-06-30T09:00:00Z)",
    "until_before_from": "this date must be later than valid_from",
    "invalid_url": "this is not a web address starting with https:// or http://",
    "too_long": "this is too long (at most %(limit)d characters)",
    "duplicate_row_id": "line %(other)d already uses this row_id",
    "duplicate_row": "this line repeats line %(other)d",
    "extra_values": "this line has more values than the header has columns",
    "result_not_allowed": "this achievement does not allow this result. Use one of: %(allowed)s",
    "result_not_number": "this result must be a number",
    "result_out_of_range": "this result must be between %(min)s and %(max)s",
    "result_below_min": "this result must be at least %(min)s",
    "result_above_max": "this result must be at most %(max)s",
}

FILE_REASONS: dict[str, str] = {
    "empty": "The file is empty. Add a header line and one line per learner.",
    "not_utf8": "The file is not UTF-8 text. Save it as \"CSV UTF-8\" and upload it again.",
    "no_header": "The first line must be the header with the column names, including achievement and email or did.",
    "unknown_column": "Line 1 has a column we do not know: %(column)s. Remove it or fix its name.",
    "duplicate_column": "Line 1 has the column %(column)s twice. Keep only one.",
    "too_large": "The file is larger than %(limit)d MB. Split it into smaller files.",
    "too_many_rows": "The file has more than %(limit)d learners. Split it into smaller files.",
    "no_rows": "The file has a header but no learners. Add one line per learner.",
    "not_csv": "The file could not be read as CSV: check the quotes.",
}

AWARD_REASONS: dict[str, str] = {
    "unknown_choice": "a result is not one the achievement allows",
    "out_of_range": "a result is outside the range the achievement allows",
    "invalid_number": "a result must be a number",
    "retired": "the achievement is retired and cannot be awarded",
    "too_long": "a value is too long",
    "invalid_url": "the evidence link is not a web address",
    "not_after_start": "valid_until must be later than valid_from",
    "not_found": "the achievement is no longer in your catalog",
    "other": "the credential could not be made from this line",
}
"""Why the award service refused a line that passed the file checks (stored as the code)."""

LINE_TEMPLATE = "Line %(line)d, column %(column)s: %(reason)s."


def _identity(message: str) -> str:
    return message


def row_message(line: int, column: str, code: str, params: Mapping[str, object] | None = None,
                translate: Translate = _identity) -> str:
    """One bad cell as a sentence a spreadsheet user can act on."""
    reason = translate(ROW_REASONS[code]) % dict(params or {})
    return translate(LINE_TEMPLATE) % {"line": line, "column": column, "reason": reason}


def file_message(code: str, params: Mapping[str, object] | None = None,
                 translate: Translate = _identity) -> str:
    """A problem with the whole file, as a sentence."""
    return translate(FILE_REASONS[code]) % dict(params or {})


def award_message(code: str | None, translate: Translate = _identity) -> str:
    """Why a checked line was still not issued, as a phrase."""
    return translate(AWARD_REASONS.get(code or "other", AWARD_REASONS["other"]))
