"""The cohort CSV checks: every bad row with its spreadsheet line, column and reason."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openler.issuer.awards_input import ResultRule
from openler.issuer.awards_prepared import _value_problem
from openler.issuer.cohort import csvfile
from openler.issuer.cohort.csvfile import CohortFileError, check_file
from openler.issuer.cohort.messages import file_message, row_message

CATALOG = {"ach1": frozenset({"grade"}), "ach2": frozenset()}


def check(text: str, **kw):
    return check_file(text.encode("utf-8"), catalog=CATALOG, **kw)


def messages(text: str) -> list[str]:
    return [row_message(p.line, p.column, p.code, p.params) for p in check(text).problems]


def test_a_good_file_gives_normalized_rows():
    checked = check("email,did,achievement,valid_from,valid_until,result:grade,evidence_url,row_id\n"
                    "Ada@Example.com,,ach1,2026-06-30,2027-06-30T12:00:00Z,A,https://e.example/1,s1\n"
                    ",did:example:bob,ach2,,,,,\n")
    assert checked.total_rows == 2 and not checked.problems
    ada, bob = checked.rows
    assert (ada.line, ada.email, ada.results, ada.evidence, ada.row_id) == (
        2, "ada@example.com", (("grade", "A"),), ("https://e.example/1",), "s1")
    assert ada.valid_from.isoformat() == "2026-06-30T00:00:00+00:00"
    assert ada.valid_until.isoformat() == "2027-06-30T12:00:00+00:00"
    assert (bob.line, bob.did, bob.email, bob.row_id) == (3, "did:example:bob", None, None)


def test_every_kind_of_bad_row_is_reported_with_line_column_and_reason():
    text = ("email,did,achievement,valid_from,valid_until,result:grade,evidence_url,row_id\n"
            "ok@example.com,,ach1,,,,,a\n"                      # 2 fine
            "not-an-email,,ach1,,,,,b\n"                       # 3
            ",did:nope,ach1,,,,,c\n"                           # 4
            ",,ach1,,,,,d\n"                                   # 5
            "x@example.com,,,,,,,e\n"                          # 6
            "x@example.com,,missing,,,,,f\n"                   # 7
            "x@example.com,,ach1,30/06/2026,,,,g\n"            # 8
            "x@example.com,,ach1,2026-06-30,2026-01-01,,,h\n"  # 9
            "x@example.com,,ach1,,,,ftp://x,i\n"               # 10
            "y@example.com,,ach1,,,,,a\n"                      # 11 duplicate row_id
            "z@example.com,,ach2,,,B,,j\n"                     # 12 unknown result
            "w@example.com,,ach1,,,,,k,extra\n")               # 13
    assert messages(text) == [
        "Line 3, column email: this is not an email address.",
        "Line 4, column did: this is not a DID (it should look like did:example:123).",
        "Line 5, column email: give the learner's email address or DID.",
        "Line 6, column achievement: this is empty. Fill it in.",
        "Line 7, column achievement: no achievement in your catalog has this id.",
        "Line 8, column valid_from: this is not a date (use 2026-06-30 or 2026-06-30T09:00:00Z).",
        "Line 9, column valid_until: this date must be later than valid_from.",
        "Line 10, column evidence_url: this is not a web address starting with https:// or http://.",
        "Line 11, column row_id: line 2 already uses this row_id.",
        "Line 12, column result:grade: this achievement has no result called grade.",
        "Line 13, column row_id: this line has more values than the header has columns.",
    ]
    checked = check(text)
    assert [r.line for r in checked.rows] == [2]
    assert checked.invalid_lines == 11 and checked.total_rows == 12


def test_repeated_lines_without_row_id_are_reported_and_blank_lines_still_count():
    checked = check("email,achievement\na@example.com,ach1\n\nA@example.com,ach1\n")
    assert [(p.line, p.code, p.params) for p in checked.problems] == [
        (4, "duplicate_row", {"other": 2})]
    assert checked.total_rows == 2


def test_bom_and_semicolons_are_accepted():
    content = "\ufeffemail;achievement;result:grade\nana@example.com;ach1;B\n".encode()
    checked = check_file(content, catalog=CATALOG)
    assert checked.columns == ("email", "achievement", "result:grade")
    assert checked.rows[0].results == (("grade", "B"),)


def test_multiline_quoted_cells_keep_record_numbering():
    checked = check('email,achievement,result:grade\n"a@example.com",ach1,"A"\n'
                    'b@example.com,ach1,"two\nlines"\nbad,ach1,\n')
    assert [(p.line, p.column) for p in checked.problems] == [(4, "email")]


@pytest.mark.parametrize(("content", "code"), [
    (b"", "empty"),
    (b"  \r\n ", "empty"),
    (b"alice@example.com,ach1\n", "no_header"),
    (b"email,achievement,colour\n", "unknown_column"),
    (b"email,achievement,email\n", "duplicate_column"),
    (b"email,achievement\n", "no_rows"),
    ("email,achievement\nfran\u00e7ois@example.com,ach1\n".encode("latin-1"), "not_utf8"),
])
def test_unusable_files_get_one_plain_reason(content, code):
    with pytest.raises(CohortFileError) as caught:
        check_file(content, catalog=CATALOG)
    assert caught.value.code == code
    assert caught.value.message == file_message(code, caught.value.params)


def test_size_and_row_caps(monkeypatch):
    monkeypatch.setattr(csvfile, "MAX_ROWS", 3)
    rows = "".join(f"l{i}@example.com,ach1\n" for i in range(4))
    with pytest.raises(CohortFileError) as caught:
        check("email,achievement\n" + rows)
    assert caught.value.code == "too_many_rows"
    assert "more than 3 learners" in caught.value.message
    check("email,achievement\n" + rows[: rows.index("l3")])  # three rows are fine
    monkeypatch.setattr(csvfile, "MAX_FILE_BYTES", 10)
    with pytest.raises(CohortFileError) as caught:
        check("email,achievement\n")
    assert caught.value.code == "too_large"


def test_spanish_reasons_come_through_the_translate_function():
    catalog = {"Line %(line)d, column %(column)s: %(reason)s.":
               "Línea %(line)d, columna %(column)s: %(reason)s.",
               "this is not an email address": "esto no es una dirección de correo"}
    text = row_message(7, "email", "invalid_email", translate=lambda m: catalog.get(m, m))
    assert text == "Línea 7, columna email: esto no es una dirección de correo."


def test_template_passes_its_own_checks_once_the_id_is_filled_in():
    text = csvfile.template_csv().replace("ACHIEVEMENT_ID", "ach1")
    assert len(check(text).rows) == 1


@given(st.lists(st.emails(), min_size=1, max_size=20, unique_by=str.lower),
       st.sampled_from([",", ";"]))
def test_identity_is_stable_and_distinct_per_line(emails, delimiter):
    text = f"email{delimiter}achievement\n" + "".join(f"{e}{delimiter}ach2\n" for e in emails)
    first, again = check(text), check(text)
    identities = [r.identity() for r in first.rows]
    assert identities == [r.identity() for r in again.rows]
    assert len(set(identities)) == len(identities) == len(first.rows)


RULES = {"ach1": {"grade": ResultRule(allowed=("A", "B", "C")),
                  "score": ResultRule(value_min="0", value_max="100"),
                  "hours": ResultRule(value_min="10"), "stars": ResultRule(value_max="5")}}


def test_result_values_the_achievement_does_not_allow_are_reported_at_upload():
    text = ("email,achievement,result:grade,result:score,result:hours,result:stars\n"
            "a@example.com,ach1,B,99.5,12,5\n"      # 2 fine
            "b@example.com,ach1,Z,,,\n"             # 3 not an allowed value
            "c@example.com,ach1,,lots,,\n"          # 4 not a number
            "d@example.com,ach1,,101,,\n"           # 5 above the range
            "e@example.com,ach1,,,9,\n"             # 6 below the minimum
            "f@example.com,ach1,,,,6\n"             # 7 above the maximum
            "g@example.com,ach1,,," + "1" * 201 + ",\n")  # 8 too long
    checked = check_file(text.encode(), catalog=RULES)
    assert [r.line for r in checked.rows] == [2]
    assert [row_message(p.line, p.column, p.code, p.params) for p in checked.problems] == [
        "Line 3, column result:grade: this achievement does not allow this result. "
        "Use one of: A, B, C.",
        "Line 4, column result:score: this result must be a number.",
        "Line 5, column result:score: this result must be between 0 and 100.",
        "Line 6, column result:hours: this result must be at least 10.",
        "Line 7, column result:stars: this result must be at most 5.",
        "Line 8, column result:hours: this is too long (at most 200 characters).",
    ]


@given(st.text(max_size=8), st.sampled_from([ResultRule(allowed=("A", "B")),
                                             ResultRule(value_min="0", value_max="10"),
                                             ResultRule(value_min="1.5"), ResultRule()]))
def test_upload_and_award_use_the_same_value_rule(value, rule):
    value = value.strip()
    if not value or any(c in value for c in ",\"\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        return  # an empty cell is no result; separators and line breaks are the CSV's own
    doc = {"allowedValue": list(rule.allowed) or None, "valueMin": rule.value_min,
           "valueMax": rule.value_max}
    award_refuses = _value_problem(doc, value) is not None
    checked = check_file(f"email,achievement,result:r\na@example.com,ach1,{value}\n".encode(),
                         catalog={"ach1": {"r": rule}})
    assert bool(checked.problems) == award_refuses
