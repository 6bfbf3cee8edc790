"""Median time of sign() and verify_proof() for an OB3 AchievementCredential with
alignments and a credentialStatus.

Run: .venv/bin/python tests/core/proofs/bench_proofs.py [rounds]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from openler.core.dids import DidResolver, did_key_from_public, did_key_vm_id
from openler.core.jsonld import canonize
from openler.core.keys import generate_keypair
from openler.core.proofs import sign, verify_proof

DATA = Path(__file__).resolve().parent / "data" / "ob3-achievement-credential.json"


def _median_ms(fn, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main(rounds: int = 50) -> None:
    for algorithm, suite in (("Ed25519", "eddsa-rdfc-2022"), ("P-256", "ecdsa-rdfc-2019")):
        pair = generate_keypair(algorithm)
        did = did_key_from_public(pair.public_key())
        credential = json.loads(DATA.read_text().replace("did:key:ISSUER", did))
        vm = did_key_vm_id(pair.public_key())
        resolver = DidResolver()
        signed = sign(credential, keypair=pair, verification_method=vm, cryptosuite=suite)
        assert verify_proof(signed, resolver=resolver).ok
        canon = _median_ms(lambda c=credential: canonize(c), rounds)
        t_sign = _median_ms(
            lambda c=credential, p=pair, v=vm, s=suite: sign(
                c, keypair=p, verification_method=v, cryptosuite=s
            ),
            rounds,
        )
        t_verify = _median_ms(lambda d=signed, r=resolver: verify_proof(d, resolver=r), rounds)
        print(
            f"{suite}: canonize(document) {canon:.2f} ms | sign {t_sign:.2f} ms | "
            f"verify_proof {t_verify:.2f} ms (median of {rounds})"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
