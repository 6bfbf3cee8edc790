"""Claim offer mail is queued and sent after the issuing transaction commits.

`mail_outbox` rows gain a delivery state: "kept" (no mail server: staff pass the
message on; every row before this revision), "queued" (waiting for SMTP, with
`attempts`, `next_attempt_at`, `last_error` and the sender's `lease`), "sent"
(with `sent_at`) and "failed" (gave up after the last attempt; staff pass it on).
Also indexes `awards.issued_credential_id` and the revocation slot of
`issued_credentials`, so a verified credential (or a holder-bound copy of it, which
shares the award's status slot) finds its award for the dashboard without a scan.

Revision ID: 0010_mail_queue
Revises: 0009_cohort_worker
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_mail_queue"
down_revision = "0009_cohort_worker"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mail_outbox", sa.Column("state", sa.String(16), nullable=False,
                                           server_default="kept"))
    op.add_column("mail_outbox", sa.Column("attempts", sa.Integer, nullable=False,
                                           server_default="0"))
    op.add_column("mail_outbox", sa.Column("next_attempt_at", sa.DateTime(timezone=True),
                                           nullable=True))
    op.add_column("mail_outbox", sa.Column("sent_at", sa.DateTime(timezone=True),
                                           nullable=True))
    op.add_column("mail_outbox", sa.Column("last_error", sa.String(300), nullable=True))
    op.add_column("mail_outbox", sa.Column("lease", sa.String(32), nullable=True))
    op.create_index("ix_mail_outbox_state_next", "mail_outbox", ["state", "next_attempt_at"])
    op.create_index("ix_mail_outbox_lease", "mail_outbox", ["lease"])
    op.create_index("ix_awards_issued_credential_id", "awards", ["issued_credential_id"])
    op.create_index("ix_issued_credentials_revocation_slot", "issued_credentials",
                    ["revocation_list_id", "revocation_index"])


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of the table is not needed.
    op.drop_index("ix_issued_credentials_revocation_slot", table_name="issued_credentials")
    op.drop_index("ix_awards_issued_credential_id", table_name="awards")
    op.drop_index("ix_mail_outbox_lease", table_name="mail_outbox")
    op.drop_index("ix_mail_outbox_state_next", table_name="mail_outbox")
    for column in ("lease", "last_error", "sent_at", "next_attempt_at", "attempts", "state"):
        op.drop_column("mail_outbox", column)
