"""Headers for pages that show personal records or carry secrets (wallet, claim links).

Such a page must never be kept by a shared cache or the browser's back-forward
cache, and its address (which may hold a token) must never travel on as a
``Referer`` to another site, nor be listed by a search engine.
"""

from __future__ import annotations

from starlette.responses import Response


def private(response: Response) -> Response:
    """Mark a personal page: not stored by any cache, address not sent on as a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"  # share links stay out of search
    return response
