"""The skills profile page's evidence strength, recency, curation and download, through the
app: strength in words with an icon, the most recent evidence as a date and "3 years ago" /
"hace 3 años", expired records said so, sorting by strength and recency, featuring, hiding
every self-reported skill and undoing it, and the OB 3.0 alignments download (attachment,
schema-valid, only chosen visible skills, skills without a web address named and left out)."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime

import pytest
from jsonschema import Draft201909Validator

from helpers import shared_dir
from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput, AlignmentInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.storage import db as storage_db
from openler.wallet import service
from openler.wallet.crypto import MasterKey
from openler.wallet.models import CheckReport

APP_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
WELDING = "https://skills.example.org/welding"
FILE = "/wallet/skills/export/skills-alignments.json"


def _issue(s, issuer, wallet, org_id, learner_id, now, name, alignments):
    course = catalog.create_achievement(
        s, config=issuer, org_id=org_id, now=now,
        data=AchievementInput(name=name, description="A course.", criteria="Passed.",
                              alignments=alignments))
    row = awards.award(s, config=issuer, org_id=org_id, achievement_id=course.id,
                       recipient_email="learner@example.org", now=now)
    token = offers.create_offer(s, org_id=org_id, award_id=row.id, now=now).token
    s.commit()
    record = service.receive_from_claim(s, config=wallet, user_id=learner_id, token=token,
                                        now=now)
    service.accept(s, config=wallet, user_id=learner_id, record_id=record.id, now=now)
    s.commit()


def _mine(s, wallet, learner_id, now, name, alignments, valid_until=""):
    did = service.wallet_did(s, config=wallet, user_id=learner_id, now=now)
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"urn:uuid:{uuid.uuid4()}", "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "Ana Learner"},
        "validFrom": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {"id": did, "type": ["AchievementSubject"], "achievement": {
            "id": f"urn:uuid:{uuid.uuid4()}", "type": ["Achievement"], "name": name,
            "criteria": {"narrative": "I did it."}, "alignment": alignments}}}
    if valid_until:
        credential["validUntil"] = valid_until
    service.store(s, config=wallet, user_id=learner_id, credential=credential, source="self",
                  now=now, state="kept", report=CheckReport("not_verified", (), now.isoformat()))
    s.commit()


@pytest.fixture
def skills(accounts, clean_db, clock):
    """A college welding course three years ago, and two self-reported records today: one
    backs welding and singing, one (expired) backs knitting."""
    _, org_id = accounts.org_owner("owner@college.example", "Example College")
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    issuer = IssuerConfig(base=PublicBase.parse("http://testserver"), vault=KeyVault(APP_SECRET))
    wallet = service.WalletConfig(master=MasterKey(APP_SECRET), issuer=issuer)
    today = clock()
    with storage_db.make_sessionmaker(clean_db)() as s:
        clock.now = datetime(2023, 11, 1, 9, 0, tzinfo=UTC)
        _issue(s, issuer, wallet, org_id, learner_id, clock(), "Welding Basics", [
            AlignmentInput(target_name="Welding", target_url=WELDING, target_framework="ESCO",
                           target_code="S6.1"),
            AlignmentInput(target_name="Welders", target_framework="O*NET-SOC",
                           target_code="51-4121.00",
                           target_url="https://www.onetonline.org/link/summary/51-4121.00")])
        clock.now = today
        _mine(s, wallet, learner_id, clock(), "Garage projects", [
            {"type": ["Alignment"], "targetName": "welding"},
            {"type": ["Alignment"], "targetName": "Singing"}])
        _mine(s, wallet, learner_id, clock(), "Knitting club", [
            {"type": ["Alignment"], "targetName": "Knitting",
             "targetUrl": "https://skills.example.org/knitting"}],
            valid_until="2026-01-31T00:00:00Z")
    return learner_id


def _csrf(client, path="/wallet/skills"):
    return CSRF.search(client.get(path).text).group(1)


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": _csrf(client), **data},
                       follow_redirects=False)


def _rows(html: str) -> list[str]:
    table = html.split('class="skills-table"', 1)[1].split("</table>", 1)[0]
    return table.split("<tbody>", 1)[1].split("<tr>")[1:]


def _names(html: str) -> list[str]:
    return [re.search(r'<th scope="row">([^<]+)', row).group(1) for row in _rows(html)]


def _key(html: str, name: str) -> str:
    row = next(r for r in _rows(html) if f'<th scope="row">{name}<' in r)
    return re.search(r'name="key" value="([^"]+)"', row).group(1)


def test_strength_and_recency_in_words(client, web, skills):
    web.sign_in(client, "learner@example.org")
    html = client.get("/wallet/skills").text
    assert "Strongest evidence</th>" in html and "Most recent evidence</th>" in html
    rows = dict(zip(_names(html), _rows(html), strict=True))
    welding = rows["Welding"]
    strongest = welding.split("<td>", 2)[1].split("</td>", 1)[0]
    assert 'class="strength strength-completion"' in strongest
    assert '<svg class="strength-icon" aria-hidden="true"' in strongest
    assert "Verified completion" in strongest
    # the most recent evidence is today's self-reported record; the course is 3 years old
    assert "23 November 2026" in welding and "today" in welding
    assert "1 November 2023" in rows["Welders"] and "3 years ago" in rows["Welders"]
    assert "Self-reported" in rows["Singing"].split("<td>", 2)[1].split("</td>", 1)[0]
    assert "Expired on 31 January 2026" in rows["Knitting"]
    assert "Expired" not in welding
    client.get("/language/es?next=/")
    es = client.get("/wallet/skills").text
    assert "hace 3 años" in es and "Finalización verificada" in es
    assert "Caducó el 31 de enero de 2026" in es and "Evidencia más reciente" in es


def test_sort_by_strength_recent_and_name(client, web, skills):
    web.sign_in(client, "learner@example.org")
    default = _names(client.get("/wallet/skills").text)
    assert default[0] == "Welding"  # most records
    assert _names(client.get("/wallet/skills?sort=strength").text) == [
        "Welding", "Welders", "Knitting", "Singing"]
    recent = _names(client.get("/wallet/skills?sort=recent").text)
    assert recent[-1] == "Welders"  # only the 2023 course behind it
    assert _names(client.get("/wallet/skills?sort=name").text) == [
        "Knitting", "Singing", "Welders", "Welding"]
    page = client.get("/wallet/skills?sort=recent").text
    assert '<option value="recent" selected>' in page
    assert _names(client.get("/wallet/skills?sort=%3Cscript%3E").text) == default
    # the chart follows the chosen order
    bars = re.findall(r'class="bar-label">([^<(]+) \(', client.get("/wallet/skills?sort=name").text)
    assert bars == ["Knitting", "Singing", "Welders", "Welding"]


def test_feature_then_stop(client, web, skills):
    web.sign_in(client, "learner@example.org")
    key = _key(client.get("/wallet/skills").text, "Singing")
    done = _post(client, "/wallet/skills/feature", key=key, sort="name")
    assert done.status_code == 303 and done.headers["location"] == "/wallet/skills?sort=name"
    html = client.get("/wallet/skills").text
    assert "The skill is featured: it comes first in your profile." in html
    assert _names(html)[0] == "Singing"
    assert 'class="featured-mark"' in _rows(html)[0]
    assert 'action="/wallet/skills/unfeature"' in _rows(html)[0]
    assert _post(client, "/wallet/skills/unfeature", key=key).headers["location"] == \
        "/wallet/skills"
    html = client.get("/wallet/skills").text
    assert "The skill is no longer featured." in html and _names(html)[0] == "Welding"
    assert _post(client, "/wallet/skills/feature", key="name:nothing").status_code == 404


def test_hide_every_self_reported_skill_and_undo(client, web, skills):
    web.sign_in(client, "learner@example.org")
    html = client.get("/wallet/skills").text
    assert "Hide every skill backed only by what you reported yourself (2)" in html
    assert _post(client, "/wallet/skills/hide-self-reported").status_code == 303
    html = client.get("/wallet/skills").text
    assert "2 self-reported skills are hidden. You can show them again below." in html
    assert _names(html) == ["Welding", "Welders"]
    hidden = html.split('id="hidden-title"', 1)[1]
    assert "Singing" in hidden and "Knitting" in hidden
    assert "Hide every skill backed only" not in html
    assert _post(client, "/wallet/skills/hide-self-reported").status_code == 303
    assert "No skill in your profile rests only on self-reported records." in \
        client.get("/wallet/skills").text
    assert _post(client, "/wallet/skills/show-all").status_code == 303
    html = client.get("/wallet/skills").text
    assert "2 skills are back in your profile." in html and len(_names(html)) == 4
    client.get("/language/es?next=/")
    es = client.get("/wallet/skills").text
    assert "Ocultar todas las habilidades respaldadas solo por lo que usted declaró (2)" in es


def _alignment_schema() -> Draft201909Validator:
    path = shared_dir() / "vectors" / "schemas" / "ob_v3p0_achievementcredential_schema.json"
    whole = json.loads(path.read_text("utf-8"))
    return Draft201909Validator({"$ref": "#/$defs/Alignment", "$defs": whole["$defs"]})


def test_export_page_and_download(client, web, skills):
    web.sign_in(client, "learner@example.org")
    page = client.get("/wallet/skills/export")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html = page.text
    assert html.count('type="checkbox" name="key"') == 3 and html.count(" checked>") == 3
    missing = html.split('id="missing-title"', 1)[1]
    assert "Singing" in missing  # no web address: named, and not offered
    assert '<a href="/wallet/skills" aria-current="page">' in html
    whole = client.get(f"{FILE}")
    assert whole.status_code == 200
    assert whole.headers["content-disposition"] == \
        'attachment; filename="skills-alignments.json"'
    assert whole.headers["content-type"].startswith("application/json")
    assert whole.headers["cache-control"] == "no-store"
    data = whole.json()
    assert [a["targetName"] for a in data] == ["Welding", "Welders", "Knitting"]
    schema = _alignment_schema()
    for item in data:
        assert not list(schema.iter_errors(item)), item
    welders = next(a for a in data if a["targetName"] == "Welders")
    assert welders["targetType"] == "ext:Occupation" and welders["targetCode"] == "51-4121.00"
    assert next(a for a in data if a["targetName"] == "Welding")["targetType"] == \
        "ext:Skill"
    keys = re.findall(r'name="key" value="([^"]+)"', html)
    chosen = client.get(FILE, params=[("chosen", "1"), ("key", keys[0])]).json()
    assert [a["targetName"] for a in chosen] == ["Welding"]
    nothing = client.get(FILE, params={"chosen": "1"})
    assert nothing.status_code == 400 and "There is a problem" in nothing.text
    assert 'href="#field-key"' in nothing.text and 'id="field-key"' in nothing.text
    # a hidden skill is never in the file, even when asked for by key
    hide = client.post("/wallet/skills/hide", data={"csrf_token": _csrf(client),
                                                    "key": keys[0]}, follow_redirects=False)
    assert hide.status_code == 303
    assert "Welding" not in [a["targetName"] for a in client.get(FILE).json()]
    refused = client.get(FILE, params=[("chosen", "1"), ("key", keys[0])])
    assert refused.status_code == 400
    client.get("/language/es?next=/")
    es = client.get("/wallet/skills/export").text
    assert "Descargar sus habilidades como alineaciones" in es


def test_export_needs_sign_in(make_client, skills):
    visitor = make_client()
    for path in ("/wallet/skills/export", FILE):
        reply = visitor.get(path, follow_redirects=False)
        assert reply.status_code == 303 and reply.headers["location"].startswith("/sign-in")


def test_an_endorsement_kept_in_the_wallet_is_shown_as_evidence(client, web, accounts,
                                                                clean_db, clock, skills):
    from openler.issuer import service as issuer_service

    guild_id = accounts.org_owner("owner@guild.example", "Welders Guild")[1]
    issuer = IssuerConfig(base=PublicBase.parse("http://testserver"), vault=KeyVault(APP_SECRET))
    wallet = service.WalletConfig(master=MasterKey(APP_SECRET), issuer=issuer)
    with storage_db.make_sessionmaker(clean_db)() as s:
        course = next(r for r in service.records(s, config=wallet, user_id=skills)
                      if r.summary.achievement_name == "Welding Basics")
        signed, _ = issuer_service.issue_credential(
            s, config=issuer, org_id=guild_id, now=clock(), credential={
                "@context": ["https://www.w3.org/ns/credentials/v2",
                             "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                "type": ["VerifiableCredential", "EndorsementCredential"],
                "name": "Guild endorsement",
                "credentialSubject": {
                    "id": course.credential["credentialSubject"]["achievement"]["id"],
                    "type": ["EndorsementSubject"],
                    "endorsementComment": "Taught to <b>industry</b> standard."}})
        kept = service.store(s, config=wallet, user_id=skills, credential=signed,
                             source="import", now=clock(), state="kept")
        s.commit()
    assert kept.arrival.outcome == "verified"
    web.sign_in(client, "learner@example.org")
    rows = dict(zip(*(lambda h: (_names(h), _rows(h)))(client.get("/wallet/skills").text),
                    strict=True))
    welders = rows["Welders"]
    assert "strength strength-endorsement" in welders and "Endorsement, verified" in welders
    assert f'<a href="/wallet/records/{kept.id}">Welders Guild endorses the achievement ' \
        "“Welding Basics”</a>" in welders
    assert "Taught to &lt;b&gt;industry&lt;/b&gt; standard." in welders
    assert "Records: 2 (verified: 2" in welders
    assert welders.index("Verified completion") < welders.index("Endorsement, verified")
    client.get("/language/es?next=/")
    es = client.get("/wallet/skills").text
    assert "Welders Guild respalda el logro «Welding Basics»" in es
    assert "Respaldo, verificado" in es
