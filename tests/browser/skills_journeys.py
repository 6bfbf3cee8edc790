"""Steps shared by the skills browser tests (issue 7): a live app whose suggestion engine is
the small real one, frameworks loaded the way an administrator loads them (the `openler`
command line), and keyboard steps.

The shared live server of conftest.py would build the full ESCO engine (about 13,900
skills) in the background on first use; these tests serve the same app with the small
engine of tests/skill_engines.py (real ESCO skills, the bundled MiniLM) ready at once, so
the suggestions are the engine's own and the same on every run."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

from skill_engines import ready_holder

DATA = Path(__file__).resolve().parent / "data" / "skills"
ESCO_DIR = DATA / "esco"
LIVE_SECRET = "test-secret-key-not-for-production"  # tests/conftest.py TEST_SECRET

# The ESCO extract in data/skills/esco (real ESCO URIs of the bundled skills).
ESCO = "http://data.europa.eu/esco/skill/"
OPERATE_FORKLIFT = ESCO + "28cb374e-6261-4133-8371-f9a5470145da"
FORKLIFT_INSPECTIONS = ESCO + "3c84f7d9-7a3e-4343-814f-31de0aa61651"
WAREHOUSE_OPERATIONS = ESCO + "089ddb19-1c7a-43ff-ba64-070f7ce4787a"
WAREHOUSE_INVENTORY = ESCO + "5d2e82cc-5943-4218-a459-a1956fad2b63"
DENTAL = ESCO + "daaa5a52-1a02-4965-b7e0-d88bbfa79620"  # "pass dental instruments"

ISSUER_EMAIL = "rosa@harbour-training.example"
EMPLOYER_EMAIL = "sam@acme-logistics.example"
LEARNER_EMAIL = "ana@example.org"
EMPTY_EMAIL = "eva@example.org"


@contextmanager
def skills_app_server(database_url: str) -> Iterator[int]:
    """Serve the real app over HTTP on a free loopback port with the small engine ready;
    yields the port."""
    import uvicorn

    from openler.settings import Settings
    from openler.web.app import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(Settings(database_url=database_url, secret_key=LIVE_SECRET,
                              fetch_allow_private=True))
    app.state.skill_engine = ready_holder()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                          log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="openler-skills-acceptance",
                              daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the skills live server did not start")
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def openler_command(database_url: str, *args: str) -> str:
    """Run an `openler` command against the test database, as an administrator would;
    fails with the command's own output when it does not exit 0."""
    from typer.testing import CliRunner

    from openler.cli.main import app

    result = CliRunner().invoke(app, list(args), env={"OPENLER_DATABASE_URL": database_url,
                                                      "OPENLER_SECRET_KEY": LIVE_SECRET})
    output = result.output
    with suppress(ValueError):  # older Click mixes stderr into output
        output += result.stderr
    assert result.exit_code == 0, f"`openler {' '.join(args)}` exited {result.exit_code}:\n" \
                                  f"{output}\n{result.exception!r}"
    return output


def import_esco_extract(database_url: str) -> None:
    """Load the ESCO extract (occupations, skills, their relations) in English and Spanish."""
    openler_command(database_url, "skills", "import-esco", str(ESCO_DIR))
    openler_command(database_url, "skills", "import-esco", str(ESCO_DIR), "--language", "es")


def tab_to(page, target, limit: int = 250) -> None:
    """Press Tab until ``target`` (a locator) has the focus; fails if the keyboard cannot
    reach it."""
    target.first.wait_for(state="attached")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.first.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target} on {page.url}")


