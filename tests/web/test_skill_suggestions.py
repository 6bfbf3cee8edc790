"""Skill suggestions on the three forms where people write (issue 7, item 2), through the
app with a small engine: the issuer adds and rejects suggestions (rejections remembered
for the organization), the learner adds one to an entry's skills (nothing remembered),
the employer adds suggestions to a role as required or preferred; empty and huge texts
never fail; while the engine loads, lexical suggestions come with a note."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from openler.storage import db as storage_db
from openler.storage.tables import Achievement
from openler.storage.tables_org_shares import VerifierRole
from openler.storage.tables_skills import SkillRejection
from skill_engines import loading_holder, ready_holder

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ADD = re.compile(r'name="skills_add" value="([^"]+)"')
REJECT = re.compile(r'name="skills_reject" value="([^"]+)"')
DESCRIPTION = ("Learners drive a counterbalance forklift truck in a warehouse, stack pallets "
               "safely and check the load before moving it.")
JOB = ("We are hiring a warehouse operative. You will operate forklifts, load and unload "
       "lorries, and bake bread for the staff canteen on Fridays.")


def _csrf(client, path):
    return CSRF.search(client.get(path).text).group(1)


def _post(client, path, data, form_path=None):
    body = {"csrf_token": _csrf(client, form_path or path), **data}
    return client.post(path, data=body, follow_redirects=False)


def _rows(engine, model):
    with storage_db.make_sessionmaker(engine)() as s:
        return s.scalars(select(model)).all()


@pytest.fixture
def ready(app):
    app.state.skill_engine = ready_holder()
    return app.state.skill_engine


@pytest.fixture
def issuer(client, accounts, web, ready):
    org = accounts.org_owner("owner@harbour.example", "Harbour Training")[1]
    web.sign_in(client, "owner@harbour.example")
    return client, org


FIELDS = {"name": "Forklift Operation Level 2", "achievement_type": "Certificate",
          "description": DESCRIPTION, "criteria": "Pass the practical test."}


def test_issuer_suggests_adds_rejects_and_saves(issuer, clean_db):
    client, org = issuer
    new = f"/orgs/{org}/catalog/new"
    page = client.get(new).text
    assert "Suggest skills" in page and "Suggested skills" in page
    shown = _post(client, new, {**FIELDS, "skills_action": "suggest"})
    assert shown.status_code == 200
    text = html.unescape(shown.text)
    uris = ADD.findall(shown.text)
    assert len(uris) == 8 and REJECT.findall(shown.text) == uris
    assert "forklift" in text and "Because of: " in text
    assert re.search(r"(Strong|Likely|Possible) match \d{1,3}%", text)
    assert "More suggestions will appear" not in text
    assert 'formaction="/orgs/' in shown.text and "#skill-suggestions" in shown.text
    # Add the first: it fills alignment row 1 with the ESCO URI, and leaves the list.
    added = _post(client, new, {**FIELDS, "skills_shown": "1", "skills_add": uris[0]})
    assert added.status_code == 200
    assert f'name="alignment_1_url" type="text" value="{uris[0]}"' in added.text
    assert 'name="alignment_1_framework" type="text" value="ESCO"' in added.text
    assert "is added as skill 1" in html.unescape(added.text)
    assert uris[0] not in ADD.findall(added.text)
    # Reject the second (no achievement yet: remembered for the organization).
    name = re.search(r'name="alignment_1_name" type="text" value="([^"]*)"', added.text)
    row1 = {"alignment_1_name": html.unescape(name.group(1)), "alignment_1_url": uris[0],
            "alignment_1_framework": "ESCO", "alignment_1_type": "ceasn:Competency"}
    rejected = _post(client, new, {**FIELDS, **row1, "skills_shown": "1",
                                   "skills_reject": uris[1]})
    assert rejected.status_code == 200
    assert "will not be suggested again for your organization" in html.unescape(rejected.text)
    assert uris[1] not in ADD.findall(rejected.text)
    rows = _rows(clean_db, SkillRejection)
    assert [(r.org_id, r.skill_uri, r.context, r.achievement_id) for r in rows] == [
        (org, uris[1], "achievement", None)]
    # Save: the alignment is an OB 3.0 ESCO alignment; the rejection stays remembered.
    saved = _post(client, new, {**FIELDS, **row1}, form_path=new)
    assert saved.status_code == 303, saved.text
    achievement_id = saved.headers["location"].rsplit("/", 1)[1]
    with storage_db.make_sessionmaker(clean_db)() as s:
        row = s.get(Achievement, achievement_id)
        assert [(a.target_url, a.target_framework, a.target_type) for a in row.alignments] == [
            (uris[0], "ESCO", "ceasn:Competency")]
    edit = f"/orgs/{org}/catalog/{achievement_id}/edit"
    again = _post(client, edit, {**FIELDS, **row1, "skills_action": "suggest"})
    offered = ADD.findall(again.text)
    assert uris[1] not in offered and uris[0] not in offered and offered


def test_rejection_on_an_existing_achievement_is_kept_for_it(issuer, clean_db):
    client, org = issuer
    saved = _post(client, f"/orgs/{org}/catalog/new", FIELDS)
    achievement_id = saved.headers["location"].rsplit("/", 1)[1]
    edit = f"/orgs/{org}/catalog/{achievement_id}/edit"
    uri = ADD.findall(_post(client, edit, {**FIELDS, "skills_action": "suggest"}).text)[0]
    done = _post(client, edit, {**FIELDS, "skills_shown": "1", "skills_reject": uri})
    assert "will not be suggested again for this item" in html.unescape(done.text)
    assert [r.achievement_id for r in _rows(clean_db, SkillRejection)] == [achievement_id]
    fresh = _post(client, f"/orgs/{org}/catalog/new", {**FIELDS, "skills_action": "suggest"})
    assert uri in ADD.findall(fresh.text)  # one item's rejection is not organization-wide


@pytest.mark.parametrize("text", ["", "   ", "x" * 60_000,
                                  "forklift warehouse pallets bread " * 3_000,
                                  "ÿ€ 日本語 \u200b <script>alert(1)</script>"])
def test_no_failure_on_empty_or_huge_text(issuer, text):
    client, org = issuer
    reply = _post(client, f"/orgs/{org}/catalog/new",
                  {**FIELDS, "description": text, "name": "", "criteria": "",
                   "skills_action": "suggest"})
    assert reply.status_code == 200
    assert "<script>alert(1)</script>" not in reply.text
    if not text.strip():
        assert "No skills to suggest for this text" in reply.text


def test_unknown_add_and_stray_buttons_change_nothing(issuer, clean_db):
    client, org = issuer
    reply = _post(client, f"/orgs/{org}/catalog/new",
                  {**FIELDS, "skills_add": "http://example.org/not-a-skill"})
    assert reply.status_code == 200
    assert 'name="alignment_1_url" type="text" value=""' in reply.text
    assert _rows(clean_db, Achievement) == []


def test_lexical_only_with_a_note_while_the_engine_loads(app, client, accounts, web):
    holder, gate = loading_holder()
    app.state.skill_engine = holder
    try:
        org = accounts.org_owner("owner@harbour.example", "Harbour Training")[1]
        web.sign_in(client, "owner@harbour.example")
        reply = _post(client, f"/orgs/{org}/catalog/new", {**FIELDS, "skills_action": "suggest"})
        assert reply.status_code == 200
        assert "More suggestions will appear in a minute" in reply.text
        assert ADD.findall(reply.text)
    finally:
        gate.set()
    assert holder.wait(60)
    reply = _post(client, f"/orgs/{org}/catalog/new", {**FIELDS, "skills_action": "suggest"})
    assert "More suggestions will appear" not in reply.text


def test_the_app_holds_one_engine_and_builds_it_only_when_asked(app):
    from openler.web import skill_suggestions

    holder = skill_suggestions.engine_of(app)
    assert holder is skill_suggestions.engine_of(app)
    assert skill_suggestions.install(app, preload=False) is holder and not holder.building
    waiting, gate = loading_holder()
    app.state.skill_engine = waiting
    try:
        assert skill_suggestions.install(app, preload=True) is waiting and waiting.building
    finally:
        gate.set()
    assert waiting.wait(60) and not waiting.building and waiting.engine() is not None


@pytest.mark.parametrize(("value", "words"), [(0.62, "Strong match"), (0.5, "Strong match"),
                                              (0.4, "Likely match"), (0.2, "Possible match")])
def test_confidence_in_words(app, client, value, words):
    from openler.web.skill_suggestions import confidence_words

    assert confidence_words(value) == words


@pytest.mark.parametrize(("value", "text"), [(0.824, "Strong match 82%"), (0.5, "Strong match 50%"),
                                             (0.351, "Likely match 35%"), (0.0, "Possible match 0%"),
                                             (1.4, "Strong match 100%"),
                                             (-0.2, "Possible match 0%")])
def test_confidence_in_words_and_a_number(app, client, value, text):
    from openler.web.skill_suggestions import confidence_text

    assert confidence_text(value) == text


STRENGTH = {"en": re.compile(r'<span class="skill-strength">(Strong|Likely|Possible) match '
                             r'(\d{1,3})%</span>'),
            "es": re.compile(r'<span class="skill-strength">Coincidencia (fuerte|probable|posible) '
                             r'(\d{1,3})\xa0%</span>')}
BECAUSE = {"en": "Because of: ", "es": "Por estas palabras: "}


def _explained(reply, language):
    """Each suggestion says how strong it is in words and a number, and which words."""
    text = html.unescape(reply.text)
    items = text.split('<p class="skill-title">')[1:]
    assert len(items) == 8, text
    for item in items:
        match = STRENGTH[language].search(item)
        assert match and 0 <= int(match.group(2)) <= 100, item[:300]
    because = [item.split(BECAUSE[language], 1)[1].split("</p>")[0]
               for item in items if BECAUSE[language] in item]
    assert because and all(words.strip() for words in because)
    return because


@pytest.mark.parametrize("language", ["en", "es"])
def test_all_three_forms_explain_each_suggestion(client, accounts, web, ready, language):
    accounts.learner("ana@example.org", "Ana Learner")
    issuer_org = accounts.org_owner("owner@harbour.example", "Harbour Training")[1]
    employer_org = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")[1]
    client.get(f"/language/{language}?next=/")

    web.sign_in(client, "owner@harbour.example")
    because = _explained(_post(client, f"/orgs/{issuer_org}/catalog/new",
                               {**FIELDS, "skills_action": "suggest"}), language)
    assert any("forklift" in words for words in because)
    client.post("/sign-out", data={"csrf_token": _csrf(client, "/")})

    web.sign_in(client, "ana@example.org")
    _explained(_post(client, "/wallet/self-reported/new",
                     {"kind": "work", "title": "Warehouse job", "description": DESCRIPTION,
                      "start": "2025-06-01", "skills_action": "suggest"}), language)
    client.post("/sign-out", data={"csrf_token": _csrf(client, "/")})

    web.sign_in(client, "hr@acme.example")
    because = _explained(_post(client, f"/orgs/{employer_org}/roles",
                               {"name": "Warehouse operative", "job_description": JOB,
                                "skills_action": "suggest"}), language)
    assert any("forklift" in words for words in because)


FIRST_SUBMIT = re.compile(r"<button\b[^>]*>", re.S)


@pytest.mark.parametrize("form_of", ["issuer", "learner", "employer"])
def test_the_first_submit_button_of_each_form_saves(client, accounts, web, ready, form_of):
    """Enter in a text field presses the form's first submit button: it must be a plain save
    (no name, no formaction), out of the tab order and hidden from screen readers."""
    if form_of == "learner":
        accounts.learner("ana@example.org", "Ana Learner")
        web.sign_in(client, "ana@example.org")
        path = "/wallet/self-reported/new"
    else:
        kind = "issuer" if form_of == "issuer" else "employer"
        org = accounts.org_owner("boss@org.example", "Some Org", kind=kind)[1]
        web.sign_in(client, "boss@org.example")
        path = f"/orgs/{org}/catalog/new" if form_of == "issuer" else f"/orgs/{org}/roles"
    page = client.get(path).text
    form = page.split(f'action="{path}"', 1)[1].split("</form>", 1)[0]
    first = FIRST_SUBMIT.search(form).group(0)
    assert "skill-default-submit" in first and 'tabindex="-1"' in first
    assert 'aria-hidden="true"' in first
    assert "name=" not in first and "formaction" not in first
    assert form.index(first) < form.index('name="skills_action"')


def test_learner_adds_a_suggestion_to_the_entry_skills(client, accounts, web, ready, clean_db):
    accounts.learner("ana@example.org", "Ana Learner")
    web.sign_in(client, "ana@example.org")
    new = "/wallet/self-reported/new"
    fields = {"kind": "work", "title": "Warehouse summer job", "description": DESCRIPTION,
              "start": "2025-06-01", "skills": "Teamwork"}
    shown = _post(client, new, {**fields, "skills_action": "suggest"})
    assert shown.status_code == 200
    text = html.unescape(shown.text)
    assert "Nothing you do here is remembered" in text
    assert not REJECT.findall(shown.text)
    uri = ADD.findall(shown.text)[0]
    label = re.search(r'value="' + re.escape(uri) + r'"[^>]*>Add<span class="visually-hidden">: '
                      r'([^<]+)</span>', shown.text).group(1)
    added = _post(client, new, {**fields, "skills_shown": "1", "skills_add": uri})
    skills = re.search(r'<textarea id="field-skills"[^>]*>([^<]*)</textarea>', added.text)
    assert html.unescape(skills.group(1)).splitlines() == ["Teamwork", html.unescape(label)]
    assert _rows(clean_db, SkillRejection) == []
    empty = _post(client, new, {**fields, "description": "", "title": "",
                                "skills_action": "suggest"})
    assert empty.status_code == 200


def _wallet_records(clean_db, email="ana@example.org"):
    from openler.issuer.keys import KeyVault
    from openler.issuer.models import PublicBase
    from openler.issuer.service import IssuerConfig
    from openler.storage.tables import User
    from openler.wallet import service
    from openler.wallet.crypto import MasterKey

    secret = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET
    config = service.WalletConfig(master=MasterKey(secret), issuer=IssuerConfig(
        base=PublicBase.parse("http://testserver"), vault=KeyVault(secret)))
    with storage_db.make_sessionmaker(clean_db)() as s:
        user = s.scalars(select(User).where(User.email == email)).one()
        return service.records(s, config=config, user_id=user.id)


def _alignments(record):
    return {a["targetName"]: a for a in
            record.credential["credentialSubject"]["achievement"]["alignment"]}


def test_a_suggestion_the_learner_adds_keeps_its_esco_uri_when_saved_and_edited(
        client, accounts, web, ready, clean_db):
    accounts.learner("ana@example.org", "Ana Learner")
    web.sign_in(client, "ana@example.org")
    new = "/wallet/self-reported/new"
    fields = {"kind": "work", "title": "Warehouse summer job", "description": DESCRIPTION,
              "start": "2025-06-01", "skills": "Teamwork"}
    shown = _post(client, new, {**fields, "skills_action": "suggest"})
    uri = ADD.findall(shown.text)[0]
    added = _post(client, new, {**fields, "skills_shown": "1", "skills_add": uri})
    hidden = re.search(r'name="skills_suggested" value="([^"]*)"', added.text).group(1)
    assert hidden == uri
    skills = html.unescape(re.search(r'<textarea id="field-skills"[^>]*>([^<]*)</textarea>',
                                     added.text).group(1))
    label = skills.splitlines()[1]
    # A problem on another field keeps the hidden list, so saving later still knows the URI.
    problem = _post(client, new, {**fields, "skills": skills, "skills_suggested": hidden,
                                  "start": "not a date"})
    assert re.search(r'name="skills_suggested" value="([^"]*)"', problem.text).group(1) == uri
    saved = _post(client, new, {**fields, "skills": skills, "skills_suggested": hidden})
    assert saved.status_code == 303, saved.text
    [record] = _wallet_records(clean_db)
    aligned = _alignments(record)
    assert aligned[label]["targetUrl"] == uri
    assert aligned[label]["targetFramework"] == "ESCO"
    assert aligned[label]["targetType"] == "ceasn:Competency"
    assert aligned["Teamwork"]["targetType"] == "ext:SelfDescribedSkill"
    # Editing (no hidden list any more) keeps the URI of the skill already aligned.
    edit = f"/wallet/self-reported/{record.id}/edit"
    form = client.get(edit).text
    kept = html.unescape(re.search(r'<textarea id="field-skills"[^>]*>([^<]*)</textarea>',
                                   form).group(1))
    assert label in kept.splitlines()
    changed = _post(client, edit, {**fields, "title": "Warehouse job, summer 2025",
                                   "skills": kept})
    assert changed.status_code == 303, changed.text
    [record] = _wallet_records(clean_db)
    assert _alignments(record)[label]["targetUrl"] == uri
    # A URI in the hidden list whose label is no longer in the text is not aligned.
    other = _post(client, new, {**fields, "title": "Another job", "skills": "Teamwork",
                                "skills_suggested": uri})
    assert other.status_code == 303
    newest = next(r for r in _wallet_records(clean_db) if r.id != record.id)
    assert list(_alignments(newest)) == ["Teamwork"]


def test_employer_adds_required_and_preferred_and_saves(client, accounts, web, ready,
                                                        clean_db):
    org = accounts.org_owner("hr@acme.example", "Acme Hiring", kind="employer")[1]
    web.sign_in(client, "hr@acme.example")
    path = f"/orgs/{org}/roles"
    base = {"name": "Warehouse operative", "job_description": JOB}
    shown = _post(client, path, {**base, "skills_action": "suggest"})
    assert shown.status_code == 200
    required = re.findall(r'name="skills_add_required" value="([^"]+)"', shown.text)
    assert len(required) == 8 and "forklift" in html.unescape(shown.text)
    one = _post(client, path, {**base, "skills_shown": "1", "skills_add_required": required[0]})
    hidden = re.search(r'name="esco_required" value="([^"]*)"', one.text).group(1)
    assert hidden == required[0] and "Skills added from the suggestions" in one.text
    two = _post(client, path, {**base, "skills_shown": "1", "esco_required": hidden,
                               "skills_add_preferred": required[1]})
    assert re.search(r'name="esco_preferred" value="([^"]*)"', two.text).group(1) == required[1]
    three = _post(client, path, {**base, "skills_shown": "1", "esco_required": hidden,
                                 "esco_preferred": required[1], "skills_reject": required[2]})
    assert required[2] not in three.text.split("Skills added from the suggestions")[0] \
        .split('name="skills_add_required" value="')[1:]
    assert [(r.context, r.role_id, r.skill_uri) for r in _rows(clean_db, SkillRejection)] == [
        ("role", None, required[2])]
    saved = _post(client, path, {**base, "esco_required": hidden,
                                 "esco_preferred": required[1]})
    assert saved.status_code == 303, saved.text
    role = _rows(clean_db, VerifierRole)[0]
    assert [s["url"] for s in role.required] == [required[0]]
    assert [s["url"] for s in role.preferred] == [required[1]]
    again = _post(client, path, {**base, "skills_action": "suggest"})
    assert required[2] not in re.findall(r'name="skills_add_required" value="([^"]+)"',
                                         again.text)
