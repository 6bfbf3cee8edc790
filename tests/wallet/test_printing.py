"""Printed records: the PDF parses, carries the name, the check in words, the share URL as
text and as a QR code (the image's modules are those of that URL), metadata for title and
language, safe margins on A4 and Letter, any alphabet (or a safe fallback); the link is a
share the learner confirmed, new (90 days, "Printed copy") or reused."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdf
import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_material import sd_jwt_record
from openler.wallet import presentations, printing, service, sharing
from openler.wallet.presentations import InvalidSharingInput
from openler.wallet.print_pdf import (
    MARGIN_MM,
    PrintJob,
    PrintSection,
    latin1_safe,
    qr_matrix,
    render_pdf,
)

FONTS = Path(__file__).resolve().parents[2] / "src/openler/web/static/fonts"
URL = "https://wallet.example/s/" + "Qx7_-" * 8 + "abc"
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
MM = 72 / 25.4


def _job(**kw) -> PrintJob:
    base = dict(
        title="Welding Basics", language="en", intro="A printed copy of learning records.",
        url=URL, qr_caption="Scan to see it and check it now",
        link_lines=("The link works until 1 March 2027.", "Printed on 1 December 2026"),
        sections=(PrintSection("Welding Basics", ("Checked: genuine, and still valid.",),
                               (("Issuer", "Example College"),
                                ("How it was earned", "Passed the practical assessment."))),),
        footer="Printed copy from OpenLER", printed_at=NOW)
    base.update(kw)
    return PrintJob(**base)


def _read(data: bytes) -> pypdf.PdfReader:
    assert data.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(data))


def _text(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _modules(image, size: int) -> list[list[bool]]:
    """Read the QR image back module by module (centre pixel of each cell)."""
    gray = image.convert("L")
    cell = gray.width / size
    return [[gray.getpixel((int((x + 0.5) * cell), int((y + 0.5) * cell))) < 128
             for x in range(size)] for y in range(size)]


def test_pdf_parses_with_name_url_and_metadata():
    reader = _read(render_pdf(_job(), font_dir=FONTS))
    text = _text(reader)
    assert "Welding Basics" in text and "Example College" in text
    assert URL in text  # on one line, as typed
    assert "Checked: genuine, and still valid." in text and "Printed on 1 December 2026" in text
    assert reader.metadata.title == "Welding Basics"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.metadata.creation_date.replace(tzinfo=UTC) == NOW.replace(tzinfo=UTC)


def test_the_qr_code_holds_exactly_the_share_url():
    reader = _read(render_pdf(_job(), font_dir=FONTS))
    images = reader.pages[0].images
    assert len(images) == 1
    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    expected.add_data(URL)
    expected.make(fit=True)
    matrix = [list(row) for row in expected.get_matrix()]
    assert _modules(images[0].image, len(matrix)) == matrix
    other = qr_matrix(URL.replace("abc", "abd"))
    assert _modules(images[0].image, len(other)) != other  # it is this URL's code, not any


@pytest.mark.parametrize(("paper", "width", "height"), [("a4", 595.28, 841.89),
                                                        ("letter", 612, 792)])
def test_text_stays_inside_safe_margins(paper, width, height):
    long = "A long description that wraps over several lines. " * 40
    job = _job(paper=paper, sections=tuple(
        PrintSection(f"Record {i}", ("Checked.",), (("Description", long),)) for i in range(4)))
    reader = _read(render_pdf(job, font_dir=FONTS))
    assert len(reader.pages) > 1
    xs: list[float] = []
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.5)
        page.extract_text(visitor_text=lambda t, cm, tm, fd, fs: xs.append(tm[4]) if t.strip()
                          else None)
    assert xs and min(xs) >= MARGIN_MM * MM - 1
    assert "1/" in _text(reader) and f"{len(reader.pages)}/{len(reader.pages)}" in _text(reader)


def test_any_alphabet_with_the_bundled_font_and_a_safe_fallback_without():
    title = "Łódź – Σοφία ✓ Ana Pérez"
    with_font = _text(_read(render_pdf(_job(title=title), font_dir=FONTS)))
    assert "Łódź – Σοφία ✓ Ana Pérez" in with_font
    without = _read(render_pdf(_job(title=title), font_dir=None))
    assert "Ana Pérez" in _text(without)  # Latin-1 letters kept
    assert without.metadata.title == latin1_safe(title)
    missing = _read(render_pdf(_job(title=title), font_dir=FONTS / "nowhere"))
    assert URL in _text(missing)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=40))
def test_latin1_fallback_never_fails(text):
    safe = latin1_safe(text)
    safe.encode("latin-1")  # never raises
    if all(ord(c) < 256 for c in text):
        assert safe == text  # Latin-1 text is left exactly as it is
    assert all(c in safe for c in text if ord(c) < 256)


def test_spanish_copy_is_marked_spanish():
    reader = _read(render_pdf(_job(language="es", title="Soldadura básica"), font_dir=FONTS))
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert "Soldadura básica" in _text(reader)


def _kept(session, wallet_config, learner_id, token, clock):
    record = service.receive_from_claim(session, config=wallet_config, user_id=learner_id,
                                        token=token, now=clock())
    return service.accept(session, config=wallet_config, user_id=learner_id,
                          record_id=record.id, now=clock())


def test_printing_a_record_makes_a_confirmed_share_of_it(session, wallet_config, learner_id,
                                                        offer, clock):
    record = _kept(session, wallet_config, learner_id, offer[1], clock)
    with pytest.raises(InvalidSharingInput) as wrong:
        printing.link_for_record(session, config=wallet_config, user_id=learner_id,
                                 record_id=record.id, link="new", audience="Printed copy",
                                 purpose=" ", expiry="90", paper="a4", name="x", now=clock())
    assert wrong.value.errors == {"purpose": "purpose_missing"}
    assert presentations.listing(session, config=wallet_config, user_id=learner_id) == []
    link = printing.link_for_record(session, config=wallet_config, user_id=learner_id,
                                    record_id=record.id, link="new", audience="Printed copy",
                                    purpose="Job fair", expiry=printing.PRINT_EXPIRY,
                                    paper="letter", name="Printed copy: Welding Basics",
                                    now=clock())
    assert link.share.audience == "Printed copy" and link.share.purpose == "Job fair"
    assert link.share.expires_at - link.share.created_at == timedelta(days=90)
    assert [r.id for r in link.presentation.records] == [record.id]
    assert link.presentation.name == "Printed copy: Welding Basics"
    view = sharing.open_link(session, config=wallet_config, token=link.share.token, now=clock())
    assert view.records[0].summary.achievement_name == "Welding Basics"
    again = printing.link_for_record(session, config=wallet_config, user_id=learner_id,
                                     record_id=record.id, link=link.share.id, audience="",
                                     purpose="", expiry="", paper="a4", name="", now=clock())
    assert again.share.token == link.share.token  # reused, nothing new made
    assert len(presentations.listing(session, config=wallet_config, user_id=learner_id)) == 1
    sharing.stop_share(session, config=wallet_config, user_id=learner_id,
                       share_id=link.share.id, now=clock())
    with pytest.raises(InvalidSharingInput) as stopped:
        printing.link_for_record(session, config=wallet_config, user_id=learner_id,
                                 record_id=record.id, link=link.share.id, audience="",
                                 purpose="", expiry="", paper="a4", name="", now=clock())
    assert stopped.value.errors == {"link": "link_missing"}


def test_printing_an_sd_jwt_record_shares_only_the_chosen_claims(session, wallet_config,
                                                                learner_id, clock):
    record = sd_jwt_record(session, config=wallet_config, user_id=learner_id, now=clock())
    link = printing.link_for_record(session, config=wallet_config, user_id=learner_id,
                                    record_id=record.id, link="new", audience="Printed copy",
                                    purpose="Job fair", expiry="90", paper="a4", name="P",
                                    now=clock(), disclose=["grade"])
    assert link.presentation.disclosed(record.id) == ("grade",)
    view = sharing.open_link(session, config=wallet_config, token=link.share.token, now=clock())
    assert view.report.outcome == "verified"
    assert {c.path for c in view.records[0].claims} == {"name", "issuer_name", "grade"}


def test_reusing_a_share_of_another_presentation_is_refused(session, wallet_config,
                                                           learner_id, offer, clock):
    record = _kept(session, wallet_config, learner_id, offer[1], clock)
    one = presentations.create(session, config=wallet_config, user_id=learner_id, name="One",
                               record_ids=[record.id], now=clock())
    two = presentations.create(session, config=wallet_config, user_id=learner_id, name="Two",
                               record_ids=[record.id], now=clock())
    share = sharing.create_share(session, config=wallet_config, user_id=learner_id,
                                 presentation_id=one.id, audience="A", purpose="B", expiry="7",
                                 now=clock())
    with pytest.raises(InvalidSharingInput):
        printing.link_for_presentation(session, config=wallet_config, user_id=learner_id,
                                       presentation_id=two.id, link=share.id, audience="",
                                       purpose="", expiry="", paper="a4", now=clock())
    with pytest.raises(InvalidSharingInput) as paper:
        printing.link_for_presentation(session, config=wallet_config, user_id=learner_id,
                                       presentation_id=one.id, link=share.id, audience="",
                                       purpose="", expiry="", paper="a3", now=clock())
    assert paper.value.errors == {"paper": "paper_missing"}
    found = printing.link_for_presentation(session, config=wallet_config, user_id=learner_id,
                                           presentation_id=one.id, link=share.id,
                                           audience="", purpose="", expiry="", paper="a4",
                                           now=clock())
    assert found.share.id == share.id
