"""What a verification needs from the outside world, passed in (DESIGN.md rule 1).

The DID resolver (did:key offline; did:web through an injected fetcher), the
JSON-LD loader, the status-list fetcher and its cache, the clock, what the
verifier expects of a presentation (challenge, domain, audience) and the
language of the messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from openler.core.dids import DidResolver
from openler.core.errors import DidResolutionError
from openler.core.jsonld import DocumentLoader, default_loader
from openler.core.verify.messages import DEFAULT_LANGUAGE, LANGUAGES


def _system_clock() -> datetime:
    return datetime.now(UTC)


class GuardedResolver:
    """A resolver whose transport failures read as "could not reach", never as a crash.

    The fetcher behind did:web is an injected port; a refused connection or a timeout
    that escapes it as OSError is the issuer being unreachable (DidResolutionError).
    Every other attribute is the wrapped resolver's.
    """

    __slots__ = ("inner",)

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def resolve_verification_method(self, vm_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The wrapped lookup, with OSError/TimeoutError turned into DidResolutionError."""
        try:
            return self.inner.resolve_verification_method(vm_id)
        except OSError as exc:  # ConnectionRefusedError, TimeoutError, socket errors
            raise DidResolutionError(str(vm_id), f"could not reach the host: {exc}") from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@dataclass(slots=True)
class VerificationContext:
    """Injected dependencies and expectations for one or many verifications."""

    resolver: Any = None                      # DidResolver-like (resolve_verification_method)
    loader: DocumentLoader | None = None
    fetch_status_list: Callable[[str], Any] | None = None
    status_cache: Any = None                  # passed through to core.status.check_status
    now: Callable[[], datetime] | datetime | None = None
    challenge: str | None = None
    domain: str | None = None
    audience: str | None = None
    language: str = DEFAULT_LANGUAGE
    require_key_binding: bool | None = None   # SD-JWT: None = required when a nonce is expected
    # SD-JWT KB-JWT freshness when a nonce is expected; None for a stored presentation whose
    # challenge the verifier issued itself (a share link opened days later).
    kb_max_age_seconds: int | None = 600
    check_schema: bool = True
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.resolver is None:
            self.resolver = DidResolver()
        if not isinstance(self.resolver, GuardedResolver):
            self.resolver = GuardedResolver(self.resolver)
        if self.loader is None:
            self.loader = default_loader()
        if self.language not in LANGUAGES:
            self.language = DEFAULT_LANGUAGE

    def clock(self) -> datetime:
        """The current time as the verifier sees it (aware, UTC)."""
        value = self.now
        if value is None:
            return _system_clock()
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        current = value()
        return current if current.tzinfo else current.replace(tzinfo=UTC)
