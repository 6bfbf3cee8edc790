"""Laying out a printed record as a PDF: headings, facts, a QR code that opens the live check,
the link as text, and when the copy was printed.

Spec: ISO 32000-1 (PDF 1.7) through fpdf2: document information ``Title`` and
the catalog's ``Lang`` entry (section 14.9.2) so screen readers and search
tools know the language; ISO/IEC 18004 (QR code, error correction level M,
4-module quiet zone) through ``qrcode``. Text is drawn with a bundled Unicode
TrueType font (DejaVu Sans) when one is given; without it the core Helvetica
font is used and letters outside Latin-1 are simplified (accents dropped) or
replaced, so the PDF is always made.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import qrcode
from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from PIL import Image

PAPER = {"a4": "A4", "letter": "Letter"}
MARGIN_MM = 20  # inside the printable area of home and office printers, on A4 and on Letter
QR_MM = 42
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


@dataclass(frozen=True, slots=True)
class PrintSection:
    """One record on paper: its title, plain notes (check, provenance) and label/value facts."""

    title: str
    notes: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    self_reported: bool = False


@dataclass(frozen=True, slots=True)
class PrintJob:
    """Everything printed, already in the reader's language."""

    title: str
    language: str
    intro: str
    url: str
    qr_caption: str
    link_lines: tuple[str, ...]
    sections: tuple[PrintSection, ...]
    footer: str
    printed_at: datetime
    paper: str = "a4"
    subject: str = ""
    keywords: tuple[str, ...] = field(default=())


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code's modules for ``url`` (True = dark), quiet zone included."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_image(url: str, *, scale: int = 8) -> Image.Image:
    """The QR code as a crisp grayscale image, ``scale`` pixels per module."""
    matrix = qr_matrix(url)
    size = len(matrix)
    img = Image.new("L", (size, size), 255)
    img.putdata([0 if dark else 255 for row in matrix for dark in row])
    return img.resize((size * scale, size * scale), Image.Resampling.NEAREST)


def latin1_safe(text: str) -> str:
    """Text the core PDF fonts can draw: accents kept where Latin-1 has them, else simplified."""
    out = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode(
                "latin-1")
            plain = "".join(c for c in plain if not unicodedata.combining(c))
            out.append(plain or {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                                 "…": "...", "›": ">", "•": "-", "✎": ""}.get(char, "?"))
    return "".join(out)


class _Document(FPDF):
    def __init__(self, job: PrintJob, font_dir: Path | None) -> None:
        super().__init__(orientation="portrait", unit="mm", format=PAPER.get(job.paper, "A4"))
        self.job = job
        self.family = "Helvetica"
        if font_dir is not None and all((font_dir / f).is_file() for f in FONT_FILES.values()):
            for style, name in FONT_FILES.items():
                self.add_font("DejaVu", style=style, fname=str(font_dir / name))
            self.family = "DejaVu"
        self.unicode = self.family == "DejaVu"
        self.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        self.set_auto_page_break(True, margin=MARGIN_MM + 8)
        self.alias_nb_pages()

    def t(self, text: str) -> str:
        return text if self.unicode else latin1_safe(text)

    def footer(self) -> None:
        self.set_y(-(MARGIN_MM + 2))
        self.set_font(self.family, "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 4, self.t(f"{self.job.footer} · {self.page_no()}/{{nb}}"), align="C")
        self.set_text_color(0, 0, 0)

    def para(self, text: str, *, size: float = 11, style: str = "", height: float = 5.5,
             wrap_chars: bool = False) -> None:
        self.set_font(self.family, style, size)
        self.multi_cell(0, height, self.t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L",
                        wrapmode=WrapMode.CHAR if wrap_chars else WrapMode.WORD)


def _qr_block(pdf: _Document, job: PrintJob) -> None:
    top = pdf.get_y()
    pdf.image(qr_image(job.url), x=MARGIN_MM, y=top, w=QR_MM, h=QR_MM)
    left = MARGIN_MM + QR_MM + 6
    pdf.set_left_margin(left)
    pdf.set_xy(left, top)
    pdf.para(job.qr_caption, style="B", size=12)
    for line in job.link_lines:
        pdf.para(line, size=10)
    pdf.set_left_margin(MARGIN_MM)
    pdf.set_xy(MARGIN_MM, max(pdf.get_y(), top + QR_MM) + 3)
    # The link as text too, on one line where it fits, for someone who types it in.
    pdf.set_font(pdf.family, "", 10)
    pdf.multi_cell(0, 5, pdf.t(job.url), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L",
                   wrapmode=WrapMode.CHAR, link=job.url)
    pdf.ln(3)


def _section(pdf: _Document, section: PrintSection) -> None:
    if pdf.will_page_break(40):
        pdf.add_page()
    start_page, start_y = pdf.page, pdf.get_y()
    inner = MARGIN_MM + (4 if section.self_reported else 0)
    pdf.set_left_margin(inner)
    pdf.set_x(inner)
    pdf.ln(2)
    pdf.para(section.title, style="B", size=14, height=7)
    for note in section.notes:
        pdf.para(note, size=10.5)
    for label, value in section.facts:
        pdf.ln(1)
        pdf.para(label, style="B", size=10)
        pdf.para(value or "-", size=11)
    pdf.ln(2)
    pdf.set_left_margin(MARGIN_MM)
    pdf.set_x(MARGIN_MM)
    if section.self_reported and pdf.page == start_page:  # a dashed outline, as on screen
        with pdf.local_context():
            pdf.set_dash_pattern(dash=1.5, gap=1.2)
            pdf.set_line_width(0.5)
            pdf.rect(MARGIN_MM, start_y, pdf.epw, pdf.get_y() - start_y)
    pdf.ln(3)


def render_pdf(job: PrintJob, *, font_dir: Path | None = None) -> bytes:
    """The printable copy as PDF bytes (metadata: title, language, creation date)."""
    pdf = _Document(job, font_dir)
    pdf.set_title(pdf.t(job.title))
    pdf.set_lang(job.language)
    pdf.set_subject(pdf.t(job.subject or job.intro))
    pdf.set_creator("OpenLER")
    pdf.set_producer("OpenLER (fpdf2)")
    if job.keywords:
        pdf.set_keywords(pdf.t(" ".join(job.keywords)))
    pdf.set_creation_date(job.printed_at)
    pdf.add_page()
    pdf.para(job.title, style="B", size=18, height=9)
    pdf.para(job.intro, size=11)
    pdf.ln(3)
    _qr_block(pdf, job)
    for section in job.sections:
        _section(pdf, section)
    return bytes(pdf.output())
