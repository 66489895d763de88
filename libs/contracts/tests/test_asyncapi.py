from jiuzhu_contracts.asyncapi import COMMITTED, render
from jiuzhu_contracts.events import ALL_EVENTS


def test_committed_asyncapi_document_is_current():
    assert COMMITTED.exists(), "generate it: uv run python -m jiuzhu_contracts.asyncapi --write"
    assert COMMITTED.read_text(encoding="utf-8") == render(), (
        "libs/contracts/asyncapi.json is stale: uv run python -m jiuzhu_contracts.asyncapi --write")


def test_document_lists_every_event():
    text = COMMITTED.read_text(encoding="utf-8")
    for cls in ALL_EVENTS:
        assert f'"{cls.event_type}.v{cls.version}"' in text
