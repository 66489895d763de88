"""Alembic helpers. Each service keeps its own migrations in ``<package>/migrations``; its
``env.py`` calls ``run_env`` and its first revision calls ``create_runtime_tables``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from jiuzhu_runtime.db import to_async_url


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def ensure_database(url: str) -> None:
    """Create this instance's database on its server if it is not there yet."""
    parts = urlsplit(_plain(url))
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    conn = await asyncpg.connect(admin)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            try:
                await conn.execute(f'CREATE DATABASE "{name}"')
            except asyncpg.DuplicateDatabaseError:
                pass  # another process created it meanwhile
    finally:
        await conn.close()


def _config(database_url: str, migrations_dir: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option("sqlalchemy.url", to_async_url(database_url))
    return cfg


def upgrade(database_url: str, migrations_dir: Path, revision: str = "head") -> None:
    """Bring the database to the newest revision (or to ``revision``). Call outside a running event loop."""
    asyncio.run(ensure_database(database_url))
    command.upgrade(_config(database_url, migrations_dir), revision)


def downgrade(database_url: str, migrations_dir: Path, revision: str) -> None:
    """Take the database back to ``revision`` (a rollback of a deployment; the migrations' tests)."""
    command.downgrade(_config(database_url, migrations_dir), revision)


def run_env(target_metadata: sa.MetaData | None = None) -> None:
    """The body of every service's ``migrations/env.py``."""
    from alembic import context

    url = context.config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    def migrate(connection) -> None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()

    async def go() -> None:
        engine = create_async_engine(url, poolclass=NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(migrate)
            await connection.commit()
        await engine.dispose()

    asyncio.run(go())


def create_runtime_tables(op) -> None:
    """Outbox and processed-events tables, version 1 (see ``jiuzhu_runtime.db``)."""
    op.create_table(
        "outbox",
        sa.Column("event_id", sa.String(26), primary_key=True),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("headers", JSONB, nullable=False, server_default="{}"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("stream_seq", sa.BigInteger),
    )
    op.create_index("outbox_unpublished", "outbox", ["created_at", "event_id"],
                    postgresql_where=sa.text("published_at IS NULL"))
    op.create_index("outbox_case", "outbox", ["case_id"])
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.Text, primary_key=True),
        sa.Column("event_id", sa.String(26), primary_key=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def create_dead_lettered_table(op) -> None:
    """Runtime tables, version 3: what this service's consumers dead-lettered (``jiuzhu_runtime.db``)."""
    op.create_table(
        "dead_lettered",
        sa.Column("consumer", sa.Text, primary_key=True),
        sa.Column("stream_seq", sa.BigInteger, primary_key=True),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("event_id", sa.Text),
        sa.Column("event_type", sa.Text),
        sa.Column("case_id", sa.Text),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("ix_dead_lettered_case_id", "dead_lettered", ["case_id"])


def create_case_traces_table(op) -> None:
    """Runtime tables, version 2: each case's trace context (see ``jiuzhu_runtime.case_trace``)."""
    op.create_table(
        "case_traces",
        sa.Column("case_id", sa.Text, primary_key=True),
        sa.Column("context", JSONB, nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def create_holiday_calendars_table(op) -> None:
    """Runtime tables, version 4: the holiday files published on the bus (``jiuzhu_runtime.calendar_sync``)."""
    op.create_table(
        "holiday_calendars",
        sa.Column("event_id", sa.String(26), primary_key=True),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("calendar", JSONB, nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
