"""Pathway pages through the app: the GET search form (accent-insensitive, page language),
suggestions from the learner's own occupations, one occupation's pathway with the skills
shown (and the records behind them), the skills to build, where to learn them, the summary
bar with its table, the stated threshold or the exact-only fallback, Spanish, private
headers, sign-in required and 404 for what is not an occupation."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

import pytest
from sqlalchemy import select

from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput, AlignmentInput
from openler.issuer.delivery import offers
from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.skills.encoder import ModelUnavailableError
from openler.skills_service import frameworks_onet
from openler.skills_service.frameworks import FrameworkInput, ItemInput, write
from openler.storage import db as storage_db
from openler.storage.tables_frameworks import FrameworkItem
from openler.wallet import pathways, service
from openler.wallet.crypto import MasterKey
from openler.wallet.models import CheckReport

APP_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
LISTEN = "https://esco.example.org/skill/listen-actively"
NURSE_ASSISTANT = "https://esco.example.org/occupation/nurse-assistant"
PATHWAY_LINK = re.compile(r'<a href="(/wallet/pathways/[0-9a-f]+)">([^<]+)</a>')


def _course(s, issuer, org_id, now: datetime, name: str, alignments) -> str:
    return catalog.create_achievement(
        s, config=issuer, org_id=org_id, now=now,
        data=AchievementInput(name=name, description="A course.", criteria="Passed.",
                              alignments=alignments)).id


def _earn(s, issuer, wallet, org_id, learner_id, now: datetime, achievement_id) -> str:
    row = awards.award(s, config=issuer, org_id=org_id, achievement_id=achievement_id,
                       recipient_email="learner@example.org", now=now)
    token = offers.create_offer(s, org_id=org_id, award_id=row.id, now=now).token
    s.commit()
    record = service.receive_from_claim(s, config=wallet, user_id=learner_id, token=token,
                                        now=now)
    service.accept(s, config=wallet, user_id=learner_id, record_id=record.id, now=now)
    s.commit()
    return record.id


def fake_similar(queries, candidates):
    """Alike by meaning only for the one pair the tests expect (no model needed)."""
    return [[(i, 0.91) for i, c in enumerate(candidates)
             if q == "Active Listening" and c == "listen actively"] for q in queries]


@pytest.fixture
def data(accounts, clean_db, clock, monkeypatch):
    """The O*NET demo subset, an occupation with Spanish labels, a college catalog, and a
    learner who earned "Communication Basics" (Speaking by code, "listen actively")."""
    monkeypatch.setattr(pathways, "_default_similar", fake_similar)
    _, org_id = accounts.org_owner("owner@college.example", "Example College")
    learner_id = accounts.learner("learner@example.org", "Ana Learner")
    accounts.learner("other@example.org", "Otto Other")
    issuer = IssuerConfig(base=PublicBase.parse("http://testserver"), vault=KeyVault(APP_SECRET))
    wallet = service.WalletConfig(master=MasterKey(APP_SECRET), issuer=issuer)
    with storage_db.make_sessionmaker(clean_db)() as s:
        frameworks_onet.import_onet(s, directory=frameworks_onet.DEMO_DIR, now=clock())
        write(s, meta=FrameworkInput(key="ESCO-T", name="ESCO test occupations",
                                     source="esco", uri="https://esco.example.org/test"),
              items=[ItemInput(uri=NURSE_ASSISTANT, kind="occupation", code="5321.1",
                               labels={"en": "nurse assistant",
                                       "es": "auxiliar de enfermería"})], now=clock())
        speaking = AlignmentInput(target_name="Speaking", target_url="https://s.example/speak",
                                  target_framework="O*NET", target_code="2.A.1.d")
        listening = AlignmentInput(target_name="listen actively", target_url=LISTEN,
                                   target_framework="ESCO", target_code="a17286c5")
        occupation = AlignmentInput(target_name="nurse assistant", target_url=NURSE_ASSISTANT)
        basics = _course(s, issuer, org_id, clock(), "Communication Basics",
                         [speaking, listening, occupation])
        _course(s, issuer, org_id, clock(), "Clinical Judgment", [AlignmentInput(
            target_name="Critical Thinking", target_url="https://s.example/think",
            target_framework="O*NET", target_code="2.A.2.a")])
        _course(s, issuer, org_id, clock(), "Caring Conversations", [AlignmentInput(
            target_name="Social perceptiveness", target_url="https://s.example/social")])
        s.commit()
        record = _earn(s, issuer, wallet, org_id, learner_id, clock(), basics)
        skill_id = s.scalar(select(FrameworkItem.id).where(
            FrameworkItem.uri == "https://www.onetonline.org/find/descriptor/result/2.B.3.e"))
    return {"record": record, "org_id": org_id, "skill_id": skill_id, "wallet": wallet,
            "learner_id": learner_id}


def _nurse_path(client) -> str:
    page = client.get("/wallet/pathways", params={"q": "registered nurse"}).text
    links = dict((label, href) for href, label in PATHWAY_LINK.findall(page))
    return links["Registered Nurses"]


def test_search_page_form_results_and_suggestions(client, web, data):
    web.sign_in(client, "learner@example.org")
    page = client.get("/wallet/pathways")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    html = page.text
    assert '<form method="get" action="/wallet/pathways"' in html
    assert '<label for="field-q">Occupation or role</label>' in html
    assert '<a href="/wallet/pathways" aria-current="page">Pathways</a>' in html
    # the learner's own record names the nurse assistant occupation
    suggested = html.split('id="suggested-title"', 1)[1]
    assert [label for _, label in PATHWAY_LINK.findall(suggested)] == ["nurse assistant"]
    found = client.get("/wallet/pathways", params={"q": "  SOFTWARE  "}).text
    results = found.split('id="found-title"', 1)[1].split('id="suggested-title"', 1)[0]
    assert [label for _, label in PATHWAY_LINK.findall(results)] == ["Software Developers"]
    assert 'value="SOFTWARE"' in found
    none = client.get("/wallet/pathways", params={"q": "astronaut"}).text
    assert "No occupation matches “astronaut”." in none


def test_search_is_accent_insensitive_and_in_the_page_language(client, web, data):
    web.sign_in(client, "learner@example.org")
    client.get("/language/es?next=/")
    html = client.get("/wallet/pathways", params={"q": "ENFERMERIA"}).text
    assert '<html lang="es">' in html and ">Itinerarios<" in html
    assert "Ocupación o función" in html
    results = html.split('id="found-title"', 1)[1]
    assert "auxiliar de enfermería" in [label for _, label in PATHWAY_LINK.findall(results)]


def test_pathway_shows_skills_shown_missing_and_where_to_learn(client, web, data):
    web.sign_in(client, "learner@example.org")
    page = client.get(_nurse_path(client))
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html = page.text
    assert "<h1>Pathway to Registered Nurses</h1>" in html
    assert "You already show 2 of 8 skills for this occupation." in html
    assert '<title id="pathway-bar-name">Bar: 2 of 8 skills shown (25%)</title>' in html
    shown = html.split('id="shown-title"', 1)[1].split('id="build-title"', 1)[0]
    build = html.split('id="build-title"', 1)[1].split('id="learn-title"', 1)[0]
    learn = html.split('id="learn-title"', 1)[1]
    assert ">Skills you already show</h2>" in html and ">Skills to build</h2>" in html
    assert ">Where to learn them</h2>" in html
    # Speaking by framework and code, Active Listening by meaning, records linked
    assert "Speaking" in shown and "Same skill in your profile: “Speaking”" in shown
    assert "Similar meaning: your skill “listen actively” (similarity 0.91)" in shown
    assert f'href="/wallet/records/{data["record"]}"' in shown and "Verified record" in shown
    for missing in ("Critical Thinking", "Social Perceptiveness", "Monitoring", "Epic Systems"):
        assert missing in build and missing not in shown
    # important (importance of at least 3 of 5) before technology skills
    assert build.index("Critical Thinking") < build.index("Epic Systems")
    assert "Importance 4.0 of 5: important" in build
    assert "Technology used at work, in demand" in build
    # where to learn: exact alignment by code, a link to the public version; name match
    thinking = learn.split("<h3>Critical Thinking</h3>", 1)[1].split("<h3>", 1)[0]
    assert "Clinical Judgment" in thinking and "Aligned to this skill. <a href=" in thinking
    assert re.search(r'href="/orgs/[0-9a-f]+/achievements/[0-9a-f]+/v/1"', thinking)
    social = learn.split("<h3>Social Perceptiveness</h3>", 1)[1].split("<h3>", 1)[0]
    assert "Caring Conversations" in social
    epic = learn.split("<h3>Epic Systems</h3>", 1)[1].split("<h3>", 1)[0]
    assert "No achievement on this site teaches this skill yet." in epic
    threshold = f"{pathways.SEMANTIC_THRESHOLD:.2f}"
    assert f"a similarity of at least {threshold} out of 1, measured by a language model" in html
    assert "Essential or important skills you show" in html


def test_without_the_model_only_exact_matches_count_and_the_page_says_so(
        client, web, data, monkeypatch):
    def unavailable(queries, candidates):
        raise ModelUnavailableError("not installed")

    monkeypatch.setattr(pathways, "_default_similar", unavailable)
    web.sign_in(client, "learner@example.org")
    html = client.get(_nurse_path(client)).text
    assert "You already show 1 of 8 skills for this occupation." in html
    assert "Matching by meaning is not available on this server right now" in html
    build = html.split('id="build-title"', 1)[1].split('id="learn-title"', 1)[0]
    assert "Active Listening" in build


def test_spanish_pathway(client, web, data):
    web.sign_in(client, "learner@example.org")
    path = _nurse_path(client)
    client.get("/language/es?next=/")
    html = client.get(path).text
    for heading in ("Competencias que ya demuestra", "Competencias por desarrollar",
                    "Dónde aprenderlas"):
        assert f">{heading}</h2>" in html
    assert "Ya demuestra 2 de 8 competencias para esta ocupación." in html
    assert "Importancia 4,0 de 5: importante" in html
    threshold = f"{pathways.SEMANTIC_THRESHOLD:.2f}".replace(".", ",")
    assert f"una similitud de al menos {threshold} sobre 1" in html


def test_sign_in_required_and_unknown_occupations_are_404(client, make_client, web, data):
    visitor = make_client()
    for path in ("/wallet/pathways", "/wallet/pathways/abc"):
        response = visitor.get(path, follow_redirects=False)
        assert response.status_code in (303, 307, 401) and "sign-in" in \
            response.headers.get("location", "/sign-in")
    web.sign_in(client, "learner@example.org")
    assert client.get("/wallet/pathways/not-an-item").status_code == 404
    # a skill is not an occupation, so it has no pathway (nor is it found as one)
    assert client.get(f"/wallet/pathways/{data['skill_id']}").status_code == 404
    assert "Programming" not in client.get("/wallet/pathways", params={"q": "programming"}).text
    assert client.get(_nurse_path(client)).status_code == 200


def test_self_reported_skills_count_and_say_so(client, web, data, clean_db, clock):
    """What the learner states about themselves meets a skill, marked as self-reported."""
    wallet, learner_id, now = data["wallet"], data["learner_id"], clock()
    with storage_db.make_sessionmaker(clean_db)() as s:
        did = service.wallet_did(s, config=wallet, user_id=learner_id, now=now)
        credential = {
            "@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": f"urn:uuid:{uuid.uuid4()}", "type": ["VerifiableCredential",
                                                       "OpenBadgeCredential"],
            "issuer": {"id": did, "type": ["Profile"], "name": "Ana Learner"},
            "validFrom": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "credentialSubject": {"id": did, "type": ["AchievementSubject"], "achievement": {
                "id": f"urn:uuid:{uuid.uuid4()}", "type": ["Achievement"],
                "name": "Night shifts at the care home", "criteria": {"narrative": "A year."},
                "alignment": [{"type": ["Alignment"], "targetName": "monitoring"}]}}}
        service.store(s, config=wallet, user_id=learner_id, credential=credential,
                      source="self", now=now, state="kept",
                      report=CheckReport("not_verified", (), now.isoformat()))
        s.commit()
    web.sign_in(client, "learner@example.org")
    html = client.get(_nurse_path(client)).text
    assert "You already show 3 of 8 skills for this occupation." in html
    shown = html.split('id="shown-title"', 1)[1].split('id="build-title"', 1)[0]
    monitoring = shown.split(">Monitoring</span>", 1)[1].split("</ul>", 1)[0]
    assert "Night shifts at the care home" in monitoring and "Self-reported" in monitoring


def test_other_learner_sees_their_own_gap(client, make_client, web, data):
    other = make_client()
    web.sign_in(other, "other@example.org")
    html = other.get(_nurse_path(other)).text
    assert "You already show 0 of 8 skills for this occupation." in html
    assert "skills is in your skills profile yet." in html
    assert data["record"] not in html


@pytest.mark.parametrize(("made", "said"), [
    (3, "3 occupations match “drone”."),
    (25, "25 occupations match “drone”; here are the closest 20. Add a word to narrow the "
         "search."),
    (pathways.SEARCH_CAP + 1, f"More than {pathways.SEARCH_CAP} occupations match “drone”; "
                              "here are the closest 20. Add a word to narrow the search."),
])
def test_a_search_says_how_many_match_when_it_shows_only_some(client, web, data, clean_db,
                                                              clock, made, said):
    with storage_db.make_sessionmaker(clean_db)() as s:
        write(s, meta=FrameworkInput(key="DRONES", name="Drone occupations", source="test",
                                     uri="https://drones.example.org"),
              items=[ItemInput(uri=f"https://drones.example.org/{n}", kind="occupation",
                               labels={"en": f"drone pilot grade {n:03d}"})
                     for n in range(made)], now=clock())
        s.commit()
    web.sign_in(client, "learner@example.org")
    page = client.get("/wallet/pathways", params={"q": "drone"}).text
    results = page.split('id="found-title"', 1)[1].split('id="suggested-title"', 1)[0]
    assert said in results
    assert len(PATHWAY_LINK.findall(results)) == min(made, 20)


def test_a_hidden_skill_still_counts_on_the_learners_own_pathway(client, web, data):
    """Hiding is about what others see: the learner's own pathway keeps counting the skill
    and says it is hidden; the profile itself leaves it out."""
    web.sign_in(client, "learner@example.org")
    profile = client.get("/wallet/skills").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', profile).group(1)
    forms = re.findall(r'<form method="post" action="/wallet/skills/hide">.*?</form>', profile,
                       re.S)
    [speaking] = [f for f in forms if "> Speaking</span>" in f]
    key = re.search(r'name="key" value="([^"]+)"', speaking).group(1)
    assert client.post("/wallet/skills/hide", data={"csrf_token": token, "key": key},
                       follow_redirects=False).status_code == 303
    html = client.get(_nurse_path(client)).text
    assert "You already show 2 of 8 skills for this occupation." in html
    shown = html.split('id="shown-title"', 1)[1].split('id="build-title"', 1)[0]
    speaking_item = shown.split("Same skill in your profile: “Speaking”", 1)[1].split("</li>")[0]
    assert "You hid it from your profile: it counts here, where only you look" in speaking_item
    listening_item = shown.split("your skill “listen actively”", 1)[1].split("</li>")[0]
    assert "You hid it" not in listening_item


def test_a_crosswalk_counts_before_similar_meaning_and_the_page_names_it(client, web, data,
                                                                        clean_db, clock):
    """O*NET's Active Listening and the learner's ESCO "listen actively" are alike by meaning;
    once a crosswalk calls them the same, the pathway says so by the crosswalk's name."""
    from openler.skills_service import crosswalks

    with storage_db.make_sessionmaker(clean_db)() as s:
        crosswalks.import_crosswalk(s, name="ESCO-O*NET skills", now=clock(), links=[
            crosswalks.Link(frameworks_onet.ELEMENT_URI.format(code="2.A.1.b"), LISTEN,
                            "closeMatch")])
        s.commit()
    web.sign_in(client, "learner@example.org")
    html = client.get(_nurse_path(client)).text
    assert "You already show 2 of 8 skills for this occupation." in html
    shown = html.split('id="shown-title"', 1)[1].split('id="build-title"', 1)[0]
    assert ("The same skill in another framework, by the crosswalk “ESCO-O*NET skills”: your "
            "skill “listen actively”") in shown
    assert "Similar meaning: your skill “listen actively”" not in shown
