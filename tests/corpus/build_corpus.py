"""Build the verification corpus: one JSON file per failure kind plus the ports fixture.

Issue 6 acceptance: every failure kind the verifier report keeps apart (tampered,
signed by a key the issuer does not control, issuer could not be reached,
suspended, revoked, not yet valid, expired, presented by someone other than the
subject, wrong challenge or audience) has at least three cases, each with exactly
the checks it must fail (or could not run), plus valid controls. Credentials are
Data Integrity (eddsa-rdfc-2022), SD-JWT VC and VC-JOSE; presentations are
signed with an authentication proof (VC Data Integrity 1.0 section 2.2).

Everything is deterministic: keys come from fixed seeds, Ed25519 signatures are
deterministic (RFC 8032), SD-JWT salts come from a counter, gzip has mtime 0.
``python tests/corpus/build_corpus.py`` rewrites ``tests/corpus/data``; the test
module checks that the committed files equal a fresh build. DID documents and
status lists live in ``data/ports.json`` and reach the verifier only through the
context's ports (``CorpusFetcher``, ``fetch_status_list``), never the network.
The JavaScript-signed cases are made at test time (``test_corpus.py``).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from openler.core.dids import (
    DidResolver,
    FetchResponse,
    did_key_from_public,
    did_key_vm_id,
    did_web_to_url,
)
from openler.core.errors import DidResolutionError
from openler.core.keys import KeyPair
from openler.core.presentations import create_presentation, envelope, sign_presentation
from openler.core.proofs import sign
from openler.core.sdjwt import issue_sd_jwt_vc, present
from openler.core.sdjwt.jose import sign_jws
from openler.core.status import (
    BitstringStatusList,
    StatusListCache,
    status_entry,
    status_list_credential,
)
from openler.core.verify import VerificationContext, VerificationResult

DATA_DIR = Path(__file__).resolve().parent / "data"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CHALLENGE = "corpus-challenge-1"
DOMAIN = "https://employer.example"
SIGNED_AT = "2026-01-15T09:00:00Z"
PRESENTED_AT = "2026-06-01T11:58:00Z"
REVOKED, SUSPENDED, CLEAR = 3, 5, 7
KINDS = ("valid", "tampered", "key_not_controlled", "unreachable", "suspended", "revoked",
         "not_yet_valid", "expired", "holder_mismatch", "replay")
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
Finding = list[str]  # [path, check name, status, code]


# -- parties ---------------------------------------------------------------------------

def seeded_keypair(name: str, algorithm: str = "Ed25519") -> KeyPair:
    """A key pair derived from a fixed name, so every build signs identically."""
    return KeyPair(algorithm, hashlib.sha256(b"openler-corpus-v1/" + name.encode()).digest())  # type: ignore[arg-type]


class DidKeyParty:
    """A did:key identity from a fixed seed."""

    def __init__(self, name: str) -> None:
        self.keypair = seeded_keypair(name)
        self.did = did_key_from_public(self.keypair.public_key())
        self.vm = did_key_vm_id(self.keypair.public_key())


class DidWebParty:
    """A did:web issuer whose keys are named by fragment (``key-1`` ...)."""

    def __init__(self, host: str, *fragments: str) -> None:
        self.did = f"did:web:{host}"
        self.host = host
        self.keys = {f: seeded_keypair(f"{host}/{f}") for f in fragments}

    def vm(self, fragment: str = "key-1") -> str:
        """The verification method id of one of its keys."""
        return f"{self.did}#{fragment}"


def did_document(did: str, methods: list[tuple[str, str, str]], *,
                 assertion: list[str], authentication: list[str]) -> dict[str, Any]:
    """A DID document; ``methods`` are (fragment, controller, publicKeyMultibase)."""
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [{"id": f"{did}#{frag}", "type": "Multikey",
                                "controller": controller, "publicKeyMultibase": key}
                               for frag, controller, key in methods],
        "assertionMethod": [f"{did}#{f}" for f in assertion],
        "authentication": [f"{did}#{f}" for f in authentication],
    }


BADGES = DidKeyParty("badges")           # did:key issuer with status lists
ACADEMY = DidKeyParty("academy")         # did:key issuer, SD-JWT and VC-JOSE
HOLDER = DidKeyParty("holder")           # the learner (credentialSubject.id)
STRANGER = DidKeyParty("stranger")       # someone else
COLLEGE = DidWebParty("college.example", "key-1", "key-2", "key-3")
OFFLINE = DidWebParty("offline.example", "key-1")
TIMEOUT = DidWebParty("slow.example", "key-1")
DOWN = DidWebParty("down.example", "key-1")
NO_DNS = DidWebParty("nxdomain.example", "key-1")


def _list_url(issuer_host: str, purpose: str) -> str:
    return f"https://{issuer_host}/status/{purpose}"


BADGES_HOST = "badges.example"  # where the did:key issuer publishes its lists
GONE_LIST = "https://lists.gone.example/status/revocation"


# -- ports -----------------------------------------------------------------------------

def _status_bits() -> str:
    bits = BitstringStatusList()
    bits.set(REVOKED)
    bits.set(SUSPENDED)
    return bits.encode()


def _signed_list(url: str, issuer: str, purpose: str, keypair: KeyPair, vm: str) -> dict:
    unsigned = status_list_credential(url, issuer, purpose, _status_bits(),
                                      datetime(2026, 1, 1, tzinfo=UTC))
    return sign(unsigned, keypair=keypair, verification_method=vm, created=SIGNED_AT)


def build_ports() -> dict[str, Any]:
    """DID documents by URL, failing hosts, and signed status lists by URL."""
    col = COLLEGE
    docs = {
        did_web_to_url(col.did): did_document(
            col.did,
            [("key-1", col.did, col.keys["key-1"].public_multibase),
             ("key-2", col.did, col.keys["key-2"].public_multibase),
             # listed here, but controlled by another DID: not the college's key
             ("key-3", "did:web:other.example", col.keys["key-3"].public_multibase)],
            assertion=["key-1", "key-3"], authentication=["key-1", "key-2"]),
    }
    fail = {did_web_to_url(OFFLINE.did): "refused", did_web_to_url(TIMEOUT.did): "timeout",
            did_web_to_url(DOWN.did): "http-503", did_web_to_url(NO_DNS.did): "resolution"}
    lists: dict[str, Any] = {}
    for purpose in ("revocation", "suspension"):
        url = _list_url(col.host, purpose)
        lists[url] = _signed_list(url, col.did, purpose, col.keys["key-1"], col.vm())
        url = _list_url(BADGES_HOST, purpose)
        lists[url] = _signed_list(url, BADGES.did, purpose, BADGES.keypair, BADGES.vm)
    url = _list_url(OFFLINE.host, "revocation")
    lists[url] = _signed_list(url, OFFLINE.did, "revocation", OFFLINE.keys["key-1"], OFFLINE.vm())
    return {"did_documents": docs, "failing_hosts": fail, "status_lists": lists,
            "unreachable_status_lists": [GONE_LIST]}


class CorpusFetcher:
    """The did:web port: fixture documents, and hosts that refuse, time out or fail."""

    def __init__(self, documents: dict[str, Any], failing: dict[str, str]) -> None:
        self.documents = documents
        self.failing = failing

    def fetch(self, url: str) -> FetchResponse:
        """Serve a fixture document, or fail the way the fixture says."""
        how = self.failing.get(url)
        if how == "refused":
            raise ConnectionRefusedError(111, "Connection refused")
        if how == "timeout":
            raise TimeoutError("timed out after 5 s")
        if how == "http-503":
            return FetchResponse(503, b"Service Unavailable", {})
        if how == "resolution":
            raise DidResolutionError(url, "host name does not resolve")
        doc = self.documents.get(url)
        if doc is None:
            return FetchResponse(404, b"not found", {})
        return FetchResponse(200, json.dumps(doc).encode(), {"content-type": "application/json"})


def make_context(ports: dict[str, Any], options: dict[str, Any] | None = None, *,
                 language: str = "en") -> VerificationContext:
    """A verification context whose only outside world is the fixture ports."""
    lists, gone = ports["status_lists"], set(ports["unreachable_status_lists"])

    def fetch_status_list(url: str) -> dict[str, Any]:
        if url in gone:
            raise ConnectionRefusedError(111, "Connection refused")
        return lists[url]

    fetcher = CorpusFetcher(ports["did_documents"], ports["failing_hosts"])
    return VerificationContext(
        resolver=DidResolver(fetcher=fetcher), fetch_status_list=fetch_status_list,
        status_cache=StatusListCache(), now=NOW, language=language, **(options or {}))


def findings(result: VerificationResult, path: str = "") -> list[Finding]:
    """Every check that failed or could not run, with where it sits in the result."""
    out = [[path, c.name, c.status, c.code] for c in result.checks
           if (c.status == "failed" or c.could_not_check) and c.name != "credentials"]
    for i, nested in enumerate(result.credentials):
        out += findings(nested, f"credentials/{i}")
    return out


# -- documents -------------------------------------------------------------------------

def ob3(issuer: str, subject: str | None = HOLDER.did, *, name: str = "Welding I",
        number: int = 1, **extra: Any) -> dict[str, Any]:
    """An unsigned Open Badges 3.0 credential (schema-valid)."""
    subject_obj: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "achievement": {
            "id": f"https://school.example/achievements/{number}",
            "type": ["Achievement"], "name": name,
            "description": f"{name}: assessed in the workshop.",
            "criteria": {"narrative": "Pass the practical assessment."},
            "alignment": [{"type": ["Alignment"], "targetName": "weld metal",
                           "targetUrl": "http://data.europa.eu/esco/skill/S6.2.1",
                           "targetFramework": "ESCO", "targetCode": "S6.2.1"}]}}
    if subject is not None:
        subject_obj["id"] = subject
    doc: dict[str, Any] = {
        "@context": [VC_V2, OB_V3],
        "id": f"urn:uuid:7a0c5e2e-0000-4000-8000-{number:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Corpus Issuer"},
        "validFrom": "2026-01-15T09:00:00Z",
        "credentialSubject": subject_obj,
    }
    doc.update(extra)
    return doc


def statuses(host: str, purpose: str = "revocation", index: int = CLEAR) -> dict[str, Any]:
    """A credential's status entry (OB 3.0 allows one) in one of the issuer's lists."""
    return status_entry(_list_url(host, purpose), index, purpose)


def by_key(party: DidKeyParty, doc: dict[str, Any]) -> dict[str, Any]:
    """Signed with a did:key party's key (eddsa-rdfc-2022)."""
    return sign(doc, keypair=party.keypair, verification_method=party.vm, created=SIGNED_AT)


