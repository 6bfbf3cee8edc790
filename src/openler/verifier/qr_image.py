"""Reading a QR code from a photo or screenshot, offline, and saying what it holds.

Spec: ISO/IEC 18004 (QR Code) decoded by zxing-cpp over a Pillow image; what
the code holds is sorted by the verifier page: an OpenLER share link
(``/s/<token>``), a link meant for a wallet (OpenID for Verifiable
Presentations 1.0 section 5 ``openid4vp://`` requests, OpenID for Verifiable
Credential Issuance 1.0 section 4.1 ``openid-credential-offer://`` offers), or
the text of a credential (JSON, a JWT or an SD-JWT). Only PNG and JPEG up to
``MAX_QR_BYTES`` are opened, and only up to ``MAX_PIXELS`` pixels, so a small
file that claims an enormous picture (a decompression bomb) is refused before
it is decoded. Nothing is written anywhere.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Literal

MAX_QR_BYTES = 5_000_000
MAX_PIXELS = 40_000_000
FORMATS = ("PNG", "JPEG")
WALLET_SCHEMES = ("openid4vp", "openid-credential-offer", "haip", "eudi-openid4vp",
                  "mdoc-openid4vp")
Kind = Literal["share_link", "wallet_link", "credential", "web_link", "other"]


class QrImageError(Exception):
    """The image gave no single QR code; ``code`` names why (unreadable, none, several)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class QrContent:
    """What one QR code holds: its text and the kind of thing that is."""

    text: str
    kind: Kind
    scheme: str = ""


def decode_qr(data: bytes) -> str:
    """The text of the one QR code in a PNG or JPEG image (QrImageError otherwise)."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > MAX_QR_BYTES:
        raise QrImageError("too_big")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = image.size
            if width * height > MAX_PIXELS or width < 21 or height < 21:
                raise QrImageError("unreadable")
            image.load()
            gray = image.convert("L")
    except QrImageError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, OSError, ValueError, SyntaxError):
        raise QrImageError("unreadable") from None
    texts = _read(gray)
    if not texts:
        raise QrImageError("none")
    if len(texts) > 1:
        raise QrImageError("several")
    return texts[0]


def _read(image: object) -> list[str]:
    import zxingcpp

    try:
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.barcode_formats_from_str("QRCode"))
    except (RuntimeError, ValueError):
        return []
    texts: list[str] = []
    for barcode in found:
        text = barcode.text
        if getattr(barcode, "valid", True) and text and text not in texts:
            texts.append(text)  # the same code seen twice counts once
    return texts


def classify(text: str, *, looks_like_credential: bool) -> QrContent:
    """Sort a QR code's text into what the verifier can do with it."""
    stripped = text.strip().lstrip("\ufeff")
    scheme, sep, _ = stripped.partition("://")
    if sep and scheme.lower() in WALLET_SCHEMES:
        return QrContent(stripped, "wallet_link", scheme.lower())
    if sep and scheme.lower() in ("http", "https"):
        kind: Kind = "share_link" if "/s/" in stripped else "web_link"
        return QrContent(stripped, kind, scheme.lower())
    if looks_like_credential:
        return QrContent(stripped, "credential")
    return QrContent(stripped, "other")
