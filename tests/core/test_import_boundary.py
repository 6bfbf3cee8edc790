"""openler.core stays a pure standards core: importing and using every module of it
loads no web framework, ORM or HTTP client (DESIGN.md rule 1)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

FORBIDDEN = (
    "fastapi", "starlette", "uvicorn", "jinja2", "sqlalchemy", "alembic", "psycopg",
    "httpx", "httpcore", "requests", "urllib3", "aiohttp", "flask", "django",
)


def test_core_imports_no_web_orm_or_http_client() -> None:
    script = textwrap.dedent(
        """
        import importlib, json, pkgutil, sys
        import openler.core
        for mod in pkgutil.walk_packages(openler.core.__path__, "openler.core."):
            importlib.import_module(mod.name)
        # Exercise the paths that load lazily: canonicalization, including the
        # reference fallback for a construct the fast walker leaves to pyld.
        from openler.core.jsonld import canonize
        canonize({"@context": {"@vocab": "https://example.org/"}, "@id": "urn:a",
                  "@reverse": {"https://example.org/knows": {"@id": "urn:b"}}})
        canonize({"@context": ["https://www.w3.org/ns/credentials/v2"],
                  "type": ["VerifiableCredential"], "issuer": "did:example:1",
                  "credentialSubject": {"id": "did:example:2"}})
        print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(json.loads(out.strip().splitlines()[-1]))
    assert "openler" in loaded
    assert not loaded & set(FORBIDDEN), sorted(loaded & set(FORBIDDEN))
