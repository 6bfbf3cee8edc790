"""Demo data for `openler serve --demo`: a college with a small catalog, a learner and
an employer. Loading is idempotent: running it twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openler.accounts import passwords
from openler.accounts.models import OrganizationKind, Role
from openler.accounts.service import create_organization
from openler.skills_service import frameworks, frameworks_onet
from openler.storage import repositories as repo
from openler.storage.tables import Achievement, Alignment, User
from openler.storage.tables_frameworks import SkillFramework

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

ESCO = "http://data.europa.eu/esco/skill/"
ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"
ONET = "https://www.onetonline.org/find/descriptor/result/"  # as the O*NET importer names them
ONET_TECH = "urn:onet:technology:"


def _esco(label: str, uuid: str) -> tuple[str, str, str, str]:
    """An ESCO skill alignment: its preferred label, URI, framework and code (the URI's id)."""
    return (label, ESCO + uuid, "ESCO", uuid)


def _esco_occupation(label: str, uuid: str) -> tuple[str, str, str, str]:
    """An ESCO occupation the achievement prepares for (an occupation by its URI's path)."""
    return (label, ESCO_OCCUPATION + uuid, "ESCO", uuid)


def _onet(label: str, element: str) -> tuple[str, str, str, str]:
    """An O*NET skill (element id), named as the O*NET importer names its framework."""
    return (label, ONET + element, "O*NET", element)


def _onet_tech(label: str, commodity: str, slug: str) -> tuple[str, str, str, str]:
    """An O*NET technology skill: no code, since technologies share a commodity code."""
    return (label, f"{ONET_TECH}{commodity}:{slug}", "O*NET", "")


# Aligned to real framework skills (ESCO v1.1.0 and the O*NET demo subset), so that the
# demo learner's pathways show skills met and skills to build: Registered Nurses (4 of 8,
# by framework code) and Software Developers (3 of 10, two of them by meaning: the ESCO
# "computer programming" and "Python (computer programming)" of the Python course for
# O*NET's "Programming" and the technology "Python").
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
            _esco("infection control", "6d13053b-ee35-492c-8976-8178420df398"),
            _esco("empathise with the healthcare user", "2475cd27-8d6c-4318-a364-21395b23acba"),
            _onet("Service Orientation", "2.B.1.f"),
            _onet("Monitoring", "2.A.2.d"),
            _esco_occupation("nurse assistant", "87d0795a-d41f-47ee-979f-0ab7d73836e7"),
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
            _esco("computer programming", "21d2f96d-35f7-4e3f-9745-c533d2dd6e97"),
            _esco("Python (computer programming)", "ccd0a1d9-afda-43d9-b901-96344886e14d"),
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
            _esco("listen actively", "a17286c5-238d-4f0b-bc24-29e9121345de"),
            _onet("Active Listening", "2.A.1.b"),
            _onet("Speaking", "2.A.1.d"),
            _onet("Writing", "2.A.1.c"),
        ),
    },
    {
        "name": "Clinical Judgment and Patient Safety",
        "type": "Course",
        "credits": 3.0,
        "field": "Nursing",
        "code": "NUR-120",
        "description": "Assessed patients' needs, reasoned through care decisions and "
                       "spoke up for safety.",
        "criteria": "Pass four simulated clinical scenarios and a written case analysis.",
        "skills": (
            _onet("Critical Thinking", "2.A.2.a"),
            _onet("Social Perceptiveness", "2.B.1.a"),
            _esco("use clinical reasoning", "87a708d8-a14d-42ce-8f03-c8a199f999d5"),
        ),
    },
    {
        "name": "Spreadsheets for the Workplace",
        "type": "Course",
        "credits": 1.0,
        "field": "Business",
        "code": "BUS-105",
        "description": "Built spreadsheets with formulas, charts and checked data entry.",
        "criteria": "Complete five workbook assignments with a score of 70% or more.",
        "skills": (
            _esco("use spreadsheets software", "1973c966-f236-40c9-b2d4-5d71a89019be"),
            _onet_tech("Microsoft Excel", "43232110", "microsoft-excel"),
        ),
    },
)


def load_demo_frameworks(db: Session, *, now: datetime, esco: bool = True) -> None:
    """The O*NET demo subset (occupations, skills, technology skills) and, when asked, the
    bundled ESCO skills (about 13,500, 1 to 2 seconds on SQLite); each loaded once."""
    loaded = {row.source: row.item_count for row in db.scalars(select(SkillFramework).where(
        SkillFramework.org_id.is_(None)))}
    if not loaded.get("onet"):
        frameworks_onet.import_onet(db, directory=frameworks_onet.DEMO_DIR, now=now)
    if esco and not loaded.get("esco"):
        frameworks.load_esco(db, now=now)
    db.flush()


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
    """Create the demo organizations, users and catalog unless they already exist, and
    the O*NET demo subset its alignments point to (ESCO: ``load_demo_frameworks``)."""
    load_demo_frameworks(db, now=now, esco=False)
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


__all__ = ["CATALOG", "DEMO_USERS", "DemoUser", "load_demo", "load_demo_frameworks"]
