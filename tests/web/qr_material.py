"""QR code images for the verifier tests: clean PNGs, a phone-photo-like JPEG, and a signed
credential small enough to fit in one code."""

from __future__ import annotations

import io
from typing import Any

import qrcode
from PIL import Image, ImageFilter

from openler.core.dids import did_key_from_public, did_key_vm_id
from openler.core.keys.multikey import KeyPair, generate_keypair
from openler.core.proofs import sign


def small_credential(did: str | None = None, *,
                     name: str = "Forklift Safety") -> tuple[dict[str, Any], KeyPair]:
    """A signed VC 2.0 credential small enough for one QR code (did:key, or did:web ``did``)."""
    pair = generate_keypair("Ed25519")
    issuer = did or did_key_from_public(pair.public_key())
    vm = f"{did}#key-1" if did else did_key_vm_id(pair.public_key())
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"],
           "type": ["VerifiableCredential"], "issuer": issuer, "name": name,
           "credentialSubject": {"id": "did:example:learner-42"}}
    return sign(doc, keypair=pair, verification_method=vm), pair


def qr_png(text: str, *, box: int = 6) -> bytes:
    """A clean PNG of one QR code holding ``text``."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, box_size=box,
                         border=4)
    code.add_data(text)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().get_image().convert("L").save(out, "PNG")
    return out.getvalue()


def photo_like(text: str) -> bytes:
    """A phone-photo-like JPEG: scaled, turned a few degrees, on a noisy, blurred background."""
    code = Image.open(io.BytesIO(qr_png(text, box=5))).convert("L")
    code = code.resize((int(code.width * 1.7), int(code.height * 1.7)))
    code = code.rotate(6, expand=True, fillcolor=235)
    noise = Image.effect_noise((code.width + 260, code.height + 200), 50).convert("L")
    noise.paste(code, (140, 90))
    shot = noise.filter(ImageFilter.GaussianBlur(0.8)).convert("RGB")
    out = io.BytesIO()
    shot.save(out, "JPEG", quality=75)
    return out.getvalue()
