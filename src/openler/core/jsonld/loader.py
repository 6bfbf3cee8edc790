"""A document loader that serves only bundled, SHA-256-pinned JSON-LD contexts.

The core never touches the network: every context a credential may name is
shipped in ``contexts/`` and checked against its pinned hash the first time it
is read. Any other URL raises ``ContextNotAllowedError``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from openler.core.errors import ContextNotAllowedError, DocumentLoaderError


@dataclass(frozen=True, slots=True)
class BundledContext:
    """A context URL, the bundled file that answers for it, and that file's pin."""

    url: str
    filename: str
    sha256: str


_CONTEXTS = [
    BundledContext("https://www.w3.org/ns/credentials/v2", "credentials-v2.jsonld",
                   "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f"),
    BundledContext("https://www.w3.org/2018/credentials/v1", "credentials-v1.jsonld",
                   "00d7dd6d3ad8b920e3e550dd3a3d9090bffcac84cdbf943da6924b3e0a5c8bb8"),
    BundledContext("https://www.w3.org/ns/credentials/undefined-terms/v2",
                   "credentials-undefined-terms-v2.jsonld",
                   "82dab514ba44eb18f5d1b0f638c5e140c6a556fbfb5089601bdc0fa5eb8b2581"),
    BundledContext("https://w3id.org/security/data-integrity/v2", "data-integrity-v2.jsonld",
                   "0f77743daf5b4e8fc067fc5ba5b21044283053aa717fc6b0219843bed3b00363"),
    BundledContext("https://w3id.org/security/data-integrity/v1", "data-integrity-v1.jsonld",
                   "b5d829bd09aa7c42abc6efa0c8ed7635313b5487f37ccfce3ecd149ca9418554"),
    BundledContext("https://w3id.org/security/multikey/v1", "multikey-v1.jsonld",
                   "c5f3806f8286920573221938917988a18a4cc5a09e968d29649613c7a1c2b1f6"),
    BundledContext("https://www.w3.org/ns/did/v1", "did-v1.jsonld",
                   "62c1054bf404d6dd3a4b26b64f830fd72095f6a26edc4469908c94351352ce5f"),
    BundledContext("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                   "ob-v3p0-context-3.0.3.json",
                   "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761"),
    BundledContext("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
                   "ob-v3p0-context-3.0.2.json",
                   "00666ad080ba407687ed1846b7f5e7495f5019042b202a727de47c48a1755c53"),
    BundledContext("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
                   "ob-v3p0-context-3.0.1.json",
                   "d582f3564282fb3b709136d28412e78e70b678b4dbc2f0221f67d84932748355"),
    BundledContext("https://purl.imsglobal.org/spec/ob/v3p0/context.json",
                   "ob-v3p0-context.json",
                   "b077fa134d909d92c1dcd1c153f2af1b244aeb415967fdc1467d7fc5dd48ac10"),
    BundledContext("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
                   "ob-v3p0-extensions.json",
                   "1c4f705af92007783c589eb1f1b221ecc24ac588a83e0212faf1728c69b61487"),
    BundledContext("https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
                   "clr-v2p0-context-2.0.1.json",
                   "880f1902d4158f2f33ce06af41b90719977cd1ea337a9de2e41edb3ff5e543d6"),
]

BUNDLED_CONTEXTS: dict[str, BundledContext] = {c.url: c for c in _CONTEXTS}


@cache
def _read_pinned(url: str) -> dict[str, Any]:
    entry = BUNDLED_CONTEXTS[url]
    data = resources.files("openler.core.jsonld").joinpath("contexts", entry.filename).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.sha256:
        raise DocumentLoaderError(url, f"bundled file {entry.filename} does not match its pinned SHA-256")
    return json.loads(data)


class DocumentLoader:
    """Serves bundled contexts by URL and refuses everything else.

    Callable with pyld's loader signature so the reference implementation can
    use it in tests and benchmarks.
    """

    def __init__(self, extra: dict[str, dict[str, Any]] | None = None) -> None:
        self._extra = dict(extra or {})

    def get(self, url: str) -> dict[str, Any]:
        """The parsed context document for ``url``; never fetches."""
        if url in self._extra:
            return self._extra[url]
        key = url.split("#", 1)[0]
        if key not in BUNDLED_CONTEXTS:
            raise ContextNotAllowedError(url)
        return _read_pinned(key)

    def __call__(self, url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": url, "document": self.get(url)}


@cache
def default_loader() -> DocumentLoader:
    """The process-wide strict loader over the bundled contexts."""
    return DocumentLoader()
