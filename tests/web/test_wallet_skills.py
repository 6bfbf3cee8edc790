"""The skills profile page through the app: a chart (inline SVG, role img, worded legend) and a
table with the records behind each skill, self-reported evidence in words, hide and show
with CSRF, the hidden section, the empty state, Spanish, 404 for keys that are not the
learner's, sign-in required, and an alignment URL that is not a web address never linked."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

import pytest

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
KEY = re.compile(r'name="key" value="([^"]+)"')
WELDING = "https://skills.example.org/welding"


def _issue(s, issuer, wallet, org_id, learner_id, now: datetime, name, alignments):
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
    return record.id


def _self_reported(s, wallet, learner_id, now: datetime, name, alignments):
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
    record = service.store(s, config=wallet, user_id=learner_id, credential=credential,
                           source="self", now=now, state="kept",
                           report=CheckReport("not_verified", (), now.isoformat()))
    s.commit()
    return record.id


def _college_and_learner(accounts):
    """Example College (issuer) and learner@example.org, with the app's configurations."""
    _, org_id = accounts.org_owner("owner@college.example", "Example College")
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    issuer = IssuerConfig(base=PublicBase.parse("http://testserver"), vault=KeyVault(APP_SECRET))
    wallet = service.WalletConfig(master=MasterKey(APP_SECRET), issuer=issuer)
    return issuer, wallet, org_id, learner_id


@pytest.fixture
def skills(accounts, clean_db, clock):
    """learner@example.org keeps two college records and one self-reported record."""
    issuer, wallet, org_id, learner_id = _college_and_learner(accounts)
    accounts.learner("other@example.org", "Otto Other")
    with storage_db.make_sessionmaker(clean_db)() as s:
        first = _issue(s, issuer, wallet, org_id, learner_id, clock(), "Welding Basics", [
            AlignmentInput(target_name="Welding", target_url=WELDING, target_framework="ESCO",
                           target_code="S6.1")])
        second = _issue(s, issuer, wallet, org_id, learner_id, clock(), "Welding Advanced", [
            AlignmentInput(target_name="MIG welding", target_url=WELDING),
            AlignmentInput(target_name="Welders", target_framework="O*NET-SOC",
                           target_code="51-4121.00",
                           target_url="https://www.onetonline.org/link/summary/51-4121.00")])
        mine = _self_reported(s, wallet, learner_id, clock(), "Garage projects", [
            {"type": ["Alignment"], "targetName": "welding"},
            {"type": ["Alignment"], "targetName": "<b>Bold</b> soldering",
             "targetUrl": "javascript:alert(1)"}])
    return {"first": first, "second": second, "mine": mine}


def _post(client, path, data):
    token = CSRF.search(client.get("/wallet/skills").text).group(1)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _table(html: str) -> str:
    return html.split('class="skills-table"', 1)[1].split("</table>", 1)[0]


def _keys(html: str) -> dict[str, str]:
    """Skill name (from the hide/show button's hidden text) -> its key."""
    found = {}
    for form in re.findall(r"<form method=\"post\" action=\"/wallet/skills/(?:hide|show)\".*?</form>",
                           html, re.S):
        name = re.search(r'class="visually-hidden"> ([^<]+)</span>', form).group(1)
        found[name] = KEY.search(form).group(1)
    return found


def test_chart_table_and_records_behind_each_skill(client, web, skills):
    web.sign_in(client, "learner@example.org")
    page = client.get("/wallet/skills")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    html = page.text
    assert '<a href="/wallet/skills" aria-current="page">' in html
    svg = re.search(r'<svg class="skills-chart"[^>]*>', html).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="skills-chart-name"' in svg
    assert 'aria-describedby="skills-chart-alt"' in svg
    assert '<title id="skills-chart-name">Bar chart: the number of records behind each skill' \
        in html
    assert "Stripes with a dashed edge: self-reported" in html and "Solid blue:" in html
    # Welding merged three records (url, then folded name); the self-reported part is striped
    assert ">Welding (3)</text>" in html
    assert html.count('fill="url(#skills-stripes)"') == 3  # legend + two bars
    table = _table(html)
    for record_id in skills.values():
        assert f'href="/wallet/records/{record_id}"' in table
    welding_row = table.split("<tr>")[2]
    assert "Records: 3 (verified: 2, not verified: 0, self-reported: 1)" in welding_row
    assert welding_row.index("Welding Basics") < welding_row.index("Garage projects")
    assert "Self-reported" in welding_row and "Verified completion" in welding_row
    assert f'<a href="{WELDING}" rel="noopener noreferrer">ESCO S6.1</a>' in welding_row
    assert ">Occupation</td>" in table  # the O*NET-SOC alignment
    # what the learner wrote is escaped, and a script address is never a link
    assert "&lt;b&gt;Bold&lt;/b&gt; soldering" in table and "<b>Bold</b>" not in html
    assert 'href="javascript:' not in html and "<a href=\"javascript" not in html


