"""The learner's skills profile: every skill and occupation from the records, as a chart and a
table, with the records behind each; the learner hides the ones they do not want shown."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
