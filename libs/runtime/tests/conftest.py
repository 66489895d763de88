
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, Text

from jiuzhu_runtime.db import make_engine, make_sessions, runtime_metadata
from jiuzhu_runtime.migrate import ensure_database
from jiuzhu_runtime.streams import provision

effects_metadata = MetaData()
# Deliberately not unique on event_id: only the consumer's claim keeps a redelivery from counting twice.
effects = Table("effects", effects_metadata, Column("id", Integer, primary_key=True, autoincrement=True),
                Column("event_id", String(26), nullable=False), Column("case_id", Text, nullable=False))


@pytest.fixture
def prefix(infrastructure):
    """A bus prefix of this test alone: its own streams."""
    return infrastructure.new_prefix()


@pytest.fixture
async def engine(infrastructure):
    url = infrastructure.database("runtime")
    await ensure_database(url)
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(runtime_metadata.create_all)
        await conn.run_sync(effects_metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine):
    return make_sessions(engine)


@pytest.fixture
async def js(infrastructure, prefix):
    nc = await infrastructure.connect()
    js = nc.jetstream()
    await provision(js, prefix)
    yield js
    await nc.close()


from jiuzhu_devstack.testing import eventually  # noqa: E402,F401  (one helper for every test)