def by_web(party: DidWebParty, doc: dict[str, Any], fragment: str = "key-1") -> dict[str, Any]:
    """Signed with one of a did:web party's keys."""
    return sign(doc, keypair=party.keys[fragment], verification_method=party.vm(fragment),
                created=SIGNED_AT)


def vp(credentials: list[Any], *, holder: DidKeyParty = HOLDER,
       signer: DidKeyParty | None = None, challenge: str = CHALLENGE,
       domain: str = DOMAIN) -> dict[str, Any]:
    """A presentation signed for the corpus verifier's request (or another one)."""
    signer = signer or holder
    return sign_presentation(create_presentation(credentials, holder=holder.did),
                             keypair=signer.keypair, verification_method=signer.vm,
                             challenge=challenge, domain=domain, created=PRESENTED_AT)


class Salts:
    """Deterministic SD-JWT salts (a counter through SHA-256)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, size: int) -> bytes:
        self.count += 1
        return hashlib.sha256(f"corpus-salt-{self.count}".encode()).digest()[:size]


def sd_jwt(salts: Salts, *, issuer: DidKeyParty = ACADEMY, kid: str | None = None,
           holder: DidKeyParty | None = HOLDER, **times: Any) -> str:
    """An SD-JWT VC for the holder's key (every claim disclosable)."""
    claims = {"name": "Forklift Operation", "grade": "A"}
    return issue_sd_jwt_vc(claims, disclosable=sorted(claims), issuer_key=issuer.keypair,
                           issuer=issuer.did, vct="https://academy.example/badge",
                           kid=kid or issuer.vm,
                           holder_jwk=holder.keypair.public_key() if holder else None,
                           issued_at=datetime(2026, 1, 15, 9, tzinfo=UTC), random_bytes=salts,
                           **times)


