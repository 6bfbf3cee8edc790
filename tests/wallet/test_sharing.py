"""Presentations and shares: the learner signs kept records into a presentation, shares it
with an audience until an expiry, the link shows fresh checks and logs each opening,
stopping or expiry refuses the link, deleting a record takes it out of every share, and
nothing of what is shared can be read from the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from openler.core.jsonld import default_loader
from openler.core.proofs import verify_proof
from openler.core.verify import VerificationContext, verify_presentation
from openler.issuer import awards, catalog
from openler.issuer.catalog_input import AchievementInput
from openler.issuer.delivery import offers
from openler.storage.tables_lifecycle import CredentialEvent
from openler.storage.tables_wallet_shares import (
    WalletPresentation,
    WalletPresentationItem,
    WalletShare,
    WalletShareView,
)
from openler.wallet import presentations, service, sharing
from openler.wallet.errors import WalletNotFound
from openler.wallet.presentations import InvalidSharingInput
from openler.wallet.sharing import ShareRefused


def _kept(session, wallet_config, learner_id, token, clock):
    record = service.receive_from_claim(session, config=wallet_config, user_id=learner_id,
                                        token=token, now=clock())
    service.accept(session, config=wallet_config, user_id=learner_id, record_id=record.id,
                   now=clock())
    session.commit()
    return record


@pytest.fixture
def two_records(session, issuer_config, wallet_config, org_id, learner_id, offer, clock):
    """Two kept records (Welding Basics, First Aid) in the learner's wallet."""
    first = _kept(session, wallet_config, learner_id, offer[1], clock)
    course = catalog.create_achievement(session, config=issuer_config, org_id=org_id,
                                        data=AchievementInput(name="First Aid",
                                                              description="Basic first aid.",
                                                              criteria="Attended the course."),
                                        now=clock())
    row = awards.award(session, config=issuer_config, org_id=org_id, achievement_id=course.id,
                       recipient_email="learner@example.org", now=clock())
    second_offer = offers.create_offer(session, org_id=org_id, award_id=row.id, now=clock())
    session.commit()
    second = _kept(session, wallet_config, learner_id, second_offer.token, clock)
    return first, second


def _presentation(session, wallet_config, learner_id, records, clock, name="For Acme"):
    made = presentations.create(session, config=wallet_config, user_id=learner_id, name=name,
                                record_ids=[r.id for r in records], now=clock())
    session.commit()
    return made


def _share(session, wallet_config, learner_id, pres, clock, expiry="30"):
    made = sharing.create_share(session, config=wallet_config, user_id=learner_id,
                                presentation_id=pres.id, audience="Acme Hiring",
                                purpose="Job application: welder", expiry=expiry, now=clock())
    session.commit()
    return made


def _resolver(session, wallet_config):
    from openler.wallet.verification import context
    return context(session, config=wallet_config.issuer, now=None, language="en").resolver


def test_a_presentation_is_signed_by_the_learner_for_authentication(
        session, wallet_config, learner_id, two_records, clock):
    pres = _presentation(session, wallet_config, learner_id, two_records, clock)
    did = service.wallet_did(session, config=wallet_config, user_id=learner_id, now=clock())
    assert pres.name == "For Acme"
    assert [r.id for r in pres.records] == [r.id for r in two_records]
    assert pres.vp["holder"] == did and pres.vp["type"] == ["VerifiablePresentation"]
    assert [c["id"] for c in pres.vp["verifiableCredential"]] == [
        r.credential["id"] for r in two_records]
    assert pres.vp["proof"]["proofPurpose"] == "authentication"
    assert pres.vp["proof"]["verificationMethod"].startswith(did + "#")
    check = verify_proof(pres.vp, resolver=_resolver(session, wallet_config),
                         loader=default_loader(), expected_purpose="authentication")
    assert check.ok, check.detail
    tampered = {**pres.vp, "holder": "did:example:someone-else"}
    assert not verify_proof(tampered, resolver=_resolver(session, wallet_config),
                            loader=default_loader(), expected_purpose="authentication").ok
    listed = presentations.listing(session, config=wallet_config, user_id=learner_id)
    assert [p.id for p in listed] == [pres.id]


def test_a_presentation_needs_a_name_and_kept_records(
        session, wallet_config, learner_id, other_learner_id, two_records, clock):
    with pytest.raises(InvalidSharingInput) as missing:
        presentations.create(session, config=wallet_config, user_id=learner_id, name="  ",
                             record_ids=[], now=clock())
    assert missing.value.errors == {"name": "name_missing", "records": "records_missing"}
    service.wallet_did(session, config=wallet_config, user_id=other_learner_id, now=clock())
    with pytest.raises(InvalidSharingInput):  # another learner cannot pick these records
        presentations.create(session, config=wallet_config, user_id=other_learner_id,
                             name="Mine", record_ids=[two_records[0].id], now=clock())


