"""QR codes as inline SVG for offer links.

Spec: ISO/IEC 18004 (QR Code) through the ``qrcode`` package; OpenID4VCI 1.0
section 4.1 (an offer may be shown as a QR code). The SVG carries ``role="img"``
and a ``<title>`` so assistive technology names it.
"""

from __future__ import annotations

from html import escape

import qrcode
from qrcode.constants import ERROR_CORRECT_M

MODULE = 4
QUIET = 4


def qr_svg(data: str, *, title: str) -> str:
    """An SVG picture of a QR code for ``data``, safe to put in a page as is."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = (len(matrix) + 2 * QUIET) * MODULE
    cells = "".join(
        f"M{(x + QUIET) * MODULE} {(y + QUIET) * MODULE}h{MODULE}v{MODULE}h-{MODULE}z"
        for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="qr-title" '
            f'viewBox="0 0 {size} {size}" width="{size}" height="{size}" class="qr">'
            f'<title id="qr-title">{escape(title)}</title>'
            f'<rect width="{size}" height="{size}" fill="#fff"/>'
            f'<path d="{cells}" fill="#000"/></svg>')
