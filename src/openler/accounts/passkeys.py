"""Passkeys: WebAuthn Level 3 registration and authentication ceremonies (py_webauthn).

The web layer keeps the challenge in the signed session between the two requests
of each ceremony and passes the relying party id and origin in.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlalchemy.orm import Session
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from openler.accounts.errors import InvalidInput, PasskeyError
from openler.storage import repositories as repo
from openler.storage.tables import Passkey, User

MAX_LABEL_LENGTH = 100


def registration_options(db: Session, *, user: User, rp_id: str, rp_name: str) -> tuple[str, bytes]:
    """Options (JSON) and challenge for adding a passkey to this account."""
    existing = [
        PublicKeyCredentialDescriptor(id=p.credential_id)
        for p in repo.passkeys_of(db, user_id=user.id)
    ]
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=rp_name,
        user_id=user.id.encode(),
        user_name=user.email,
        user_display_name=user.name,
        exclude_credentials=existing,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    return options_to_json(options), options.challenge


def register_passkey(
    db: Session,
    *,
    user: User,
    credential: dict[str, object],
    challenge: bytes,
    rp_id: str,
    origin: str,
    label: str,
    now: datetime,
) -> Passkey:
    """Verify the authenticator's answer and store the new passkey."""
    label = label.strip() or "Passkey"
    if len(label) > MAX_LABEL_LENGTH:
        raise InvalidInput({"label": "too_long"})
    if any(unicodedata.category(ch) == "Cc" for ch in label):
        raise InvalidInput({"label": "invalid_characters"})
    try:
        verified = verify_registration_response(
            credential=dict(credential),
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise PasskeyError(str(exc)) from exc
    if repo.passkey_by_credential_id(db, credential_id=verified.credential_id) is not None:
        raise PasskeyError("this passkey is already registered")
    passkey = Passkey(
        user_id=user.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        label=label,
        created_at=now,
    )
    db.add(passkey)
    db.flush()
    return passkey


def authentication_options(*, rp_id: str) -> tuple[str, bytes]:
    """Options (JSON) and challenge for signing in with any discoverable passkey."""
    options = generate_authentication_options(
        rp_id=rp_id, user_verification=UserVerificationRequirement.PREFERRED
    )
    return options_to_json(options), options.challenge


def authenticate(
    db: Session,
    *,
    credential: dict[str, object],
    challenge: bytes,
    rp_id: str,
    origin: str,
    now: datetime,
) -> User:
    """Verify a passkey assertion and return the account it belongs to."""
    parsed = dict(credential)
    try:
        raw_id = base64url_to_bytes(str(parsed["rawId"]))
    except (KeyError, ValueError, TypeError) as exc:
        raise PasskeyError("malformed credential") from exc
    passkey = repo.passkey_by_credential_id(db, credential_id=raw_id)
    if passkey is None:
        raise PasskeyError("unknown passkey")
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise PasskeyError(str(exc)) from exc
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = now
    user = repo.get_user(db, user_id=passkey.user_id)
    if user is None:  # pragma: no cover - cascade deletes passkeys with users
        raise PasskeyError("account is gone")
    db.flush()
    return user
