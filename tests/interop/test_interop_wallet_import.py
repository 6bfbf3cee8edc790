"""Records signed by another implementation go into the wallet: Digital Bazaar's JavaScript
libraries sign OB 3.0 credentials with their own did:key (eddsa-rdfc-2022, ecdsa-rdfc-2019);
the learner imports each as a JSON file and as a baked PNG badge, and the wallet's arrival
check finds it genuine, while a copy changed after signing is kept pending with its problem."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest
from interop_material import SUITES, achievement_credential

from openler.issuer.keys import KeyVault
from openler.issuer.models import PublicBase
from openler.issuer.service import IssuerConfig
from openler.wallet import importing
from openler.wallet.crypto import MasterKey
from openler.wallet.formats import detect
from openler.wallet.service import WalletConfig
from wallet_import_samples import baked_png

pytestmark = pytest.mark.interop

NOW = datetime(2027, 1, 1, tzinfo=UTC)
CONFIG = WalletConfig(master=MasterKey("interop-secret"),
                      issuer=IssuerConfig(base=PublicBase.parse("https://wallet.example"),
                                          vault=KeyVault("interop-secret")))


@pytest.fixture(scope="module")
def js_signed(js) -> dict[str, dict]:
    plain = achievement_credential()
    del plain["credentialStatus"]  # no status list to fetch offline
    return {suite: js.run("sign.mjs", {"cryptosuite": suite, "created": "2025-06-01T09:00:00Z",
                                       "credentials": [plain]})["credentials"][0]
            for suite in SUITES}


def _arrival(db, user_id, data):
    outcome = importing.import_candidates(db, config=CONFIG, user_id=user_id,
                                          candidates=detect(data).candidates, now=NOW)
    (record,) = outcome.records
    assert record.state == "pending" and record.source == "import"
    return record


@pytest.mark.parametrize("suite", sorted(SUITES))
def test_js_signed_records_import_as_genuine(db, accounts, js_signed, suite):
    signed = js_signed[suite]
    first, second = accounts.learner("file@example.org"), accounts.learner("png@example.org")
    as_file = _arrival(db, first, json.dumps(signed).encode())
    baked = _arrival(db, second, baked_png(json.dumps(signed)))
    for record in (as_file, baked):
        assert record.format == "ldp_vc" and record.credential == signed
        assert record.arrival.outcome == "verified", record.arrival.checks


@pytest.mark.parametrize("suite", sorted(SUITES))
def test_a_changed_js_signed_record_is_kept_with_its_problem(db, accounts, js_signed, suite):
    changed = copy.deepcopy(js_signed[suite])
    changed["credentialSubject"]["achievement"]["name"] = "Something else"
    record = _arrival(db, accounts.learner("ana@example.org"), json.dumps(changed))
    assert record.arrival.outcome == "not_verified"
    assert next(c for c in record.arrival.checks if c.name == "proof").code == "proof.changed"
