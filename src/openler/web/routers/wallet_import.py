"""The wallet's import page: a file or pasted text (VC JSON, VC-JOSE, SD-JWT VC, Open Badges 2.0),
verified on arrival and shown in plain words before the learner keeps it."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
