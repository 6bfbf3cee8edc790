"""Checking a record in the wallet: the same ordered checks as the verifier's API.

Spec: W3C VC Data Model 2.0, section 7.1 (verification) through
``openler.core.verify``; Bitstring Status List v1.0, section 3.2. Keys and
status lists of organizations on this instance are read straight from the
database (``openler.issuer.resolution``); anything on another host goes
through the ``fetcher`` port, which by default refuses, so such a check
reads "could not check" rather than reaching out from a page view.
Records kept as text are checked by their own rules: an SD-JWT VC (RFC 9901
section 7) through ``verify_credential``, a VC-JOSE token (VC-JOSE-COSE
section 3.1.1) through ``openler.core.verify.vc_jose``. Input the core cannot
read at all becomes a failed "well_formed" result, never an exception.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from openler.core.dids import Fetcher, FetchResponse
from openler.core.errors import DidResolutionError, VerificationInputError
from openler.core.jsonld import default_loader
from openler.core.sdjwt import looks_like_sd_jwt
from openler.core.verify import VerificationContext, VerificationResult, verify_credential
from openler.core.verify.credential import CREDENTIAL_CHECKS, not_run
from openler.core.verify.result import make_check
from openler.core.verify.vc_jose import looks_like_jws, verify_vc_jwt
from openler.issuer.resolution import InstanceDidResolver, RemoteResolvers, status_list_fetcher
from openler.issuer.service import IssuerConfig


class NoOutsideFetch:
    """A Fetcher that never leaves this instance."""

    def fetch(self, url: str) -> FetchResponse:
        """Refuse: the wallet does not fetch from other hosts here."""
        raise DidResolutionError(url, "the wallet does not fetch from other hosts")


def context(db: Session, *, config: IssuerConfig, now: datetime, language: str,
            fetcher: Fetcher | None = None, allow_private: bool = False) -> VerificationContext:
    """A verification context for this instance (database first, then ``fetcher``)."""
    outside: Fetcher = fetcher or NoOutsideFetch()
    remote = RemoteResolvers(outside, allow_private=allow_private and fetcher is not None)
    return VerificationContext(
        resolver=InstanceDidResolver(db, config=config, remote=remote),
        loader=default_loader(),
        fetch_status_list=status_list_fetcher(db, config=config, fetcher=outside, now=now),
        now=now,
        language=language,
    )


def check(db: Session, *, credential: dict[str, Any] | str, config: IssuerConfig,
          now: datetime, language: str = "en", fetcher: Fetcher | None = None,
          allow_private: bool = False) -> VerificationResult:
    """Run every check on one stored credential (proof, issuer key, status, validity...)."""
    ctx = context(db, config=config, now=now, language=language, fetcher=fetcher,
                  allow_private=allow_private)
    if isinstance(credential, str) and not looks_like_sd_jwt(credential) \
            and looks_like_jws(credential):
        return verify_vc_jwt(credential, ctx)
    try:
        return verify_credential(credential, ctx=ctx)
    except VerificationInputError as exc:
        bad = make_check("well_formed", "failed", "format.invalid", str(exc),
                         language=ctx.language)
        return VerificationResult("credential", "json",
                                  (bad, *not_run(CREDENTIAL_CHECKS[1:], ctx, "unreadable")))
