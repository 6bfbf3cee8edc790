"""DID resolution and status-list fetching for this instance's verifier endpoints.

Spec: did:web Method Specification, section 3.2.2 (Read), and Bitstring Status
List v1.0, section 3.2 (retrieve the list credential). DIDs and status lists
that this instance publishes are answered from the database, with no HTTP
round trip to itself; everything else goes through ``openler.net``'s
SafeHttpFetcher (SSRF guards; ``allow_private`` only for tests and local
development, which also allows plain http to loopback hosts).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from sqlalchemy.orm import Session

from openler.core.dids import DidResolver, Fetcher, find_verification_method
from openler.core.errors import DidResolutionError, InvalidDidError
from openler.issuer import service
from openler.issuer.errors import IssuerNotFound
from openler.issuer.service import IssuerConfig

MAX_LIST_BYTES = 2_000_000
_LOOPBACK = ("localhost", "127.0.0.1", "[::1]")


class RemoteResolvers:
    """did:web resolvers shared across requests.

    They keep no cache of their own: how long a DID document may be reused is what its
    server's HTTP cache headers say, and the fetcher (``SafeHttpFetcher``) applies them.
    """

    def __init__(self, fetcher: Fetcher, *, allow_private: bool) -> None:
        self.fetcher = fetcher
        self.allow_private = allow_private
        self._https = DidResolver(fetcher=fetcher, cache_ttl=0)
        self._http = DidResolver(fetcher=fetcher, web_scheme="http", cache_ttl=0)

    def for_did(self, did: str) -> DidResolver:
        """http only for loopback hosts when private addresses are allowed (tests, dev)."""
        if self.allow_private and did.startswith("did:web:"):
            host = unquote(did[len("did:web:"):].split(":", 1)[0]).rsplit(":", 1)[0]
            if host.lower() in _LOOPBACK or host.startswith("127."):
                return self._http
        return self._https


class InstanceDidResolver:
    """Resolves this instance's organization DIDs from the database, others remotely."""

    def __init__(self, db: Session, *, config: IssuerConfig, remote: RemoteResolvers) -> None:
        self._db = db
        self._config = config
        self._remote = remote

    def resolve(self, did: str) -> dict[str, Any]:
        """The DID document for ``did`` (a DID or DID URL)."""
        org_id = self._config.base.org_id_of(did)
        if org_id is None:
            return self._remote.for_did(did).resolve(did)
        try:
            return service.did_document(self._db, config=self._config, org_id=org_id)
        except IssuerNotFound:
            raise InvalidDidError(did.split("#", 1)[0], "no such organization DID here") from None

    def resolve_verification_method(self, vm_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The (controller document, verification method) named by a proof."""
        if not isinstance(vm_id, str) or "#" not in vm_id:
            raise InvalidDidError(str(vm_id), "a verification method id needs a '#fragment'")
        if self._config.base.org_id_of(vm_id) is None:
            return self._remote.for_did(vm_id).resolve_verification_method(vm_id)
        doc = self.resolve(vm_id)
        vm = find_verification_method(doc, vm_id)
        if vm.get("controller") != doc.get("id"):
            raise InvalidDidError(vm_id, "verification method's controller is not its document")
        return doc, vm


def status_list_fetcher(db: Session, *, config: IssuerConfig, fetcher: Fetcher,
                        now: datetime) -> Callable[[str], dict[str, Any]]:
    """``fetch_status_list(url)`` for the verification pipeline."""

    def fetch(url: str) -> dict[str, Any]:
        list_id = config.base.status_list_id_of(url)
        if list_id is not None:
            return service.status_list_document(db, config=config, list_id=list_id, now=now)
        response = fetcher.fetch(url)
        if response.status != 200:
            raise DidResolutionError(url, f"HTTP {response.status}")
        if len(response.body) > MAX_LIST_BYTES:
            raise DidResolutionError(url, "status list too large")
        document = json.loads(response.body)
        if not isinstance(document, dict):
            raise DidResolutionError(url, "status list is not a JSON object")
        return document

    return fetch