def with_kb(token: str, *, key: DidKeyParty = HOLDER, nonce: str = CHALLENGE,
            audience: str = DOMAIN, issued_at: datetime = NOW) -> str:
    """The SD-JWT with every claim disclosed and a Key Binding JWT."""
    return present(token, disclose=["name", "grade"], holder_key=key.keypair, nonce=nonce,
                   audience=audience, issued_at=issued_at)


def vc_jwt(credential: dict[str, Any], *, party: DidKeyParty = ACADEMY,
           kid: str | None = None, **claims: Any) -> str:
    """A VC-JOSE token (typ vc+jwt) whose payload is the credential (plus JWT claims)."""
    payload = json.dumps({**credential, **claims}).encode()
    return sign_jws({"typ": "vc+jwt", "kid": kid or party.vm}, payload, party.keypair)


def _edit(doc: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    copy = json.loads(json.dumps(doc))
    change(copy)
    return copy


def _swap_payload(token: str, other: str) -> str:
    """A JWS with the signature of ``token`` over the payload of ``other``."""
    head, _, sig = token.split("~", 1)[0].split(".")
    body = other.split("~", 1)[0].split(".")[1]
    rest = token.split("~", 1)[1] if "~" in token else None
    jws = f"{head}.{body}.{sig}"
    return jws if rest is None else f"{jws}~{rest}"


# -- cases -----------------------------------------------------------------------------

def case(kind: str, ident: str, description: str, document: Any, outcome: str,
         expected: list[Finding], **options: Any) -> dict[str, Any]:
    """One corpus entry: the input, the context options and exactly what it must yield."""
    return {"id": f"{kind}/{ident}", "kind": kind, "description": description,
            "context": options, "input": document,
            "expect": {"outcome": outcome, "findings": expected}}


def F(path: str, name: str, status: str, code: str) -> Finding:  # noqa: N802 - table-like
    """One expected finding."""
    return [path, name, status, code]


KEY_FAIL = F("", "issuer_key", "failed", "issuer.key_not_controlled")
PRESENTED = {"challenge": CHALLENGE, "domain": DOMAIN}


def build_cases() -> list[dict[str, Any]]:
    """Every Python-made corpus case, in a fixed order."""
    salts = Salts()
    good_key = by_key(BADGES, ob3(BADGES.did, number=1,
                                  credentialStatus=statuses(BADGES_HOST)))
    good_web = by_web(COLLEGE, ob3(COLLEGE.did, number=2,
                                   credentialStatus=statuses(COLLEGE.host)))
    plain = by_key(BADGES, ob3(BADGES.did, number=3))
    token = sd_jwt(salts)
    jose = vc_jwt(ob3(ACADEMY.did, number=4))
    cases = [
        case("valid", "did-key-with-status", "did:key issuer, both status bits clear",
             good_key, "verified", []),
        case("valid", "did-web-with-status", "did:web issuer (document via the port)",
             good_web, "verified", []),
        case("valid", "presentation-two-issuers", "the holder presents two credentials",
             vp([good_key, good_web]), "verified", [], **PRESENTED),
        case("valid", "sd-jwt-with-key-binding", "SD-JWT VC answered with the holder's key",
             with_kb(token), "verified", [], **PRESENTED),
        case("valid", "vc-jose", "VC-JOSE compact token", jose, "verified", []),
        case("valid", "presentation-enveloped-vc-jose", "VC-JOSE enveloped in a presentation",
             vp([envelope(jose, media_type="application/vc+jwt")]), "verified", [],
             **PRESENTED),
    ]
    changed = F("", "proof", "failed", "proof.changed")
    cases += [
        case("tampered", "name-changed", "the credential's name edited after signing",
             _edit(plain, lambda d: d.__setitem__("name", "Welding III")), "not_verified",
             [changed]),
        case("tampered", "did-web-valid-until-added", "a later validUntil added",
             _edit(good_web, lambda d: d.__setitem__("validUntil", "2099-01-01T00:00:00Z")),
             "not_verified", [changed]),
        case("tampered", "subject-swapped-in-presentation",
             "the achievement inside a presented credential edited",
             vp([_edit(plain, lambda d: d["credentialSubject"]["achievement"].__setitem__(
                 "name", "Advanced Welding"))]),
             "not_verified", [F("credentials/0", "proof", "failed", "proof.changed")],
             **PRESENTED),
        case("tampered", "unsigned-property-added", "a property no context defines added",
             _edit(plain, lambda d: d.__setitem__("grade", "A+")), "not_verified",
             [F("", "proof", "failed", "proof.unsigned_data")]),
        case("tampered", "sd-jwt-payload-swapped", "SD-JWT payload replaced, signature kept",
             _swap_payload(token, sd_jwt(salts, holder=STRANGER)), "not_verified", [changed]),
        case("tampered", "vc-jose-payload-swapped", "VC-JOSE payload replaced",
             _swap_payload(jose, vc_jwt(ob3(ACADEMY.did, name="Welding IV", number=4))),
             "not_verified", [changed]),
    ]
    cases += [
        case("key_not_controlled", "did-key-of-another-key",
             "issuer is one did:key, the proof names another did:key's key",
             sign(ob3(BADGES.did, number=5), keypair=STRANGER.keypair,
                  verification_method=STRANGER.vm, created=SIGNED_AT),
             "not_verified", [KEY_FAIL]),
        case("key_not_controlled", "did-web-key-not-for-assertion",
             "the college's key-2 is listed for authentication only",
             by_web(COLLEGE, ob3(COLLEGE.did, number=6), "key-2"), "not_verified", [KEY_FAIL]),
        case("key_not_controlled", "did-web-controller-mismatch",
             "key-3 sits in the college's document but another DID controls it",
             by_web(COLLEGE, ob3(COLLEGE.did, number=7), "key-3"), "not_verified", [KEY_FAIL]),
        case("key_not_controlled", "did-web-key-absent",
             "the proof names a key the college's document does not have",
             sign(ob3(COLLEGE.did, number=8), keypair=STRANGER.keypair,
                  verification_method=COLLEGE.vm("key-9"), created=SIGNED_AT),
             "not_verified", [KEY_FAIL]),
        case("key_not_controlled", "sd-jwt-kid-of-another-did",
             "SD-JWT whose kid is a key of someone else", sd_jwt(salts, kid=STRANGER.vm),
             "not_verified", [KEY_FAIL]),
        case("key_not_controlled", "vc-jose-kid-of-another-did",
             "VC-JOSE signed by another DID's key",
             vc_jwt(ob3(ACADEMY.did, number=9), party=STRANGER), "not_verified", [KEY_FAIL]),
    ]
    unreachable = [F("", "proof", "skipped", "proof.cannot_check"),
                   F("", "issuer_key", "skipped", "issuer.unresolvable")]
    cases += [
        case("unreachable", "did-web-connection-refused", "the issuer's host refuses",
             by_web(OFFLINE, ob3(OFFLINE.did, number=10)), "incomplete", unreachable),
        case("unreachable", "did-web-timeout", "the issuer's host times out",
             by_web(TIMEOUT, ob3(TIMEOUT.did, number=11)), "incomplete", unreachable),
        case("unreachable", "did-web-http-503", "the issuer's host answers 503",
             by_web(DOWN, ob3(DOWN.did, number=12)), "incomplete", unreachable),
        case("unreachable", "did-web-no-dns", "the issuer's host name does not resolve",
             by_web(NO_DNS, ob3(NO_DNS.did, number=13)), "incomplete", unreachable),
        case("unreachable", "did-web-refused-with-status",
             "host refuses: neither the key nor the status list's signer can be checked",
             by_web(OFFLINE, ob3(OFFLINE.did, number=14, credentialStatus=status_entry(
                 _list_url(OFFLINE.host, "revocation"), CLEAR, "revocation"))),
             "incomplete", [*unreachable, F("", "status", "skipped", "status.unreachable")]),
        case("unreachable", "status-list-host-refuses",
             "the key is fine but the status list cannot be fetched",
             by_key(BADGES, ob3(BADGES.did, number=15,
                                credentialStatus=status_entry(GONE_LIST, CLEAR, "revocation"))),
             "incomplete", [F("", "status", "skipped", "status.unreachable")]),
    ]
    for kind, code, index, field in (("suspended", "status.suspended", SUSPENDED, "suspension"),
                                     ("revoked", "status.revoked", REVOKED, "revocation")):
        bits = {"purpose": field, "index": index}
        hit = F("", "status", "failed", code)
        cases += [
            case(kind, "did-key", f"{field} bit set in the did:key issuer's list",
                 by_key(BADGES, ob3(BADGES.did, number=20 + index,
                                    credentialStatus=statuses(BADGES_HOST, **bits))),
                 "not_verified", [hit]),
            case(kind, "did-web", f"{field} bit set in the college's list",
                 by_web(COLLEGE, ob3(COLLEGE.did, number=30 + index,
                                     credentialStatus=statuses(COLLEGE.host, **bits))),
                 "not_verified", [hit]),
            case(kind, "in-presentation", f"a presented credential with its {field} bit set",
                 vp([good_key, by_key(BADGES, ob3(BADGES.did, number=50 + index,
                                                  credentialStatus=statuses(BADGES_HOST,
                                                                            **bits)))]),
                 "not_verified", [F("credentials/1", "status", "failed", code)], **PRESENTED),
            case(kind, "vc-jose", f"a VC-JOSE credential whose {field} bit is set",
                 vc_jwt(ob3(BADGES.did, number=55 + index,
                            credentialStatus=statuses(BADGES_HOST, **bits)), party=BADGES),
                 "not_verified", [hit]),
        ]
    early, late = "2026-09-01T00:00:00Z", "2026-03-01T00:00:00Z"
    for kind, code, doc_dates, jwt_claims, sd_times in (
            ("not_yet_valid", "validity.not_yet_valid", {"validFrom": early},
             {"nbf": int(datetime(2026, 9, 1, tzinfo=UTC).timestamp())},
             {"not_before": datetime(2026, 9, 1, tzinfo=UTC)}),
            ("expired", "validity.expired", {"validUntil": late},
             {"exp": int(datetime(2026, 3, 1, tzinfo=UTC).timestamp())},
             {"expires_at": datetime(2026, 3, 1, tzinfo=UTC)})):
        hit = F("", "validity_period", "failed", code)
        cases += [
            case(kind, "did-key", "the credential's own dates",
                 by_key(BADGES, ob3(BADGES.did, number=60, **doc_dates)), "not_verified", [hit]),
            case(kind, "did-web", "the credential's own dates (did:web issuer)",
                 by_web(COLLEGE, ob3(COLLEGE.did, number=61, **doc_dates)), "not_verified",
                 [hit]),
            case(kind, "vc-jose-claims", "the JWT's nbf/exp claims",
                 vc_jwt(ob3(ACADEMY.did, number=62), **jwt_claims), "not_verified", [hit]),
            case(kind, "sd-jwt", "the SD-JWT's nbf/exp", sd_jwt(salts, **sd_times),
                 "not_verified", [hit]),
            case(kind, "in-presentation", "a presented credential outside its dates",
                 vp([by_key(BADGES, ob3(BADGES.did, number=63, **doc_dates))]), "not_verified",
                 [F("credentials/0", "validity_period", "failed", code)], **PRESENTED),
        ]
    stranger_cred = by_key(BADGES, ob3(BADGES.did, STRANGER.did, number=70))
    cases += [
        case("holder_mismatch", "subject-is-someone-else",
             "the holder presents a credential issued to a stranger", vp([stranger_cred]),
             "not_verified", [F("", "holder_binding", "failed", "holder.mismatch"),
                              F("credentials/0", "holder_binding", "failed", "holder.mismatch")],
             **PRESENTED),
        case("holder_mismatch", "stranger-presents-holders-credential",
             "a stranger presents the learner's credential as their own", vp([plain],
                                                                              holder=STRANGER),
             "not_verified", [F("", "holder_binding", "failed", "holder.mismatch"),
                              F("credentials/0", "holder_binding", "failed", "holder.mismatch")],
             **PRESENTED),
        case("holder_mismatch", "presentation-signed-by-stranger",
             "the presentation names the holder but a stranger signed it",
             vp([plain], signer=STRANGER), "not_verified",
             [F("", "holder_binding", "failed", "holder.key_not_controlled")], **PRESENTED),
        case("holder_mismatch", "sd-jwt-kb-by-another-key",
             "an SD-JWT's Key Binding JWT signed by a stranger's key",
             with_kb(token, key=STRANGER), "not_verified",
             [F("", "holder_binding", "failed", "holder.mismatch")], **PRESENTED),
        case("holder_mismatch", "enveloped-sd-jwt-kb-by-another-key",
             "the same, enveloped in the holder's presentation",
             vp([with_kb(token, key=STRANGER)]), "not_verified",
             [F("", "holder_binding", "failed", "holder.mismatch"),
              F("credentials/0", "holder_binding", "failed", "holder.mismatch")], **PRESENTED),
        case("holder_mismatch", "vc-jose-subject-is-someone-else",
             "an enveloped VC-JOSE credential issued to a stranger",
             vp([envelope(vc_jwt(ob3(ACADEMY.did, STRANGER.did, number=71)),
                          media_type="application/vc+jwt")]), "not_verified",
             [F("", "holder_binding", "failed", "holder.mismatch"),
              F("credentials/0", "holder_binding", "failed", "holder.mismatch")], **PRESENTED),
    ]
    cases += [
        case("replay", "presentation-other-challenge",
             "a presentation made for an earlier request", vp([plain], challenge="earlier-1"),
             "not_verified", [F("", "proof", "failed", "presentation.challenge_mismatch")],
             **PRESENTED),
        case("replay", "presentation-other-domain", "a presentation made for another verifier",
             vp([plain], domain="https://other-employer.example"), "not_verified",
             [F("", "proof", "failed", "presentation.domain_mismatch")], **PRESENTED),
        case("replay", "sd-jwt-kb-other-nonce", "a Key Binding JWT for another nonce",
             with_kb(token, nonce="earlier-1"), "not_verified",
             [F("", "holder_binding", "failed", "presentation.challenge_mismatch")],
             **PRESENTED),
        case("replay", "sd-jwt-kb-other-audience", "a Key Binding JWT for another verifier",
             with_kb(token, audience="https://other-employer.example"), "not_verified",
             [F("", "holder_binding", "failed", "presentation.audience_mismatch")],
             **PRESENTED),
        case("replay", "sd-jwt-kb-stale", "a Key Binding JWT from a day ago, sent again",
             with_kb(token, issued_at=datetime(2026, 5, 31, 12, tzinfo=UTC)), "not_verified",
             [F("", "holder_binding", "failed", "presentation.stale")], **PRESENTED),
        case("replay", "enveloped-kb-other-nonce",
             "an enveloped SD-JWT whose Key Binding answers another request",
             vp([with_kb(token, nonce="earlier-1")]), "not_verified",
             [F("", "holder_binding", "failed", "presentation.challenge_mismatch"),
              F("credentials/0", "holder_binding", "failed", "presentation.challenge_mismatch")],
             **PRESENTED),
    ]
    return cases


def render(value: Any) -> bytes:
    """The committed form of a JSON file (stable, readable, newline-terminated)."""
    return (json.dumps(value, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def build() -> dict[str, bytes]:
    """File name (relative to data/) -> bytes, for every corpus file."""
    files = {"ports.json": render(build_ports())}
    cases = build_cases()
    for kind in KINDS:
        files[f"{kind}.json"] = render([c for c in cases if c["kind"] == kind])
    return files


def main(argv: list[str]) -> int:
    """Write the corpus files (into data/, or the folder given)."""
    out = Path(argv[0]) if argv else DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    for name, content in build().items():
        (out / name).write_bytes(content)
    print(f"wrote {len(build_cases())} cases to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
