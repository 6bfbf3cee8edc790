"""Answering a verifier: the wallet side of OpenID for Verifiable Presentations (who asks, what
for, what will be sent; the learner sends or refuses)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
