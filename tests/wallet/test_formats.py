"""Detection of what a learner brings: every accepted credential format, presentations (with
enveloped credentials), badge images baked as PNG (iTXt/tEXt, compressed or not) and SVG, the
spec vectors, and a specific refusal for everything else; arbitrary input never escapes as
anything but ImportRefused."""

from __future__ import annotations

import base64
import json
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import shared_dir
from openler.core.sdjwt.jose import sign_jws
from openler.wallet.formats import MAX_BYTES, REFUSAL_CODES, ImportRefused, detect, media_type
from wallet_import_samples import OtherIssuer, baked_png, baked_svg, ob2_assertion

ISSUER = OtherIssuer()
VECTORS = [
    "vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json",
    "vc-di-ecdsa/ecdsa-rdfc-2019-p256/signedECDSAP256.json",
    "ob3/clrv2p0/signed-credential.json",
    "ob3/spec-complete-example.json",
]


def _one(data):
    found = detect(data)
    assert not found.presentation and len(found.candidates) == 1
    return found.candidates[0]


@pytest.mark.parametrize("path", VECTORS)
def test_spec_vectors_are_data_integrity_credentials(path):
    raw = (shared_dir() / "vectors" / path).read_bytes()
    candidate = _one(raw)
    assert candidate.record_format == "ldp_vc"
    assert candidate.credential == json.loads(raw)


def test_each_text_format_is_recognised():
    ldp = ISSUER.ldp()
    assert _one(json.dumps(ldp)).record_format == "ldp_vc"
    token = ISSUER.vc_jwt()
    assert _one(token) == _one("\ufeff  " + token + "\n")  # a BOM and spaces do not matter
    assert _one(token).record_format == "jwt_vc" and _one(token).credential == token
    sd = ISSUER.sd_jwt()
    assert _one(sd).record_format == "dc+sd-jwt" and _one(sd).credential == sd
    ob2 = _one(json.dumps(ob2_assertion()))
    assert ob2.record_format == "ob2" and not ob2.signed_ob2


def test_a_vc_1_1_jwt_with_a_vc_claim_is_vc_jose():
    payload = {"iss": ISSUER.did, "vc": {"@context": ["https://www.w3.org/2018/credentials/v1"],
                                         "type": ["VerifiableCredential"],
                                         "credentialSubject": {"name": "x"}}}
    token = sign_jws({"typ": "JWT"}, json.dumps(payload).encode(), ISSUER.keypair)
    assert _one(token).record_format == "jwt_vc"


def test_a_signed_open_badges_2_assertion_is_an_older_format():
    token = sign_jws({}, json.dumps(ob2_assertion()).encode(), ISSUER.keypair)
    candidate = _one(token)
    assert candidate.record_format == "ob2" and candidate.signed_ob2
    assert candidate.credential["badge"]["name"] == "First Aid at Work"


@pytest.mark.parametrize("compressed", [False, True])
@pytest.mark.parametrize("keyword", ["openbadgecredential", "openbadges"])
def test_baked_png_images_are_opened(keyword, compressed):
    ldp = ISSUER.ldp()
    candidate = _one(baked_png(json.dumps(ldp), keyword, compressed=compressed))
    assert candidate.record_format == "ldp_vc" and candidate.credential == ldp
    assert _one(baked_png(ISSUER.vc_jwt(), keyword)).record_format == "jwt_vc"


def test_an_ob2_png_baked_in_a_text_chunk_is_read():
    image = baked_png("ignored", "comment")
    body = b"openbadges\x00" + json.dumps(ob2_assertion()).encode("latin-1")
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(
        ">I", zlib.crc32(b"tEXt" + body))
    at = image.index(b"IDAT") - 4
    assert _one(image[:at] + chunk + image[at:]).record_format == "ob2"


@pytest.mark.parametrize("ob3", [True, False])
def test_baked_svg_images_are_opened(ob3):
    text = ISSUER.vc_jwt() if ob3 else json.dumps(ob2_assertion())
    candidate = _one(baked_svg(text, ob3=ob3))
    assert candidate.record_format == ("jwt_vc" if ob3 else "ob2")


def test_an_svg_that_only_points_to_a_hosted_badge_is_refused_with_that_reason():
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
           b'<openbadges:assertion verify="https://old-badges.example/a/1"/></svg>')
    with pytest.raises(ImportRefused) as caught:
        detect(svg)
    assert caught.value.code == "hosted_only"


