"""Per-learner data keys wrapped by the master key: round trips, and refusals when a
ciphertext is altered, moved to another row or wallet, or the app secret changes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openler.wallet.crypto import MasterKey
from openler.wallet.errors import WalletUnreadable

MASTER = MasterKey("secret-one")
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20)


@given(document=json_values)
def test_sealed_documents_open_to_what_was_sealed(document):
    key, _, _ = MASTER.new_data_key(wallet_id="w1", user_id="u1")
    nonce, sealed = key.seal(document, purpose="record", row_id="r1")
    assert key.open(nonce, sealed, purpose="record", row_id="r1") == document


def test_wrapped_data_key_opens_only_with_the_same_secret_and_row():
    key, nonce, wrapped = MASTER.new_data_key(wallet_id="w1", user_id="u1")
    again = MASTER.unwrap(nonce, wrapped, wallet_id="w1", user_id="u1")
    sealed = key.seal({"a": 1}, purpose="record", row_id="r1")
    assert again.open(*sealed, purpose="record", row_id="r1") == {"a": 1}
    with pytest.raises(WalletUnreadable):
        MasterKey("secret-two").unwrap(nonce, wrapped, wallet_id="w1", user_id="u1")
    with pytest.raises(WalletUnreadable):
        MASTER.unwrap(nonce, wrapped, wallet_id="w1", user_id="someone-else")


def test_a_ciphertext_does_not_open_in_another_row_purpose_or_when_altered():
    key, _, _ = MASTER.new_data_key(wallet_id="w1", user_id="u1")
    nonce, sealed = key.seal({"name": "Ana"}, purpose="record", row_id="r1")
    with pytest.raises(WalletUnreadable):
        key.open(nonce, sealed, purpose="record", row_id="r2")
    with pytest.raises(WalletUnreadable):
        key.open(nonce, sealed, purpose="key", row_id="r1")
    flipped = bytes([sealed[0] ^ 1]) + sealed[1:]
    with pytest.raises(WalletUnreadable):
        key.open(nonce, flipped, purpose="record", row_id="r1")
    other, _, _ = MASTER.new_data_key(wallet_id="w1", user_id="u1")
    with pytest.raises(WalletUnreadable):
        other.open(nonce, sealed, purpose="record", row_id="r1")


def test_every_seal_uses_a_fresh_nonce():
    key, _, _ = MASTER.new_data_key(wallet_id="w1", user_id="u1")
    first = key.seal({"x": 1}, purpose="record", row_id="r1")
    second = key.seal({"x": 1}, purpose="record", row_id="r1")
    assert first[0] != second[0] and first[1] != second[1]
