"""What a credential says, read for the wallet's pages: a full OB 3.0 example, and any
generated credential (never an exception, whatever the shapes)."""

from __future__ import annotations

from hypothesis import given, settings

from helpers import ob3_credentials, ob3_example
from openler.wallet.models import ResultLine
from openler.wallet.summary import summarize


def test_full_example():
    summary = summarize(ob3_example())
    assert summary.issuer_name == "Example University"
    assert summary.issuer_id == "https://university.example/issuers/42"
    assert summary.achievement_name == "Data Analysis with Python"
    assert summary.achievement_type == "Certificate"
    assert summary.criteria == "Pass the three graded projects with at least 70%."
    assert summary.results == (ResultLine(label="Final grade", value="A"),)
    assert [s.name for s in summary.skills] == ["Data analysis", "Use Python", "Visualise data"]
    assert summary.skills[0].framework == "ESCO" and summary.skills[0].code == "S7.1"
    assert (summary.valid_from, summary.valid_until) == ("2025-06-01", "2030-06-01")
    assert summary.issued_on == "2025-06-01"
    assert summary.credits == "3.5"


def test_odd_shapes_read_as_empty():
    doc = ob3_example()
    doc["issuer"] = "did:example:issuer"
    doc["credentialSubject"] = [{"achievement": {"name": ["a list"], "criteria": "not an object",
                                                 "alignment": [None, {"targetName": ""}]},
                                 "result": [{"value": None}, "text"]}]
    summary = summarize(doc)
    assert summary.issuer_id == "did:example:issuer" and summary.issuer_name == ""
    assert summary.achievement_name == "Data Analysis with Python"  # falls back to the name
    assert summary.criteria == "" and summary.skills == () and summary.results == ()


@settings(max_examples=60, deadline=None)
@given(credential=ob3_credentials())
def test_any_generated_credential_summarizes(credential):
    summary = summarize(credential)
    subject = credential["credentialSubject"]
    assert summary.achievement_name in (subject["achievement"]["name"], credential["name"])
    assert len(summary.skills) <= len(subject["achievement"].get("alignment", []))
