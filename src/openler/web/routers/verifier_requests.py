"""Presentation requests made by a verifying organization: the OpenID4VP authorization request
a wallet fetches, and the endpoint its answer is posted to."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
