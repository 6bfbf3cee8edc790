"""Median timings of canonize() against pyld on a realistic OB 3.0 credential.

Run: .venv/bin/python tests/core/jsonld/bench_canon.py [--no-pyld]
"""

from __future__ import annotations

import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pyld import jsonld  # noqa: E402

from helpers import ob3_example, ob3_proof_config  # noqa: E402
from openler.core.jsonld import canonize, default_loader, to_rdf  # noqa: E402
from openler.core.jsonld.rdfc10 import canonicalize  # noqa: E402

OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"


def median_us(fn, number: int, repeat: int = 15) -> float:
    return statistics.median(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def main() -> None:
    credential, config = ob3_example(), ob3_proof_config()
    loader = default_loader()
    quads = to_rdf(credential)
    canonize(credential)
    canonize(config)
    print(f"OB3 credential: {len(quads)} quads")
    print(f"canonize(credential)   {median_us(lambda: canonize(credential), 2000):8.1f} us")
    print(f"  to_rdf               {median_us(lambda: to_rdf(credential), 2000):8.1f} us")
    print(f"  RDFC-1.0 on quads    {median_us(lambda: canonicalize(quads), 2000):8.1f} us")
    print(f"canonize(proof config) {median_us(lambda: canonize(config), 5000):8.1f} us")
    # safe mode needs the OB extensions context (it defines the credentialSchema type)
    defined = {**credential, "@context": [*credential["@context"], OB_EXTENSIONS]}
    canonize(defined, safe=True)
    print(f"canonize(+extensions)  {median_us(lambda: canonize(defined), 2000):8.1f} us")
    print(f"canonize(+ext., safe)  "
          f"{median_us(lambda: canonize(defined, safe=True), 2000):8.1f} us")
    if "--no-pyld" not in sys.argv:
        options = {"algorithm": "URDNA2015", "format": "application/n-quads",
                   "documentLoader": loader}
        pyld_us = median_us(lambda: jsonld.normalize(credential, options), 20, 7)
        print(f"pyld normalize(credential) {pyld_us:8.1f} us")


if __name__ == "__main__":
    main()