def test_hide_and_show_a_skill(client, web, skills):
    web.sign_in(client, "learner@example.org")
    keys = _keys(client.get("/wallet/skills").text)
    assert set(keys) == {"Welding", "Welders", "&lt;b&gt;Bold&lt;/b&gt; soldering"}
    hidden = _post(client, "/wallet/skills/hide", {"key": keys["Welders"]})
    assert hidden.status_code == 303 and hidden.headers["location"] == "/wallet/skills"
    html = client.get("/wallet/skills").text
    assert "The skill is hidden from your profile." in html
    assert "Welders" not in _table(html) and ">Welders (" not in html
    hidden_part = html.split('id="hidden-title"', 1)[1]
    assert "Welders" in hidden_part and 'action="/wallet/skills/show"' in hidden_part
    shown = _post(client, "/wallet/skills/show", {"key": keys["Welders"]})
    assert shown.status_code == 303
    html = client.get("/wallet/skills").text
    assert "The skill is back in your profile." in html
    assert "Welders" in _table(html) and 'id="hidden-title"' not in html


def test_everything_hidden_then_spanish(client, web, skills):
    web.sign_in(client, "learner@example.org")
    for key in _keys(client.get("/wallet/skills").text).values():
        assert _post(client, "/wallet/skills/hide", {"key": key}).status_code == 303
    html = client.get("/wallet/skills").text
    assert "Every skill from your records is hidden" in html
    assert '<svg class="skills-chart"' not in html and '<table class="skills-table"' not in html
    client.get("/language/es?next=/")
    es = client.get("/wallet/skills").text
    assert '<html lang="es">' in es and "Su perfil de habilidades" in es
    assert "Ocultas en su perfil" in es and ">Mostrar<" in es


def test_spanish_chart_and_table(client, web, skills):
    web.sign_in(client, "learner@example.org")
    client.get("/language/es?next=/")
    es = client.get("/wallet/skills").text
    assert "Gráfico de barras" in es and "Autodeclarado" in es
    assert "Registros: 3 (verificados: 2, no verificados: 0, autodeclarados: 1)" in es
    assert ">Ocupación</td>" in es and ">Ocultar<" in es


def test_empty_profile_in_plain_words(client, web, accounts):
    accounts.learner("new@example.org", "Nadia New")
    web.sign_in(client, "new@example.org")
    html = client.get("/wallet/skills").text
    assert "Your profile has no skills yet." in html
    assert "<svg" not in html.split('id="main"', 1)[1] and "<table" not in html


def test_keys_of_other_learners_or_unknown_are_404(client, make_client, web, skills):
    web.sign_in(client, "learner@example.org")
    keys = _keys(client.get("/wallet/skills").text)
    other = make_client()
    web.sign_in(other, "other@example.org")
    for path in ("/wallet/skills/hide", "/wallet/skills/show"):
        assert _post(other, path, {"key": keys["Welding"]}).status_code == 404
        assert _post(client, path, {"key": "url:https://nowhere.example"}).status_code == 404
        assert _post(client, path, {}).status_code == 404
    assert "Welding" in _table(client.get("/wallet/skills").text)


