"""Backup and leaving: an encrypted backup file, restore into any OpenLER instance, an export
in standard formats, and deleting the account with everything in it."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
