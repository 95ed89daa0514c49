"""Alembic environment: the engine comes from the caller (``Database.alembic_config``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

from storage.models import Base

config = context.config
target_metadata = Base.metadata


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: run migrations through `infoint db upgrade`")
    return create_engine(url)


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise RuntimeError("offline migrations are not supported; use `infoint db upgrade`")
run_migrations_online()