def test_forms_need_csrf_and_sign_in(client, make_client, web, skills):
    visitor = make_client()
    reply = visitor.get("/wallet/skills", follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"].startswith("/sign-in")
    web.sign_in(client, "learner@example.org")
    key = _keys(client.get("/wallet/skills").text)["Welding"]
    for path in ("/wallet/skills/hide", "/wallet/skills/show"):
        assert client.post(path, data={"key": key}, follow_redirects=False).status_code == 403
    assert "Welding" in _table(client.get("/wallet/skills").text)


def test_the_chart_draws_twelve_and_the_table_lists_all(client, web, accounts, clean_db, clock):
    issuer, wallet, org_id, learner_id = _college_and_learner(accounts)
    with storage_db.make_sessionmaker(clean_db)() as s:
        _issue(s, issuer, wallet, org_id, learner_id, clock(), "Many skills", [
            AlignmentInput(target_name=f"Skill number {n:02d}",
                           target_url=f"https://skills.example.org/{n}") for n in range(13)])
    web.sign_in(client, "learner@example.org")
    html = client.get("/wallet/skills").text
    assert html.count('class="bar-label"') == 12
    assert "The chart shows the 12 skills with the most records; the table lists them all." \
        in html
    assert _table(html).count('<th scope="row">') == 13
    assert "Skill number 12" in _table(html)


def test_skills_of_two_frameworks_alike_in_meaning_are_one_row_that_says_why(
        client, web, accounts, clean_db, clock):
    """O*NET's "Project Management" and ESCO's "manage projects": one row, both records,
    and a sentence naming both, how alike they are and the threshold."""
    issuer, wallet, org_id, learner_id = _college_and_learner(accounts)
    with storage_db.make_sessionmaker(clean_db)() as s:
        _issue(s, issuer, wallet, org_id, learner_id, clock(), "Team Leadership", [
            AlignmentInput(target_name="Project Management", target_framework="O*NET",
                           target_code="2.B.5.d",
                           target_url="https://www.onetonline.org/find/descriptor/result/2.B.5.d")])
        _issue(s, issuer, wallet, org_id, learner_id, clock(), "Site Planning", [
            AlignmentInput(target_name="manage projects", target_framework="ESCO",
                           target_url="http://data.europa.eu/esco/skill/"
                                      "7111b95d-0ce3-441a-9d92-4c75d05c4388")])
    web.sign_in(client, "learner@example.org")
    table = _table(client.get("/wallet/skills").text)
    rows = table.split("<tbody>", 1)[1].split("<tr>")[1:]
    assert len(rows) == 1
    assert "Team Leadership" in rows[0] and "Site Planning" in rows[0]
    said = re.search(r"“manage projects” \(ESCO\) and “Project Management” \(O\*NET\) are "
                     r"taken as one skill: their meanings are (\d+)% alike, and 85% or more "
                     r"counts as the same\.", rows[0])
    assert said and 85 <= int(said.group(1)) < 100
    client.get("/language/es?next=/")
    es = client.get("/wallet/skills").text
    assert "se toman como una sola habilidad" in es and "a partir del 85 %" in es


def test_a_crosswalk_makes_one_row_that_names_it(client, web, accounts, clean_db, clock):
    """A stored crosswalk calls O*NET's "Active Listening" and ESCO's "listen actively" the
    same (their names are too far apart for the meaning rule): one row, named crosswalk."""
    from openler.skills_service import crosswalks

    issuer, wallet, org_id, learner_id = _college_and_learner(accounts)
    onet = "https://www.onetonline.org/find/descriptor/result/2.A.1.b"
    esco = "http://data.europa.eu/esco/skill/listen-actively"
    with storage_db.make_sessionmaker(clean_db)() as s:
        crosswalks.import_crosswalk(s, name="ESCO-O*NET skills", now=clock(),
                                    links=[crosswalks.Link(onet, esco, "exactMatch")])
        for course, name, url in (("Care Basics", "Active Listening", onet),
                                  ("Front Desk", "listen actively", esco)):
            _issue(s, issuer, wallet, org_id, learner_id, clock(), course,
                   [AlignmentInput(target_name=name, target_url=url)])
    web.sign_in(client, "learner@example.org")
    rows = _table(client.get("/wallet/skills").text).split("<tbody>", 1)[1].split("<tr>")[1:]
    assert len(rows) == 1
    assert "Care Basics" in rows[0] and "Front Desk" in rows[0]
    assert ("Taken as one skill by the crosswalk “ESCO-O*NET skills”, which lists these "
            "frameworks' entries as the same.") in rows[0]
