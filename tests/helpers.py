"""Shared test helpers: where the spec data lives, and realistic Open Badges 3.0
and CLR 2.0 credentials (one fixed example and hypothesis strategies) that any
suite may reuse.

Import as ``from helpers import ...`` (pytest puts tests/ on sys.path through
tests/conftest.py).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_V2 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
OB_SCHEMA = ("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
             "ob_v3p0_achievementcredential_schema.json")


def shared_dir() -> Path:
    """The repository's sibling ``shared`` folder (spec vectors and contexts)."""
    return Path(__file__).resolve().parents[1].parent / "shared"


_OB3_EXAMPLE: dict[str, Any] = {
    "@context": [VC_V2, OB_V3],
    "id": "urn:uuid:2f1c6a0e-8d7b-4c43-9d7e-5b1a3f0c2e11",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {
        "id": "https://university.example/issuers/42",
        "type": ["Profile"],
        "name": "Example University",
        "url": "https://university.example",
        "email": "registrar@university.example",
        "image": {"id": "https://university.example/logo.png", "type": "Image",
                  "caption": "Example University seal"},
    },
    "validFrom": "2025-06-01T09:00:00Z",
    "validUntil": "2030-06-01T09:00:00Z",
    "name": "Data Analysis with Python",
    "description": "Awarded for completing the data analysis micro-credential.",
    "credentialSubject": {
        "id": "did:example:learner-7f3a",
        "type": ["AchievementSubject"],
        "activityStartDate": "2025-02-01",
        "activityEndDate": "2025-05-30",
        "creditsEarned": 3.5,
        "achievement": {
            "id": "https://university.example/achievements/data-analysis",
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": "Data Analysis with Python",
            "description": "Cleans, explores and visualises tabular data with pandas.",
            "criteria": {"narrative": "Pass the three graded projects with at least 70%."},
            "image": {"id": "https://university.example/badges/data-analysis.png",
                      "type": "Image"},
            "creditsAvailable": 3.5,
            "fieldOfStudy": "Computer Science",
            "humanCode": "DA-101",
            "tag": ["python", "data", "analytics"],
            "alignment": [
                {"type": ["Alignment"], "targetName": "Data analysis",
                 "targetUrl": "http://data.europa.eu/esco/skill/05a1e7d1-0a4b-4a5e-8a3b-2f1b",
                 "targetDescription": "Analyse data to support decision-making.",
                 "targetFramework": "ESCO", "targetType": "ceasn:Competency",
                 "targetCode": "S7.1"},
                {"type": ["Alignment"], "targetName": "Use Python",
                 "targetUrl": "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
                 "targetFramework": "ESCO", "targetType": "ceasn:Competency"},
                {"type": ["Alignment"], "targetName": "Visualise data",
                 "targetUrl": "https://credentialengine.example/competency/visualise-data",
                 "targetDescription": "Creates charts that communicate findings.",
                 "targetType": "CFItem", "targetCode": "VIS-3"},
            ],
            "resultDescription": [
                {"id": "urn:uuid:6a0d5c1e-2b3a-4f5e-9c8d-7e6f5a4b3c2d",
                 "type": ["ResultDescription"], "name": "Final grade",
                 "resultType": "LetterGrade", "allowedValue": ["A", "B", "C", "D", "F"],
                 "requiredValue": "C"},
            ],
        },
        "result": [
            {"type": ["Result"],
             "resultDescription": "urn:uuid:6a0d5c1e-2b3a-4f5e-9c8d-7e6f5a4b3c2d",
             "value": "A"},
        ],
    },
    "evidence": [
        {"id": "https://university.example/portfolio/7f3a/projects",
         "type": ["Evidence"], "name": "Project portfolio",
         "narrative": "Three projects: cleaning, exploration and a dashboard.",
         "genre": "Portfolio", "audience": "Employers"},
    ],
    "credentialSchema": [{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    "credentialStatus": {
        "id": "https://university.example/status/3#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://university.example/status/3",
    },
}

_PROOF_CONFIG: dict[str, Any] = {
    "@context": [VC_V2, OB_V3],
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-rdfc-2022",
    "created": "2025-06-01T09:00:00Z",
    "verificationMethod": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
                          "#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    "proofPurpose": "assertionMethod",
}


def ob3_example() -> dict[str, Any]:
    """A realistic OB 3.0 credential: 3 alignments, a result, evidence, a status entry."""
    return copy.deepcopy(_OB3_EXAMPLE)


def ob3_proof_config() -> dict[str, Any]:
    """The Data Integrity proof configuration signed alongside ``ob3_example``."""
    return copy.deepcopy(_PROOF_CONFIG)


# -- hypothesis strategies --------------------------------------------------------

_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=24)
_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
_iri = st.builds(lambda host, path: f"https://{host}.example/{path}", _word, _word)
_urn = st.uuids().map(lambda u: f"urn:uuid:{u}")
_did = _word.map(lambda w: f"did:example:{w}")
_date_time = st.datetimes(
    min_value=__import__("datetime").datetime(2000, 1, 1),
    max_value=__import__("datetime").datetime(2040, 1, 1),
).map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ"))
_date = st.dates().map(lambda d: d.isoformat())
_number = st.one_of(st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False,
                                                          allow_infinity=False),
                    st.sampled_from([0, 1, 0.5, 2.25, 1e21, 12345678901234567890123]))


