"""Self-reported learning: the learner adds volunteering, informal learning, work and projects,
kept and shown as self-reported and signed only with the learner's own key."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
