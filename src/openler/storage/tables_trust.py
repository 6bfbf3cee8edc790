"""Tables of an organization's trust registry: the issuers it recognises and the lists it imported.

Spec: Digital Credentials Consortium issuer registry format (a JSON object with
``meta`` and a ``registry`` object keyed by DID, each entry ``name``, ``url``,
``location``); W3C DID Core 1.0 section 3.1 (the DID syntax kept in ``did``).
What is stored where, and why:

- ``trust_registries``: one row per registry file an organization imported:
  the name it gave the list, the file's ``meta.updated`` (as written), when and
  by whom, and how many issuers it brought. Removing it removes its issuers.
- ``trust_issuers``: one row per recognised issuer DID of an organization
  (``did`` unique per organization): its name, an accreditation note, the
  ``url``/``location`` a registry gave, ``registry_id`` (NULL when a member added
  it by hand) with the registry's name copied in ``registry_name`` so a report
  can say who vouched, and when and by whom it was added.

Created by migration 0014_trust_registry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from openler.storage.tables import Base, UtcDateTime, new_id

MAX_DID = 500


class TrustRegistry(Base):
    __tablename__ = "trust_registries"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    updated: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    imported_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    entry_count: Mapped[int] = mapped_column(Integer, default=0)


class TrustIssuer(Base):
    __tablename__ = "trust_issuers"
    __table_args__ = (UniqueConstraint("org_id", "did", name="uq_trust_issuers_org_did"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    did: Mapped[str] = mapped_column(String(MAX_DID))
    name: Mapped[str] = mapped_column(String(200))
    accreditation: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    registry_id: Mapped[str | None] = mapped_column(
        ForeignKey("trust_registries.id", ondelete="CASCADE"), nullable=True, index=True)
    registry_name: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    added_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
