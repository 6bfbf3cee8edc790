"""The core's exception tree, drawn once so callers can catch at the right depth.

    CoreError
    ├── DocumentLoaderError           a JSON-LD context could not be served
    │   └── ContextNotAllowedError    not one of the bundled, pinned contexts (no network)
    ├── CanonicalizationError         RDFC-1.0 could not finish (invalid JSON-LD, work limit)
    │   └── UnsafeDataError           JSON-LD would drop data, so a proof could not cover it
    ├── KeyMaterialError              key material is malformed or of an unsupported type
    ├── DidResolutionError            a DID or verification method could not be resolved
    │   ├── AddressNotAllowedError    an outbound fetch targeted a private/loopback address
    │   └── InvalidDidError           the DID is malformed, absent or has no such key
    │       └── UnsupportedDidMethodError  a DID method this core does not resolve
    ├── StatusListError               a status list could not be read or is malformed
    │   └── StatusListFullError       no free index is left in a status list
    ├── SdJwtError                    an SD-JWT could not be parsed
    │   └── SdJwtIssuanceError        an SD-JWT could not be issued as asked
    ├── CredentialParseError          a document is not the OB3/CLR structure asked for
    ├── PresentationError             a presentation could not be assembled
    ├── ProofOptionsError             signing options are unusable (suite, dates)
    └── VerificationInputError        input is neither a JSON credential/presentation nor an SD-JWT

A credential that is bad (tampered, expired, revoked...) is never an exception:
verification returns a result. These types are for checks that could not run.
"""

from __future__ import annotations


class CoreError(Exception):
    """Base of every error raised by openler.core."""


class DocumentLoaderError(CoreError):
    """A JSON-LD document could not be loaded."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"cannot load JSON-LD document {url!r}: {reason}")
        self.url = url
        self.reason = reason


class ContextNotAllowedError(DocumentLoaderError):
    """The URL is not a bundled, hash-pinned context; the core never fetches."""

    def __init__(self, url: str) -> None:
        super().__init__(url, "only bundled, hash-pinned contexts are served (no network access)")


class CanonicalizationError(CoreError):
    """RDF dataset canonicalization could not complete."""


class KeyMaterialError(CoreError):
    """Key material is malformed or of an unsupported type."""


class DidResolutionError(CoreError):
    """A DID or verification method could not be resolved."""

    def __init__(self, did: str, reason: str) -> None:
        super().__init__(f"cannot resolve {did!r}: {reason}")
        self.did = did
        self.reason = reason


class AddressNotAllowedError(DidResolutionError):
    """An outbound fetch would reach a private, loopback or link-local address."""


class StatusListError(CoreError):
    """A status list credential could not be fetched or decoded."""


class SdJwtError(CoreError):
    """An SD-JWT could not be parsed or is structurally invalid."""


class InvalidDidError(DidResolutionError):
    """The DID, its document or the named verification method is malformed or
    absent: a definite answer about the input, unlike a fetch that failed."""


class SdJwtIssuanceError(SdJwtError):
    """An SD-JWT cannot be issued or presented as asked (e.g. a claim path that does not exist)."""


class VerificationInputError(CoreError):
    """The input to verification is neither a JSON object nor a compact SD-JWT."""


class CredentialParseError(CoreError):
    """A JSON document could not be read as the expected credential model.

    ``problems`` lists (JSON path, plain-English message) pairs.
    """

    def __init__(self, model: str, problems: list[tuple[str, str]]) -> None:
        summary = "; ".join(f"{path}: {message}" for path, message in problems[:5])
        super().__init__(f"not a valid {model}: {summary}")
        self.model = model
        self.problems = problems


class PresentationError(CoreError):
    """A presentation cannot be built from what was given (no holder, no challenge...)."""


class ProofOptionsError(CoreError):
    """A proof cannot be created with the options given (unknown cryptosuite, bad date)."""


class StatusListFullError(StatusListError):
    """Every index of a status list has already been given to a credential."""


class UnsafeDataError(CanonicalizationError):
    """JSON-LD processing would drop or leave unsigned some of the document's data
    (VC Data Integrity 1.0 §4, "safe mode"); ``items`` lists (JSON path, event, value)."""

    def __init__(self, items: list[tuple[str, str, str]]) -> None:
        shown = ", ".join(f"{path} ({event})" for path, event, _ in items[:10])
        more = f" and {len(items) - 10} more" if len(items) > 10 else ""
        super().__init__(f"JSON-LD processing would drop {shown}{more}")
        self.items = items

    @property
    def paths(self) -> list[str]:
        """The JSON paths of what would be dropped, in document order, without repeats."""
        return list(dict.fromkeys(path for path, _, _ in self.items))


class UnsupportedDidMethodError(InvalidDidError):
    """The identifier uses a DID method (or a non-DID scheme) this resolver does not
    support: nothing is known about the key, so a verifier says "could not check"."""