def test_share_link_opens_verifies_and_logs_each_opening(
        session, wallet_config, learner_id, two_records, clock):
    pres = _presentation(session, wallet_config, learner_id, two_records, clock)
    share = _share(session, wallet_config, learner_id, pres, clock)
    assert share.state(clock()) == "active"
    assert share.expires_at == clock() + timedelta(days=30)
    assert len(share.token) >= 40
    row = session.get(WalletShare, share.id)
    assert row.token_hash == sharing.token_hash(share.token) != share.token
    clock.advance(hours=2)
    view = sharing.open_link(session, config=wallet_config, token=share.token, now=clock())
    session.commit()
    assert (view.audience, view.purpose, view.name) == (
        "Acme Hiring", "Job application: welder", "For Acme")
    assert view.report.outcome == "verified"
    assert [r.summary.achievement_name for r in view.records] == ["Welding Basics", "First Aid"]
    assert all(r.report.outcome == "verified" for r in view.records)
    proof = view.vp["proof"]
    assert proof["proofPurpose"] == "authentication" and proof["challenge"]
    assert proof["domain"] == wallet_config.issuer.base.url
    # Bound to this share: a verifier expecting another challenge refuses it.
    other = verify_presentation(view.vp, ctx=VerificationContext(
        resolver=_resolver(session, wallet_config), challenge="another", now=clock()))
    assert other.check("proof").status == "failed"
    clock.advance(days=1)
    sharing.open_link(session, config=wallet_config, token=share.token, now=clock())
    session.commit()
    again = sharing.get_share(session, config=wallet_config, user_id=learner_id,
                              share_id=share.id)
    assert len(again.views) == 2 and again.views[0] == clock()
    assert session.scalars(select(WalletShareView)).all()[0].share_id == share.id
    # The issuer's dashboard counted one share of each credential, nothing about Acme.
    assert len(session.scalars(select(CredentialEvent).where(
        CredentialEvent.kind == "shared")).all()) == 2


def test_guessed_stopped_and_expired_links_refuse(
        session, wallet_config, learner_id, two_records, clock):
    pres = _presentation(session, wallet_config, learner_id, two_records, clock)
    for guess in ("", "x" * 500, "not-a-token", "%00", two_records[0].id):
        with pytest.raises(ShareRefused) as refused:
            sharing.open_link(session, config=wallet_config, token=guess, now=clock())
        assert refused.value.reason == "unknown"
    week = _share(session, wallet_config, learner_id, pres, clock, expiry="7")
    forever = _share(session, wallet_config, learner_id, pres, clock, expiry="never")
    assert forever.expires_at is None
    clock.advance(days=7)
    with pytest.raises(ShareRefused) as expired:
        sharing.open_link(session, config=wallet_config, token=week.token, now=clock())
    assert expired.value.reason == "expired"
    session.commit()
    assert session.get(WalletShare, week.id).link_ciphertext is None  # erased once expired
    service.delete_record(session, config=wallet_config, user_id=learner_id,
                          record_id=two_records[1].id, now=clock())  # skips the erased share
    assert sharing.open_link(session, config=wallet_config, token=forever.token,
                             now=clock()).records
    stopped = sharing.stop_share(session, config=wallet_config, user_id=learner_id,
                                 share_id=forever.id, now=clock())
    session.commit()
    assert stopped.state(clock()) == "stopped"
    assert session.get(WalletShare, forever.id).link_ciphertext is None  # content erased
    for opener in (sharing.open_link, sharing.link_document):
        kwargs = {"config": wallet_config} if opener is sharing.open_link else {}
        with pytest.raises(ShareRefused) as refused:
            opener(session, token=forever.token, now=clock(), **kwargs)
        assert refused.value.reason == "stopped"


def test_a_share_needs_audience_purpose_and_expiry(
        session, wallet_config, learner_id, two_records, clock):
    pres = _presentation(session, wallet_config, learner_id, two_records, clock)
    with pytest.raises(InvalidSharingInput) as missing:
        sharing.create_share(session, config=wallet_config, user_id=learner_id,
                             presentation_id=pres.id, audience="", purpose=" ",
                             expiry="forever", now=clock())
    assert set(missing.value.errors) == {"audience", "purpose", "expiry"}


def test_another_learner_cannot_see_or_stop_a_share(
        session, wallet_config, learner_id, other_learner_id, two_records, clock):
    pres = _presentation(session, wallet_config, learner_id, two_records, clock)
    share = _share(session, wallet_config, learner_id, pres, clock)
    service.wallet_did(session, config=wallet_config, user_id=other_learner_id, now=clock())
    theirs = {"config": wallet_config, "user_id": other_learner_id}
    with pytest.raises(WalletNotFound):
        sharing.get_share(session, share_id=share.id, **theirs)
    with pytest.raises(WalletNotFound):
        sharing.stop_share(session, share_id=share.id, now=clock(), **theirs)
    with pytest.raises(WalletNotFound):
        presentations.get(session, presentation_id=pres.id, **theirs)
    with pytest.raises(WalletNotFound):
        sharing.create_share(session, presentation_id=pres.id, audience="Me", purpose="x",
                             expiry="7", now=clock(), **theirs)
    assert sharing.shares_of(session, **theirs) == []
    assert sharing.open_link(session, config=wallet_config, token=share.token,
                             now=clock()).audience == "Acme Hiring"


