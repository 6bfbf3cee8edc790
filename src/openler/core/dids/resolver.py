"""DidResolver: dispatch by DID method, find a verification method, cache documents.

Spec: DID Core 1.0, section 7.1 (DID Resolution) and 7.2 (DID URL
Dereferencing, for the ``#fragment`` of a verification method id); W3C
Controlled Identifiers 1.0, section 3.3 (Retrieve Verification Method:
the method's ``controller`` must be the document that lists it).

did:key is answered offline; did:web goes through the injected Fetcher.
Controller documents that are not DIDs (an issuer's https profile holding
its keys, as in Open Badges examples) can be supplied as ``documents``.
Any other method or scheme raises UnsupportedDidMethodError (an
InvalidDidError subclass), so callers can tell "unsupported" from "absent".
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from openler.core.dids.document import find_verification_method
from openler.core.dids.key import PREFIX as KEY_PREFIX
from openler.core.dids.key import resolve_did_key
from openler.core.dids.ports import Fetcher
from openler.core.dids.web import PREFIX as WEB_PREFIX
from openler.core.dids.web import resolve_did_web
from openler.core.errors import DidResolutionError, InvalidDidError, UnsupportedDidMethodError


class DidResolver:
    """Resolves DIDs and verification method ids; keeps a small TTL cache of documents."""

    def __init__(self, *, fetcher: Fetcher | None = None,
                 documents: Mapping[str, Mapping[str, Any]] | None = None,
                 cache_ttl: float = 300.0, cache_size: int = 256,
                 clock: Callable[[], float] = time.monotonic,
                 web_scheme: str = "https") -> None:
        self._fetcher = fetcher
        self._documents = {k: dict(v) for k, v in (documents or {}).items()}
        self._ttl = cache_ttl
        self._size = cache_size
        self._clock = clock
        self._web_scheme = web_scheme
        self._cache: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()

    def resolve(self, did: str) -> dict[str, Any]:
        """The controller document for ``did`` (a DID or a pinned document id)."""
        bare = did.split("#", 1)[0]
        if bare in self._documents:
            return self._documents[bare]
        if bare.startswith(KEY_PREFIX):
            return resolve_did_key(bare)
        if not bare.startswith(WEB_PREFIX):
            method = bare.split(":")[1] if bare.startswith("did:") and bare.count(":") >= 2 else None
            reason = f"unsupported DID method {method!r}" if method else "not a DID we can resolve"
            raise UnsupportedDidMethodError(did, reason)
        hit = self._cache.get(bare)
        now = self._clock()
        if hit is not None and hit[0] > now:
            self._cache.move_to_end(bare)
            return hit[1]
        if self._fetcher is None:
            raise DidResolutionError(did, "no fetcher configured for did:web")
        doc = resolve_did_web(bare, fetcher=self._fetcher, scheme=self._web_scheme)
        if self._ttl > 0:
            self._cache[bare] = (now + self._ttl, doc)
            self._cache.move_to_end(bare)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return doc

    def resolve_verification_method(self, vm_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The (controller document, verification method) for a proof's ``verificationMethod``."""
        if not isinstance(vm_id, str) or "#" not in vm_id:
            raise InvalidDidError(str(vm_id), "a verification method id needs a '#fragment'")
        doc = self.resolve(vm_id)
        vm = find_verification_method(doc, vm_id)
        if vm.get("controller") != doc.get("id"):
            raise InvalidDidError(vm_id, "verification method's controller is not the document that lists it")
        return doc, vm

    def forget(self, did: str | None = None) -> None:
        """Drop cached documents (one DID, or all), e.g. after a key rotation notice."""
        if did is None:
            self._cache.clear()
        else:
            self._cache.pop(did.split("#", 1)[0], None)
