"""Printable records: a PDF of a credential or a presentation with a QR code that leads to a
live check."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