def test_deleting_a_record_removes_it_from_every_share(
        session, wallet_config, learner_id, two_records, clock):
    first, second = two_records
    both = _presentation(session, wallet_config, learner_id, two_records, clock)
    only_first = _presentation(session, wallet_config, learner_id, [first], clock,
                               name="Just welding")
    share_both = _share(session, wallet_config, learner_id, both, clock)
    share_first = _share(session, wallet_config, learner_id, only_first, clock)
    clock.advance(minutes=5)
    service.delete_record(session, config=wallet_config, user_id=learner_id,
                          record_id=first.id, now=clock())
    session.commit()
    left = sharing.open_link(session, config=wallet_config, token=share_both.token, now=clock())
    assert [r.summary.achievement_name for r in left.records] == ["First Aid"]
    assert left.report.outcome == "verified"  # signed again over what remains
    assert [c["id"] for c in left.vp["verifiableCredential"]] == [second.credential["id"]]
    again = presentations.get(session, config=wallet_config, user_id=learner_id,
                              presentation_id=both.id)
    assert [r.id for r in again.records] == [second.id]
    assert [c["id"] for c in again.vp["verifiableCredential"]] == [second.credential["id"]]
    with pytest.raises(ShareRefused) as empty:
        sharing.open_link(session, config=wallet_config, token=share_first.token, now=clock())
    assert empty.value.reason == "empty"
    assert session.scalars(select(WalletPresentationItem).where(
        WalletPresentationItem.record_id == first.id)).all() == []


def test_nothing_shared_is_readable_in_the_database(
        session, wallet_config, learner_id, two_records, clock):
    pres = _presentation(session, wallet_config, learner_id, two_records, clock,
                         name="Portfolio for Zebulon Works")
    share = _share(session, wallet_config, learner_id, pres, clock)
    view = sharing.open_link(session, config=wallet_config, token=share.token, now=clock())
    session.commit()
    needles = {
        "presentation name": b"Zebulon", "audience": b"Acme Hiring", "purpose": b"welder",
        "token": share.token.encode(), "achievement": b"Welding Basics",
        "credential id": two_records[0].credential["id"].encode(),
        "proof value": view.vp["proof"]["proofValue"].encode(),
        "holder": view.vp["holder"].encode(),
    }
    rows = []
    for table in (WalletPresentation.__table__, WalletPresentationItem.__table__,
                  WalletShare.__table__, WalletShareView.__table__):
        for row in session.execute(table.select()).mappings():
            rows.append(b"|".join(v if isinstance(v, bytes) else str(v).encode()
                                  for v in row.values()))
    dump = b"\n".join(rows)
    assert len(rows) == 1 + 2 + 1 + 1
    for name, needle in needles.items():
        assert needle not in dump, f"{name} found in clear"
    # The content opens only with the link's own token, even for someone who can write to
    # the database: pointing the row at another token shows nothing.
    wrong = share.token[:-2] + ("AA" if not share.token.endswith("AA") else "BB")
    with pytest.raises(ShareRefused):
        sharing.open_link(session, config=wallet_config, token=wrong, now=clock())
    session.get(WalletShare, share.id).token_hash = sharing.token_hash(wrong)
    session.flush()
    for opener in (sharing.open_link, sharing.link_document):
        kwargs = {"config": wallet_config} if opener is sharing.open_link else {}
        with pytest.raises(ShareRefused) as tampered:
            opener(session, token=wrong, now=clock(), **kwargs)
        assert tampered.value.reason == "unknown"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.text(max_size=200))
def test_any_guessed_token_is_refused_as_unknown(session, wallet_config, clock, token):
    with pytest.raises(ShareRefused) as refused:
        sharing.open_link(session, config=wallet_config, token=token, now=clock())
    assert refused.value.reason == "unknown"
    assert session.scalars(select(WalletShareView)).all() == []


def test_expired_links_are_erased_even_if_nobody_opened_them(
        session, wallet_config, learner_id, other_learner_id, two_records, clock):
    pres = _presentation(session, wallet_config, learner_id, two_records, clock)
    week = _share(session, wallet_config, learner_id, pres, clock, expiry="7")
    month = _share(session, wallet_config, learner_id, pres, clock, expiry="30")
    clock.advance(days=6)
    assert sharing.purge_expired(session, now=clock()) == 0
    clock.advance(days=2)
    # Any learner looking at their own shares sweeps every expired link on the instance.
    sharing.shares_of(session, config=wallet_config, user_id=other_learner_id, now=clock())
    session.commit()
    assert session.get(WalletShare, week.id).link_ciphertext is None
    assert session.get(WalletShare, month.id).link_ciphertext is not None
    with pytest.raises(ShareRefused) as refused:
        sharing.open_link(session, config=wallet_config, token=week.token, now=clock())
    assert refused.value.reason == "expired"
    assert sharing.open_link(session, config=wallet_config, token=month.token,
                             now=clock()).records
