"""Placeholder router, filled in this session."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