def _maybe_list(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A single value or an array of one to three of them, as issuers write either."""
    return st.one_of(strategy, st.lists(strategy, min_size=1, max_size=3))


def _optional(draw: Any, target: dict[str, Any], key: str,
              strategy: st.SearchStrategy[Any]) -> None:
    if draw(st.booleans()):
        target[key] = draw(strategy)


@st.composite
def _image(draw: Any) -> Any:
    iri = draw(_iri)
    if draw(st.booleans()):
        return iri
    image = {"id": iri, "type": "Image"}
    _optional(draw, image, "caption", _text)
    return image


@st.composite
def _profile(draw: Any) -> dict[str, Any]:
    profile: dict[str, Any] = {"id": draw(st.one_of(_iri, _did)),
                               "type": draw(st.sampled_from(["Profile", ["Profile"]]))}
    _optional(draw, profile, "name", _text)
    _optional(draw, profile, "url", _iri)
    _optional(draw, profile, "email", _word.map(lambda w: f"{w}@school.example"))
    _optional(draw, profile, "image", _image())
    _optional(draw, profile, "description", _text)
    return profile


@st.composite
def _alignment(draw: Any) -> dict[str, Any]:
    alignment: dict[str, Any] = {"type": draw(st.sampled_from(["Alignment", ["Alignment"]])),
                                 "targetName": draw(_text), "targetUrl": draw(_iri)}
    _optional(draw, alignment, "targetDescription", _text)
    _optional(draw, alignment, "targetFramework", _text)
    _optional(draw, alignment, "targetCode", _word)
    _optional(draw, alignment, "targetType",
              st.sampled_from(["ceasn:Competency", "CFItem", "CFRubric", "ext:Skill"]))
    if draw(st.booleans()):
        alignment["id"] = draw(_urn)
    return alignment


@st.composite
def _achievement(draw: Any) -> dict[str, Any]:
    achievement: dict[str, Any] = {
        "id": draw(st.one_of(_iri, _urn)),
        "type": draw(st.sampled_from(["Achievement", ["Achievement"]])),
        "name": draw(_text),
        "criteria": draw(st.one_of(
            st.builds(lambda n: {"narrative": n}, _text),
            st.builds(lambda i, n: {"id": i, "narrative": n}, _iri, _text))),
    }
    _optional(draw, achievement, "description", _text)
    _optional(draw, achievement, "achievementType",
              st.sampled_from(["Badge", "Certificate", "Course", "ext:MicroCredential"]))
    _optional(draw, achievement, "image", _image())
    _optional(draw, achievement, "creditsAvailable", _number)
    _optional(draw, achievement, "tag", _maybe_list(_word))
    _optional(draw, achievement, "alignment", st.lists(_alignment(), min_size=0, max_size=4))
    _optional(draw, achievement, "creator", _profile())
    _optional(draw, achievement, "humanCode", _word)
    if draw(st.booleans()):
        achievement["resultDescription"] = [{
            "id": draw(_urn), "type": ["ResultDescription"], "name": draw(_text),
            "resultType": draw(st.sampled_from(["LetterGrade", "Percent", "Status"])),
            "allowedValue": draw(st.lists(_word, min_size=1, max_size=4)),
        }]
    return achievement


@st.composite
def _result(draw: Any) -> dict[str, Any]:
    result: dict[str, Any] = {"type": draw(st.sampled_from(["Result", ["Result"]]))}
    _optional(draw, result, "value", _text)
    _optional(draw, result, "status", st.sampled_from(["Completed", "Enrolled", "Passed"]))
    _optional(draw, result, "resultDescription", _urn)
    _optional(draw, result, "achievedLevel", _urn)
    return result


@st.composite
def _evidence(draw: Any) -> dict[str, Any]:
    evidence: dict[str, Any] = {"type": draw(st.sampled_from(["Evidence", ["Evidence"]]))}
    _optional(draw, evidence, "id", _iri)
    _optional(draw, evidence, "name", _text)
    _optional(draw, evidence, "narrative", _text)
    _optional(draw, evidence, "description", _text)
    _optional(draw, evidence, "genre", _word)
    _optional(draw, evidence, "audience", _word)
    return evidence


@st.composite
def _proof(draw: Any) -> dict[str, Any]:
    return {
        "type": "DataIntegrityProof",
        "cryptosuite": draw(st.sampled_from(["eddsa-rdfc-2022", "ecdsa-rdfc-2019"])),
        "created": draw(_date_time),
        "verificationMethod": draw(_did) + "#key-1",
        "proofPurpose": "assertionMethod",
        "proofValue": "z" + draw(_word),
    }


_unknown_value = st.one_of(_text, _number, st.booleans(), _iri,
                           st.dictionaries(_word, _text, max_size=2))


@st.composite
def ob3_credentials(draw: Any) -> dict[str, Any]:
    """OB 3.0 OpenBadgeCredentials / AchievementCredentials with varied optional parts."""
    subject: dict[str, Any] = {
        "type": draw(st.sampled_from(["AchievementSubject", ["AchievementSubject"]])),
        "achievement": draw(_achievement()),
    }
    _optional(draw, subject, "id", _did)
    _optional(draw, subject, "creditsEarned", _number)
    _optional(draw, subject, "activityStartDate", _date)
    _optional(draw, subject, "result", st.lists(_result(), min_size=0, max_size=3))
    if draw(st.booleans()):
        subject["identifier"] = [{"type": "IdentityObject", "hashed": draw(st.booleans()),
                                  "identityHash": draw(_word), "identityType": "emailAddress",
                                  "salt": draw(_word)}]
    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_V3],
        "type": ["VerifiableCredential",
                 draw(st.sampled_from(["OpenBadgeCredential", "AchievementCredential"]))],
        "issuer": draw(st.one_of(_profile(), _iri)),
        "validFrom": draw(_date_time),
        "name": draw(_text),
        "credentialSubject": subject,
    }
    _optional(draw, credential, "id", _urn)
    _optional(draw, credential, "validUntil", _date_time)
    _optional(draw, credential, "awardedDate", _date_time)
    _optional(draw, credential, "description", _text)
    _optional(draw, credential, "evidence", _maybe_list(_evidence()))
    if draw(st.booleans()):
        credential["credentialStatus"] = {
            "id": draw(_iri) + "#" + str(draw(st.integers(0, 10**6))),
            "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": str(draw(st.integers(0, 10**6))),
            "statusListCredential": draw(_iri)}
    _optional(draw, credential, "credentialSchema",
              st.just([{"id": OB_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}]))
    _optional(draw, credential, "proof", _maybe_list(_proof()))
    if draw(st.booleans()):  # undefined terms fall under VC 2.0's @vocab
        credential[draw(_word.map(lambda w: "x" + w))] = draw(_unknown_value)
    return credential


@st.composite
def clr_credentials(draw: Any) -> dict[str, Any]:
    """CLR 2.0 ClrCredentials wrapping one to three OB 3.0 credentials."""
    issuer = draw(_profile())
    embedded = draw(st.lists(ob3_credentials(), min_size=1, max_size=3))
    subject: dict[str, Any] = {
        "id": draw(_did), "type": "ClrSubject", "verifiableCredential": embedded,
    }
    if draw(st.booleans()):
        subject["achievement"] = [draw(_achievement())]
    if draw(st.booleans()) and all("id" in c["credentialSubject"]["achievement"]
                                   for c in embedded[:2]) and len(embedded) >= 2:
        subject["association"] = [{
            "type": "Association", "associationType": "isPartOf",
            "sourceId": embedded[0]["credentialSubject"]["achievement"]["id"],
            "targetId": embedded[1]["credentialSubject"]["achievement"]["id"]}]
    credential: dict[str, Any] = {
        "@context": [VC_V2, CLR_V2, OB_V3],
        "id": draw(_urn),
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": issuer,
        "validFrom": draw(_date_time),
        "name": draw(_text),
        "credentialSubject": subject,
    }
    _optional(draw, credential, "partial", st.booleans())
    _optional(draw, credential, "proof", _proof())
    return credential
