"""Claim offers: hashed unguessable tokens, single use, expiry, re-offer replaces."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import select

from openler.issuer import awards
from openler.issuer.delivery import offers
from openler.issuer.delivery.errors import OfferUnavailable
from openler.issuer.errors import IssuerNotFound
from openler.storage.tables_delivery import ClaimOffer


def test_only_hashes_are_stored(session, org_id, award_row, clock):
    new = offers.create_offer(session, org_id=org_id, award_id=award_row.id, now=clock())
    stored = session.scalars(select(ClaimOffer)).one()
    assert stored.token_hash == hashlib.sha256(new.token.encode()).hexdigest()
    assert stored.tx_code_hash == hashlib.sha256(new.tx_code.encode()).hexdigest()
    columns = [str(getattr(stored, c.key)) for c in ClaimOffer.__table__.columns]
    assert new.token not in columns and new.tx_code not in columns
    assert len(new.token) >= 40 and new.tx_code.isdigit() and len(new.tx_code) == 6
    assert new.path == f"/claim/{new.token}"


def test_single_use(session, org_id, award_row, clock):
    new = offers.create_offer(session, org_id=org_id, award_id=award_row.id, now=clock())
    assert offers.find_offer(session, token=new.token, now=clock()).id == new.offer.id
    offer, credential = offers.download(session, token=new.token, now=clock())
    assert credential == award_row.credential and offer.claimed_by == "download"
    with pytest.raises(OfferUnavailable) as exc:
        offers.download(session, token=new.token, now=clock())
    assert exc.value.reason == "claimed"


def test_expiry_follows_the_setting(session, org_id, award_row, clock):
    new = offers.create_offer(session, org_id=org_id, award_id=award_row.id, now=clock(),
                              days=2)
    assert new.offer.expires_at == clock() + timedelta(days=2)
    clock.advance(days=2, seconds=-1)
    offers.find_offer(session, token=new.token, now=clock())
    clock.advance(seconds=1)
    with pytest.raises(OfferUnavailable) as exc:
        offers.find_offer(session, token=new.token, now=clock())
    assert exc.value.reason == "expired"


def test_reoffer_replaces_the_old_link(session, org_id, award_row, clock):
    first = offers.create_offer(session, org_id=org_id, award_id=award_row.id, now=clock())
    offers.download(session, token=first.token, now=clock())
    second = offers.create_offer(session, org_id=org_id, award_id=award_row.id, now=clock())
    third = offers.create_offer(session, org_id=org_id, award_id=award_row.id, now=clock())
    for old in (first, second):
        with pytest.raises(OfferUnavailable) as exc:
            offers.find_offer(session, token=old.token, now=clock())
        assert exc.value.reason == "replaced"
    assert offers.find_offer(session, token=third.token, now=clock()).id == third.offer.id
    assert list(offers.latest_offers(session, org_id=org_id)) == [award_row.id]
    assert len(offers.offers_for_award(session, org_id=org_id, award_id=award_row.id)) == 3


def test_revoked_awards_are_not_offered(session, org_id, award_row, clock):
    new = offers.create_offer(session, org_id=org_id, award_id=award_row.id, now=clock())
    awards.set_award_status(session, org_id=org_id, award_id=award_row.id, action="revoke",
                            now=clock())
    with pytest.raises(OfferUnavailable) as exc:
        offers.find_offer(session, token=new.token, now=clock())
    assert exc.value.reason == "revoked"
    with pytest.raises(OfferUnavailable):
        offers.create_offer(session, org_id=org_id, award_id=award_row.id, now=clock())


def test_other_organizations_awards_are_not_found(session, accounts, award_row, clock):
    _, other_org = accounts.org_owner("boss@elsewhere.example", "Elsewhere")
    with pytest.raises(IssuerNotFound):
        offers.create_offer(session, org_id=other_org, award_id=award_row.id, now=clock())


def test_language_of_a_known_learner(session, accounts):
    accounts.learner("ana@example.org")
    from openler.storage.tables import User

    user = session.scalars(select(User).where(User.email == "ana@example.org")).one()
    user.language = "es"
    session.flush()
    assert offers.learner_language(session, "ANA@example.org") == "es"
    assert offers.learner_language(session, "nobody@example.org") == "en"
    assert offers.learner_language(session, None) == "en"


@hsettings(max_examples=30, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_wrong_token_is_unknown_never_an_error(session_factory_token, text):
    session, now = session_factory_token
    with pytest.raises(OfferUnavailable) as exc:
        offers.find_offer(session, token=text, now=now)
    assert exc.value.reason == "unknown"


@pytest.fixture
def session_factory_token(session, org_id, award_row, clock):
    offers.create_offer(session, org_id=org_id, award_id=award_row.id, now=clock())
    return session, clock()


@given(st.integers(min_value=1, max_value=12))
def test_transaction_codes_are_digits_of_the_asked_length(length):
    from openler.issuer.delivery.secrets_ import numeric_code

    codes = {numeric_code(length) for _ in range(20)}
    assert all(len(c) == length and c.isdigit() for c in codes)
    if length >= 6:
        assert len(codes) > 1  # random, not a constant