def from_top(page) -> None:
    """Start the next Tab walk from the top of the page."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); "
                  "window.scrollTo(0, 0); }")
    page.locator("body").focus()


def press(page, target) -> None:
    """Tab to a link or button and press Enter, waiting for the page it leads to."""
    from_top(page)
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page, target, text: str) -> None:
    """Tab to a field and type, as a person at a keyboard does."""
    tab_to(page, target)
    page.keyboard.type(text)


def action_name(action: str, label: str) -> re.Pattern[str]:
    """The accessible name of a suggestion's button, "Add: operate forklift" (Chromium puts a
    space before the visually hidden part)."""
    return re.compile(rf"^{re.escape(action)}\s*:\s*{re.escape(label)}$")


def offered(page) -> list[str]:
    """The labels of the suggestions on the page, best first."""
    return [t.strip() for t in
            page.locator("#skill-suggestions .skill-title strong").all_inner_texts()]


def has_table_alternative(chart) -> bool:
    """A chart's figures are also in a table: its aria-describedby text is (or holds) a
    <table>, or a <table> with a caption shares its section or figure, or it is described
    (aria-describedby) and a <table> with a caption follows it in the main content."""
    return bool(chart.evaluate("""el => {
        const captioned = t => !!(t.caption && t.caption.textContent.trim());
        const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
        const described = ids.map(id => document.getElementById(id)).filter(Boolean);
        if (described.some(t => t.tagName === 'TABLE' || t.querySelector('table'))) return true;
        const box = el.closest('section, figure');
        if (box && [...box.querySelectorAll('table')].some(captioned)) return true;
        const main = el.closest('main') || document.body;
        return described.some(d => d.textContent.trim()) &&
            [...main.querySelectorAll('table')].some(t => captioned(t) &&
                (el.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING));
    }"""))


def seed_skills_world(engine, database_url: str, base_url: str, accounts) -> dict[str, str]:
    """Everything the skills pages show, made through the services: the ESCO extract and
    the O*NET demo subset (command line); an issuer with two achievements aligned to ESCO
    skills and one "Not relevant" answer; a learner keeping the first as a credential and
    sharing it with an employer that has a role; a learner with an empty wallet."""
    from datetime import UTC, datetime

    from openler.issuer import awards, catalog
    from openler.issuer.catalog_input import AchievementInput, AlignmentInput
    from openler.issuer.delivery import offers
    from openler.issuer.keys import KeyVault
    from openler.issuer.models import PublicBase
    from openler.issuer.service import IssuerConfig
    from openler.skills_service import suggestions
    from openler.storage import db as storage_db
    from openler.verifier import roles
    from openler.wallet import org_shares, presentations, service, sharing
    from openler.wallet.crypto import MasterKey

    import_esco_extract(database_url)
    openler_command(database_url, "skills", "import-onet")
    issuer_user, college = accounts.org_owner(ISSUER_EMAIL, "Harbour Training Centre")
    _, acme = accounts.org_owner(EMPLOYER_EMAIL, "Acme Logistics", kind="employer")
    learner_id = accounts.learner(LEARNER_EMAIL, "Ana Learner")
    accounts.learner(EMPTY_EMAIL, "Eva Empty")
    issuer = IssuerConfig(base=PublicBase.parse(base_url), vault=KeyVault(LIVE_SECRET))
    wallet = service.WalletConfig(master=MasterKey(LIVE_SECRET), issuer=issuer)
    now = datetime.now(UTC)

    def esco(label: str, uri: str) -> AlignmentInput:
        return AlignmentInput(target_name=label, target_url=uri, target_framework="ESCO",
                              target_code=uri.rsplit("/", 1)[1],
                              target_type="ceasn:Competency")

    with storage_db.make_sessionmaker(engine)() as s:
        course = catalog.create_achievement(s, config=issuer, org_id=college, now=now,
                                            data=AchievementInput(
            name="Forklift Operation Level 2", description="Drive a forklift in a warehouse.",
            criteria="Pass the practical test.", alignments=[
                esco("operate forklift", OPERATE_FORKLIFT),
                esco("conduct forklift inspections", FORKLIFT_INSPECTIONS),
                esco("warehouse operations", WAREHOUSE_OPERATIONS)]))
        catalog.create_achievement(s, config=issuer, org_id=college, now=now,
                                   data=AchievementInput(
            name="Warehouse Inventory Control", description="Keep the stock records.",
            criteria="Count a section of the warehouse.",
            alignments=[esco("manage warehouse inventory", WAREHOUSE_INVENTORY)]))
        suggestions.reject(s, org_id=college, skill_uri=DENTAL, label="pass dental instruments",
                           context="achievement", user_id=issuer_user, now=now)
        row = awards.award(s, config=issuer, org_id=college, achievement_id=course.id,
                           recipient_email=LEARNER_EMAIL, now=now)
        token = offers.create_offer(s, org_id=college, award_id=row.id, now=now).token
        s.commit()
        record = service.receive_from_claim(s, config=wallet, user_id=learner_id, token=token,
                                            now=now)
        service.accept(s, config=wallet, user_id=learner_id, record_id=record.id, now=now)
        s.commit()
        pres = presentations.create(s, config=wallet, user_id=learner_id, name="For Acme",
                                    record_ids=[record.id], now=now)
        share = sharing.create_share(s, config=wallet, user_id=learner_id,
                                     presentation_id=pres.id, audience="",
                                     purpose="Forklift driver job", expiry="30", now=now,
                                     audience_org_id=acme,
                                     org_sealer=org_shares.OrgSealer(LIVE_SECRET))
        by_url = {k.url: k for k in roles.catalog_skills(s)}
        role = roles.create_role(s, org_id=acme, name="Forklift driver",
                                 required=[by_url[OPERATE_FORKLIFT], by_url[FORKLIFT_INSPECTIONS]],
                                 preferred=[by_url[WAREHOUSE_INVENTORY]], now=now)
        s.commit()
    return {"college": college, "acme": acme, "role": role.id, "share": share.id}