def test_an_svg_with_entities_is_not_expanded():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>')
    with pytest.raises(ImportRefused) as caught:
        detect(bomb)
    assert caught.value.code == "bad_image"


def test_a_presentation_offers_every_readable_credential():
    jwt = ISSUER.vc_jwt(name="Enveloped")
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiablePresentation",
          "verifiableCredential": [
              ISSUER.ldp(),
              {"type": "EnvelopedVerifiableCredential", "id": f"data:application/vc+jwt,{jwt}"},
              ISSUER.sd_jwt(),
              ob2_assertion(),
              {"not": "a credential"},
              "garbage"]}
    found = detect(json.dumps(vp))
    assert found.presentation
    assert [c.record_format for c in found.candidates] == ["ldp_vc", "jwt_vc", "dc+sd-jwt", "ob2"]
    assert found.candidates[1].credential == jwt


def test_an_enveloped_credential_on_its_own_is_opened():
    token = ISSUER.vc_jwt()
    enveloped = {"@context": ["https://www.w3.org/ns/credentials/v2"],
                 "type": "EnvelopedVerifiableCredential", "id": f"data:application/vc+jwt,{token}"}
    candidate = _one(json.dumps(enveloped))
    assert candidate.record_format == "jwt_vc" and candidate.credential == token


def test_a_presentation_as_a_jwt_is_opened_too():
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
          "verifiableCredential": [ISSUER.ldp()]}
    token = sign_jws({"typ": "vp+jwt"}, json.dumps(vp).encode(), ISSUER.keypair)
    found = detect(token)
    assert found.presentation and found.candidates[0].record_format == "ldp_vc"


REFUSED = [
    (b"", "empty"),
    (b"  \n\t ", "empty"),
    ("{" * 10, "not_readable"),
    ("eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln", "not_readable"),
    (json.dumps([1, 2, 3]), "not_credential"),
    (json.dumps({"name": "x"}), "not_credential"),
    ('"just a string"', "not_credential"),
    (json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "Profile"}), "unsupported"),
    (b"\x89PNG\r\n\x1a\n", "no_badge_in_image"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x40IHDR\x00", "bad_image"),
    (b"GIF89a" + b"\x00" * 10, "unsupported"),
    (b"%PDF-1.7" + b"\x00" * 10, "unsupported"),
    (b"\xff\xfe\xfd" * 4, "not_text"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><rect/></svg>", "no_badge_in_image"),
    (b"<svg <<<", "bad_image"),
    ("https://old-badges.example/assertions/77", "hosted_only"),
    (json.dumps({"type": "VerifiablePresentation", "verifiableCredential": []}),
     "empty_presentation"),
    (b"x" * (MAX_BYTES + 1), "too_big"),
]


@pytest.mark.parametrize("data,code", REFUSED)
def test_refusals_name_their_reason(data, code):
    assert code in REFUSAL_CODES
    with pytest.raises(ImportRefused) as caught:
        detect(data)
    assert caught.value.code == code


def test_a_bomb_in_a_compressed_png_chunk_is_stopped_at_the_limit():
    bomb = baked_png("{" + " " * (3 * MAX_BYTES) + "}", compressed=True)
    assert len(bomb) < MAX_BYTES
    with pytest.raises(ImportRefused) as caught:
        detect(bomb)
    assert caught.value.code == "too_big"


def test_media_types_follow_the_format():
    assert media_type("jwt_vc") == ("application/vc+jwt", "jwt")
    assert media_type("dc+sd-jwt") == ("application/dc+sd-jwt", "sd-jwt")
    assert media_type("ldp_vc") == ("application/json", "json")
    assert media_type("ob2") == ("application/json", "json")


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300),
                 st.builds(lambda b: b"\x89PNG\r\n\x1a\n" + b, st.binary(max_size=200)),
                 st.builds(lambda t: base64.urlsafe_b64encode(t.encode()).decode() + ".e30.x",
                           st.text(max_size=50))))
def test_any_input_is_detected_or_refused(data):
    try:
        found = detect(data)
    except ImportRefused as exc:
        assert exc.code in REFUSAL_CODES
    else:
        assert found.candidates
