"""Issuer domain types: the public base URL and the DIDs and URLs derived from it.

Spec: did:web Method Specification, section 3.2.1 (a DID for a path on a host:
``did:web:<host>%3A<port>:orgs:<id>`` is published at ``/orgs/<id>/did.json``);
Bitstring Status List v1.0 section 2.2 (the list credential's URL).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, urlsplit

from openler.issuer.errors import IssuerInputError

StatusPurpose = Literal["revocation", "suspension"]
PURPOSES: tuple[StatusPurpose, ...] = ("revocation", "suspension")
CRYPTOSUITE_FOR = {"Ed25519": "eddsa-rdfc-2022", "P-256": "ecdsa-rdfc-2019"}


@dataclass(frozen=True, slots=True)
class PublicBase:
    """Where this instance is reached from outside; every DID and list URL derives from it."""

    url: str

    @classmethod
    def parse(cls, url: str) -> PublicBase:
        """Check and normalise a base URL such as ``https://badges.example.org``."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise IssuerInputError(f"The public URL {url!r} is not an http(s) URL.")
        if parts.query or parts.fragment:
            raise IssuerInputError("The public URL cannot have a query or fragment.")
        return cls(f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}")

    @property
    def did(self) -> str:
        """The instance's own did:web (host, then any path segments)."""
        parts = urlsplit(self.url)
        segments = [quote(s, safe="") for s in parts.path.split("/") if s]
        return ":".join(["did:web", quote(parts.netloc, safe=""), *segments])

    def org_did(self, org_id: str) -> str:
        """The did:web of one organization, published at ``/orgs/<id>/did.json``."""
        return f"{self.did}:orgs:{org_id}"

    def org_id_of(self, did: str) -> str | None:
        """The organization id if ``did`` is one of this instance's organization DIDs."""
        prefix = f"{self.did}:orgs:"
        bare = did.split("#", 1)[0]
        if not bare.startswith(prefix):
            return None
        rest = bare[len(prefix):]
        return rest if rest and rest.isalnum() else None

    def status_list_url(self, list_id: str) -> str:
        """The public URL of a BitstringStatusListCredential."""
        return f"{self.url}/credentials/status/{list_id}"

    def status_list_id_of(self, url: str) -> str | None:
        """The list id if ``url`` is one of this instance's status lists."""
        prefix = f"{self.url}/credentials/status/"
        if not url.startswith(prefix):
            return None
        rest = url[len(prefix):]
        return rest if rest and rest.isalnum() else None
