"""Each service's migrations build exactly the schema its models describe (no drift)."""

import asyncio
import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine

from jiuzhu_runtime import migrate
from jiuzhu_runtime.db import runtime_metadata, to_async_url

SERVICES = ("intake", "verification", "publicity", "decision", "oversight", "disbursement")


@pytest.mark.parametrize("service", SERVICES)
async def test_migrated_schema_equals_the_models(infrastructure, service):
    package = importlib.import_module(f"jiuzhu_{service}")
    tables = importlib.import_module(f"jiuzhu_{service}.adapters.tables").metadata
    url = infrastructure.database(f"schema_{service}")
    migrations = importlib.import_module(f"jiuzhu_{service}.bootstrap").MIGRATIONS
    await asyncio.to_thread(migrate.upgrade, url, migrations)
    combined = MetaData()
    for md in (runtime_metadata, tables):
        for table in md.tables.values():
            table.to_metadata(combined)
    engine = create_async_engine(to_async_url(url))
    async with engine.connect() as conn:
        diff = await conn.run_sync(lambda sync: compare_metadata(
            MigrationContext.configure(sync, opts={"compare_type": True}), combined))
    await engine.dispose()
    ignored = {"alembic_version"}
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name in ignored)]
    assert diff == [], f"{package.__name__}: migrations and models differ: {diff}"
