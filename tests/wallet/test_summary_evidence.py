"""Evidence read out of records: OB 3.0 credential-level ``evidence`` (VC DM 2.0 section 5.6,
OB 3.0 Evidence), Open Badges 2.0 assertion evidence (an IRI, an object or a list), VC-JOSE
and SD-JWT VC records; web links only when http(s), files only when a readable ``data:`` URL,
entries numbered as the download URLs are, and reading never fails."""

from __future__ import annotations

import base64
import json

from hypothesis import given
from hypothesis import strategies as st

from openler.wallet.evidence import decode_data_url, download_name, embedded_file, evidence_of
from openler.wallet.models import EvidenceItem
from openler.wallet.self_reported_evidence import StoredEvidence
from openler.wallet.summary import document_of, summarize, summarize_any, summarize_ob2
from wallet_import_samples import OtherIssuer, ob2_assertion

PDF = b"%PDF-1.4\n% portfolio\n%%EOF\n"
PDF_URL = "data:application/pdf;base64," + base64.b64encode(PDF).decode()
EVIDENCE = [
    {"id": "https://portfolio.example/ana/welds", "type": ["Evidence"], "name": "Weld photos",
     "description": "Photos of the test piece.", "narrative": "Taken by the assessor.",
     "genre": "Photograph", "audience": "Employers"},
    {"id": PDF_URL, "type": ["Evidence"], "name": "Assessor report"},
    {"id": "javascript:alert(1)", "type": ["Evidence"], "name": "Odd link"},
    {"type": ["Evidence"], "narrative": "Observed on site for a week."},
]


def test_ob3_credential_evidence_in_order_with_every_field():
    summary = summarize(OtherIssuer().credential(evidence=EVIDENCE))
    web, file, odd, told = summary.evidence
    assert web == EvidenceItem(n=1, name="Weld photos", description="Photos of the test piece.",
                               narrative="Taken by the assessor.", genre="Photograph",
                               audience="Employers", url="https://portfolio.example/ana/welds")
    assert file.n == 2 and file.data_url and file.url == ""
    assert (file.media_type, file.size, file.name) == ("application/pdf", len(PDF),
                                                       "Assessor report")
    assert odd.n == 3 and odd.url == "" and not odd.data_url and odd.name == "Odd link"
    assert told.n == 4 and told.narrative == "Observed on site for a week."


def test_a_single_evidence_object_and_no_evidence():
    assert summarize(OtherIssuer().credential(evidence=EVIDENCE[0])).evidence[0].n == 1
    plain = {k: v for k, v in OtherIssuer().credential().items() if k != "evidence"}
    assert summarize(plain).evidence == ()
    assert summarize_any("not a token", "jwt_vc").evidence == ()


def test_the_signed_credential_keeps_its_evidence():
    summary = summarize(OtherIssuer().ldp(evidence=EVIDENCE[:2]))
    assert [e.name for e in summary.evidence] == ["Weld photos", "Assessor report"]


def test_ob2_assertion_evidence_as_iri_object_or_list():
    as_iri = summarize_ob2(ob2_assertion(evidence="https://old-badges.example/work/77"))
    assert as_iri.evidence == (EvidenceItem(n=1, url="https://old-badges.example/work/77"),)
    as_list = summarize_ob2(ob2_assertion(evidence=[
        {"id": "https://old-badges.example/work/1", "narrative": "A first-aid drill.",
         "name": "Drill"}, "http://old-badges.example/work/2"]))
    assert [(e.n, e.name, e.url) for e in as_list.evidence] == [
        (1, "Drill", "https://old-badges.example/work/1"),
        (2, "", "http://old-badges.example/work/2")]
    assert as_list.evidence[0].narrative == "A first-aid drill."
    assert summarize_any(ob2_assertion(evidence=EVIDENCE[1]), "ob2").evidence[0].data_url


def test_vc_jose_and_sd_jwt_records_show_their_evidence():
    issuer = OtherIssuer()
    token = issuer.vc_jwt(issuer.credential(evidence=EVIDENCE[:2]))
    assert [e.n for e in summarize_any(token, "jwt_vc").evidence] == [1, 2]
    assert embedded_file(document_of(token, "jwt_vc"), 2).content == PDF
    sd = issuer.sd_jwt(evidence=[EVIDENCE[0]])
    [item] = summarize_any(sd, "dc+sd-jwt").evidence
    assert item.url == "https://portfolio.example/ana/welds"


def test_embedded_file_only_for_readable_data_urls():
    credential = OtherIssuer().credential(evidence=EVIDENCE + [
        {"id": "data:text/plain,hello%20there", "name": "note.txt"},
        {"id": "data:image/png;base64,!!!not base64"}, "data:text/plain;base64,aGk="])
    found = embedded_file(credential, 2)
    assert found == StoredEvidence(2, "Assessor report", "", "application/pdf", PDF)
    assert embedded_file(credential, 5).content == b"hello there"
    assert embedded_file(credential, 6) is None  # unreadable: not offered
    assert embedded_file(credential, 7) == StoredEvidence(7, "evidence-7", "", "text/plain",
                                                          b"hi")
    for n in (0, 1, 3, 4, 8, -1):
        assert embedded_file(credential, n) is None
    items = {e.n: e for e in evidence_of(credential)}
    assert 6 not in items or not items[6].data_url
    assert items[7].data_url and items[7].media_type == "text/plain"


def test_web_addresses_need_a_host_and_an_http_scheme():
    refs = ["ftp://files.example/x", "https://", "data:text/html,<b>x</b>", "//cdn.example/x",
            "HTTPS://Portfolio.example/A"]
    items = evidence_of({"evidence": [{"id": r, "name": r} for r in refs]})
    assert [bool(e.url) for e in items] == [False, False, False, False, True]


def test_download_names_are_header_safe():
    made = download_name(StoredEvidence(3, 'ré"port\r\n.pdf', "", "application/pdf", b""))
    assert made == "r__port__.pdf"
    assert download_name(StoredEvidence(4, "..", "", "text/plain", b"")) == "evidence-4"


def test_reading_does_not_change_the_credential():
    credential = OtherIssuer().credential(evidence=EVIDENCE)
    before = json.dumps(credential, sort_keys=True)
    summarize(credential)
    embedded_file(credential, 2)
    assert json.dumps(credential, sort_keys=True) == before


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20)
    | st.sampled_from(["https://a.example/x", PDF_URL, "data:,x", "data:;base64,@@"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "name", "description", "narrative", "genre",
                                       "audience", "type"]), inner, max_size=5),
    max_leaves=15)


@given(JSONISH)
def test_any_evidence_shape_reads_without_failing(value):
    items = evidence_of({"evidence": value})
    count = len(value) if isinstance(value, list) else (0 if value is None else 1)
    assert all(1 <= e.n <= count for e in items)
    assert [e.n for e in items] == sorted({e.n for e in items})
    for item in items:
        assert item.url == "" or item.url.lower().startswith(("http://", "https://"))
        assert item.data_url == (embedded_file({"evidence": value}, item.n) is not None)


@given(st.binary(max_size=300), st.sampled_from(["application/pdf", "image/png", "text/plain"]))
def test_data_urls_round_trip(content, media_type):
    ref = f"data:{media_type};base64,{base64.b64encode(content).decode()}"
    assert decode_data_url(ref) == (media_type, content)
