"""openler.verifier.qr_image: one QR code read from PNG or JPEG bytes, every other image refused
with a reason, and its text sorted into what the verifier can do with it."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from openler.verifier.qr_image import MAX_QR_BYTES, QrImageError, classify, decode_qr

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from qr_material import photo_like, qr_png  # noqa: E402


@pytest.mark.parametrize("text", ["https://x.example/s/abcdefghijkl", "é ünïcode ✓", "{}"])
def test_reads_clean_and_photo_like_codes(text: str) -> None:
    assert decode_qr(qr_png(text)) == text
    assert decode_qr(photo_like(text)) == text


def test_the_same_code_twice_counts_once() -> None:
    one = Image.open(io.BytesIO(qr_png("same"))).convert("L")
    twice = Image.new("L", (one.width * 2 + 20, one.height), 255)
    twice.paste(one, (0, 0))
    twice.paste(one, (one.width + 20, 0))
    out = io.BytesIO()
    twice.save(out, "PNG")
    assert decode_qr(out.getvalue()) == "same"


def test_oversized_data_is_refused_before_opening() -> None:
    with pytest.raises(QrImageError) as caught:
        decode_qr(b"\x89PNG" + b"\0" * MAX_QR_BYTES)
    assert caught.value.code == "too_big"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_escape_as_another_error(data: bytes) -> None:
    try:
        decode_qr(data)
    except QrImageError as exc:
        assert exc.code in ("unreadable", "none", "several")


@pytest.mark.parametrize(("text", "kind"), [
    ("openid4vp://?request_uri=x", "wallet_link"),
    ("OPENID-CREDENTIAL-OFFER://?credential_offer=x", "wallet_link"),
    ("https://x.example/s/abcdefghijkl", "share_link"),
    ("https://x.example/about", "web_link"),
    ("plain words", "other"),
])
def test_classify(text: str, kind: str) -> None:
    assert classify(text, looks_like_credential=False).kind == kind


def test_credential_text_is_passed_on() -> None:
    found = classify(" {\"a\": 1}\n", looks_like_credential=True)
    assert (found.kind, found.text) == ("credential", "{\"a\": 1}")
