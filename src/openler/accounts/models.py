"""Domain types for accounts: organization kinds, roles and validation limits."""

from __future__ import annotations

import enum


class OrganizationKind(enum.StrEnum):
    ISSUER = "issuer"
    EMPLOYER = "employer"
    SCHOOL = "school"


class Role(enum.StrEnum):
    OWNER = "owner"
    ISSUER_STAFF = "issuer_staff"
    VERIFIER_STAFF = "verifier_staff"


class AccountKind(enum.StrEnum):
    LEARNER = "learner"
    ORGANIZATION = "organization"


LANGUAGES = ("en", "es")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 320
