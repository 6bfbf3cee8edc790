"""Receiving from any issuer: the wallet side of OpenID for Verifiable Credential Issuance
(a credential offer pasted, scanned or opened, taken with the learner's own key)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
