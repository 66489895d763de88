"""While the database is away (a failover, a restart), a request gets 503 with Retry-After at once
— never a 500 and never a half-done change (issue 17, item 2)."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import DBAPIError, OperationalError

from jiuzhu_runtime.errors import database_unreachable, install_error_handlers


class ShuttingDown(Exception):
    sqlstate = "57P01"  # admin_shutdown: the server is going away


def app_raising(error: BaseException) -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/cases")
    async def cases():
        raise error

    return TestClient(app, raise_server_exceptions=False)


def test_connection_level_failures_are_recognised():
    assert database_unreachable(ConnectionRefusedError(111, "refused"))
    assert database_unreachable(ShuttingDown())
    wrapped = RuntimeError("pool")
    wrapped.__cause__ = ConnectionResetError()
    assert database_unreachable(wrapped)
    assert not database_unreachable(ValueError("a bug"))
    assert database_unreachable(DBAPIError("BEGIN", {}, ValueError("odd state"), connection_invalidated=True))
    assert not database_unreachable(DBAPIError("BEGIN", {}, ValueError("odd state")))


def test_a_refused_connection_is_503_with_retry_after():
    r = app_raising(ConnectionRefusedError(111, "Connect call failed")).get("/cases")
    assert r.status_code == 503 and r.headers["retry-after"] == "5"
    assert r.json()["detail"].startswith("数据库暂时不可用")


def test_a_server_shutting_down_mid_request_is_503():
    r = app_raising(OperationalError("SELECT 1", {}, ShuttingDown())).get("/cases")
    assert r.status_code == 503 and r.headers["retry-after"] == "5"


def test_any_other_database_error_stays_a_500():
    r = app_raising(DBAPIError("SELECT 1", {}, ValueError("bug"))).get("/cases")
    assert r.status_code == 500
