"""Alembic environment: runs online against the engine given in config.attributes."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import openler.storage.tables_issuer  # noqa: F401  (registers the issuer tables)
from openler.storage.tables import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine: Engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():  # pragma: no cover
    raise SystemExit("OpenLER migrations run online only: use `openler db upgrade`.")
run_migrations_online()
