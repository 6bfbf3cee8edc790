"""Demo data for `openler serve --demo`: a college with a small catalog, a learner and
an employer. Loading is idempotent: running it twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from openler.accounts import passwords
from openler.accounts.models import OrganizationKind, Role
from openler.accounts.service import create_organization
from openler.storage import repositories as repo
from openler.storage.tables import Achievement, Alignment, User

ISSUER_NAME = "Riverside Community College"
EMPLOYER_NAME = "Harbor Health Clinics"


@dataclass(frozen=True)
class DemoUser:
    role: str
    name: str
    email: str
    password: str


DEMO_USERS = (
    DemoUser(
        "Issuer staff at Riverside Community College",
        "Rosa Martínez",
        "registrar@riverside.example",
        "riverside-demo-2026",
    ),
    DemoUser("Learner", "Sam Lee", "sam@learner.example", "learner-demo-2026"),
    DemoUser(
        "Employer (verifier) at Harbor Health Clinics",
        "Jordan Patel",
        "hiring@harbor.example",
        "employer-demo-2026",
    ),
)

CATALOG: tuple[dict[str, Any], ...] = (
    {
        "name": "Certified Nursing Assistant Program",
        "type": "Certificate",
        "credits": 6.0,
        "field": "Nursing",
        "code": "CNA-100",
        "description": "Completed the 120-hour state-approved nursing assistant program.",
        "criteria": "Pass all modules, 40 hours of supervised clinical practice and the skills exam.",
        "skills": (
            ("Patient care", "https://example.org/skills/patient-care", "O*NET", "2.B.1.e"),
            ("Infection control", "https://example.org/skills/infection-control", "ESCO", "S3.1.2"),
        ),
    },
    {
        "name": "Introduction to Python Programming",
        "type": "Course",
        "credits": 3.0,
        "field": "Computer Science",
        "code": "CS-110",
        "description": "Wrote, tested and debugged small Python programs.",
        "criteria": "Complete eight graded projects with a score of 70% or more.",
        "skills": (
            ("Computer programming", "https://example.org/skills/programming", "O*NET", "2.B.3.e"),
            ("Software testing", "https://example.org/skills/testing", "ESCO", "S5.6.1"),
        ),
    },
    {
        "name": "Workplace Communication",
        "type": "Course",
        "credits": 1.0,
        "field": "Communication",
        "code": "COM-101",
        "description": "Communicated clearly in writing and in person at work.",
        "criteria": "Deliver a short presentation and write three workplace documents.",
        "skills": (
            ("Written communication", "https://example.org/skills/writing", "O*NET", "2.A.1.c"),
            ("Active listening", "https://example.org/skills/listening", "O*NET", "2.A.2.a"),
        ),
    },
)


def _user(db: Session, demo: DemoUser, *, now: datetime) -> User:
    user = repo.get_user_by_email(db, email=demo.email)
    if user is None:
        user = User(
            email=demo.email,
            name=demo.name,
            password_hash=passwords.hash_password(demo.password),
            language="en",
            created_at=now,
        )
        db.add(user)
        db.flush()
    return user


def load_demo(db: Session, *, now: datetime) -> None:
    """Create the demo organizations, users and catalog unless they already exist."""
    staff, _learner, employer = (_user(db, demo, now=now) for demo in DEMO_USERS)
    if repo.organization_named(db, name=ISSUER_NAME) is None:
        college = create_organization(
            db, owner=staff, name=ISSUER_NAME, kind=OrganizationKind.ISSUER, now=now
        )
        for item in CATALOG:
            achievement = Achievement(
                organization_id=college.id,
                name=item["name"],
                description=item["description"],
                criteria=item["criteria"],
                created_at=now,
                achievement_type=item["type"],
                credits_available=item["credits"],
                field_of_study=item["field"],
                human_code=item["code"],
                tags=[item["field"].lower()],
                result_descriptions=[],
                current_version=0,  # the catalog writes version 1 when first needed
            )
            for position, (name, url, framework, code) in enumerate(item["skills"]):
                achievement.alignments.append(
                    Alignment(
                        position=position,
                        target_name=name,
                        target_url=url,
                        target_framework=framework,
                        target_code=code,
                    )
                )
            db.add(achievement)
    if repo.organization_named(db, name=EMPLOYER_NAME) is None:
        clinic = create_organization(
            db, owner=employer, name=EMPLOYER_NAME, kind=OrganizationKind.EMPLOYER, now=now
        )
        db.flush()
        membership = repo.membership_in(db, user_id=employer.id, org_id=clinic.id)
        assert membership is not None and membership.role == Role.OWNER
    db.flush()


__all__ = ["DEMO_USERS", "DemoUser", "load_demo"]
