"""The service host: what every service shares — lifecycle, bus, outbox relay, consumers, clock
ticks, health, telemetry — built once from settings. A service's ``bootstrap.build`` creates a
``ServiceKit``, registers its routes, handlers and tickers on it, and returns it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from faststream.nats import NatsBroker
from faststream.nats.opentelemetry import NatsTelemetryMiddleware
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from sqlalchemy import text

from jiuzhu_contracts.consumers import handled_events
from jiuzhu_runtime import calendar_sync, http_server, migrate
from jiuzhu_runtime.api_docs import documented_app
from jiuzhu_runtime.auth import AccessPolicy, TokenVerifier
from jiuzhu_kernel.clock import Clock, SystemClock
from jiuzhu_runtime.clock import BusClock
from jiuzhu_runtime.consumer import EventConsumer, Handler
from jiuzhu_runtime.db import make_engine, make_sessions
from jiuzhu_runtime.dead_letters import stuck_router
from jiuzhu_kernel.district_config import DistrictConfig, load_district_config
from jiuzhu_runtime.envelope_signatures import EnvelopeSigner, EnvelopeVerifier
from jiuzhu_runtime.errors import install_error_handlers
from jiuzhu_runtime.logging_setup import configure_logging, request_logger, uvicorn_log_config
from jiuzhu_runtime.relay import OutboxRelay, faststream_publisher
from jiuzhu_runtime.settings import ServiceSettings
from jiuzhu_runtime.streams import nats_identity, require_streams
from jiuzhu_runtime.tasks import cancel_and_wait
from jiuzhu_runtime.telemetry import instrument_engine, make_tracer_provider
from jiuzhu_runtime.trust import load_signing_key, load_trust
from jiuzhu_runtime.unit_of_work import UnitOfWork
from jiuzhu_kernel.working_days import calendar_for

log = logging.getLogger(__name__)

Ticker = Callable[[dt.datetime], Awaitable[None]]


class ServiceKit:
    def __init__(self, settings: ServiceSettings, migrations_dir: Path, *, title: str,
                 clock: Clock | None = None, config: DistrictConfig | None = None):
        self.settings = settings
        self.migrations_dir = migrations_dir
        self.title = title
        self.config = config or load_district_config(settings.district_config)
        self.district = self.config.district.code
        self.jurisdiction = self.config.jurisdiction(settings.jurisdiction) if settings.jurisdiction else None
        # Holiday files named by the district configuration (relative to it) and by JZ_HOLIDAY_FILE;
        # then, at start, the ones published on the bus (calendar_sync).
        self.calendar = calendar_for(self.config, settings.district_config.parent, settings.holiday_file)
        tz = self.config.district.timezone
        self.clock: Clock = clock or (BusClock(self.district, settings.bus_prefix, tz) if settings.clock == "bus"
                                      else SystemClock(tz))
        self.tracer_provider, self.spans = make_tracer_provider(settings.service_name(), settings.otel_exporter,
                                                                settings.otel_endpoint)
        # No exporter, no spans: tracing that nobody reads costs about a tenth of a service's CPU
        # (issue 7's profile). ``memory`` (tests) and ``console`` count as exporters.
        self.tracing = settings.otel_exporter != "none"
        self.engine = make_engine(settings.database_url)
        if self.tracing:
            instrument_engine(self.engine, self.tracer_provider)
        self.sessions = make_sessions(self.engine)
        self.case_tracer = self.tracer_provider.get_tracer("jiuzhu.case") if self.tracing else None
        # Per-message access logs at DEBUG: at INFO they cost more than the work (issue 7).
        self.trust = load_trust(settings.trust_file)
        if self.trust.district != self.district:
            raise ValueError(f"trust file {settings.trust_file} is for district {self.trust.district}, "
                             f"not {self.district}")
        self.signer = EnvelopeSigner(self.name, load_signing_key(settings.signing_key_file))
        self.verifier = EnvelopeVerifier(self.trust, settings.bus_prefix)
        self.broker = NatsBroker(settings.nats_servers, log_level=logging.DEBUG, graceful_timeout=10.0,
                                 middlewares=([NatsTelemetryMiddleware(tracer_provider=self.tracer_provider)]
                                              if self.tracing else []),
                                 max_reconnect_attempts=-1, reconnect_time_wait=1,
                                 **nats_identity(self.name, settings))
        self.relay = OutboxRelay(self.sessions, faststream_publisher(self.broker), settings.bus_prefix,
                                 settings.relay_batch)
        self.access = AccessPolicy(TokenVerifier(public_key=settings.jwt_public_key_file.read_text(),
                                                 algorithms=settings.jwt_algorithms.split(","),
                                                 issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                                                 max_lifetime=dt.timedelta(hours=settings.jwt_max_lifetime_hours)),
                                   self.district, settings.jurisdiction)
        self.consumers: list[EventConsumer] = []
        self.loops: list = []
        self.routers: list[APIRouter] = []
        self.tickers: list[Ticker] = []
        self.ticked_at: dt.datetime | None = None
        self._on_start: list[Callable[[], Awaitable[None]]] = []
        self._tick_lock = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []
        self.on_start(lambda: calendar_sync.load_published(self.sessions, self.calendar))

    # --- what a service registers -------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.settings.service_name()

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.settings.bus_prefix, self.relay.wake, tracer=self.case_tracer,
                          signer=self.signer, hand_to_relay=self.relay.hand, relay_look_again=self.relay.look_again)

    def consume(self, handlers: Mapping[str, Handler], *, whole_district: bool = False, suffix: str = "",
                subject: str | None = None, claim_as: str | None = None, start_seq=None) -> None:
        """Consume with the durable consumer ``<instance><suffix>`` the operator provisioned
        (``jiuzhu_contracts.consumers``): the event types ``handlers`` handles, in this jurisdiction (in
        the whole district: ``whole_district``, or a district service), or ``subject``. The service
        only binds to it, and refuses to start if it is missing or leaves out a type handled here
        (``claim_as``, ``start_seq``: see ``EventConsumer``; ``start_seq`` only matters to a consumer
        not provisioned, i.e. never to a service)."""
        prefix = self.settings.bus_prefix
        where = "*" if whole_district or not self.jurisdiction else self.jurisdiction.code
        subject = subject or handled_events(handlers, self.district, where, prefix)
        consumer = EventConsumer(name=f"{self.name}{suffix}", filter_subject=subject, handlers=handlers,
                                 unit_of_work=self.unit_of_work, prefix=prefix, district=self.district,
                                 verifier=self.verifier,
                                 max_deliver=self.settings.max_deliver,
                                 ack_wait_seconds=self.settings.ack_wait_seconds,
                                 claim_as=claim_as, start_seq=start_seq, bind=True)
        self.consumers.append(consumer)

    def add_loop(self, loop) -> None:
        """Another pull loop to run with the service (e.g. oversight's dead-letter recorder), bound to
        its consumer as the operator provisioned it (with this service's ack wait, as its consumers)."""
        loop.bind = True
        loop.ack_wait = self.settings.ack_wait_seconds
        self.loops.append(loop)

    def include(self, router: APIRouter) -> None:
        self.routers.append(router)

    def every_tick(self, ticker: Ticker) -> None:
        """Run on every business-clock change and every few seconds of wall time."""
        self.tickers.append(ticker)

    def on_start(self, action: Callable[[], Awaitable[None]]) -> None:
        """Run once the database and bus are reachable, before the service takes requests."""
        self._on_start.append(action)

    # --- lifecycle -----------------------------------------------------------------------------
    async def start(self) -> None:
        await self.broker.connect()
        js = self.broker.connection.jetstream()
        await require_streams(js, self.settings.bus_prefix)
        if isinstance(self.clock, BusClock):
            self.clock.on_change(self.tick)
            await self.clock.start(js)
        await self.broker.start()
        for action in self._on_start:
            await action()
        tracer = self.tracer_provider.get_tracer("jiuzhu.consumer") if self.tracing else None
        if not any(c.name == f"{self.name}-calendar" for c in self.consumers):
            # Last, after the service's own consumers: the district's holiday files (calendar_sync).
            self.consume(calendar_sync.handlers(self.calendar), suffix="-calendar",
                         subject=calendar_sync.subject(self.district, self.settings.bus_prefix))
        for consumer in self.consumers:
            await consumer.start(js, tracer)
        for loop in self.loops:
            await loop.start(js)
        self._tasks.append(asyncio.create_task(self.relay.run(), name="outbox-relay"))
        self._tasks.append(asyncio.create_task(self._tick_forever(), name="ticker"))

    async def stop(self) -> None:
        """Stop in dependency order; every step is bounded, so a stuck drain never hangs a shutdown."""
        async def bounded(what: str, step, seconds: float = 10.0) -> None:
            try:
                await asyncio.wait_for(step, seconds)
            except TimeoutError:
                log.warning("%s: %s did not finish within %.0f s; continuing shutdown", self.name, what, seconds)
            except Exception as exc:
                log.warning("%s: %s failed during shutdown: %s", self.name, what, exc)

        for consumer in self.consumers:
            await bounded(f"consumer {consumer.name}", consumer.stop())
        for loop in self.loops:
            await bounded(f"loop {loop.durable}", loop.stop())
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:  # cancelled again until it ends: a cancellation can be lost (tasks.py)
            if not await cancel_and_wait(task):
                log.warning("%s: task %s did not end within 10 s; continuing shutdown", self.name, task.get_name())
            elif not task.cancelled() and task.exception() is not None:
                log.warning("%s: task %s ended with %r", self.name, task.get_name(), task.exception())
        self._tasks.clear()
        if isinstance(self.clock, BusClock):
            await bounded("business clock", self.clock.stop())
        await bounded("broker", self.broker.stop())
        await bounded("database pool", self.engine.dispose())

    async def tick(self, now: dt.datetime | None = None) -> None:
        async with self._tick_lock:
            now = now or self.clock.now()
            for ticker in self.tickers:
                try:
                    await ticker(now)
                except Exception:
                    log.exception("ticker %s failed", getattr(ticker, "__name__", ticker))
            self.ticked_at = now

    async def _tick_forever(self, every: float = 5.0) -> None:
        while True:
            await self.tick()
            await asyncio.sleep(every)

    async def health(self) -> dict:
        database = True
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            database = False
        nats = self.broker._connection is not None and self.broker.connection.is_connected
        pending = None
        if database:
            try:
                pending = await self.relay.pending()
            except Exception:  # the server went away between the two reads (a stale pooled
                database = False  # connection after a restart): degraded, not an error page
        return {
            "status": "ok" if database and nats else "degraded",
            "service": self.settings.service,
            "instance": self.name,
            "district": self.district,
            "jurisdiction": self.jurisdiction.code if self.jurisdiction else None,
            "business_now": self.clock.now().isoformat(),
            "ticked_at": self.ticked_at.isoformat() if self.ticked_at else None,
            "database": database,
            "nats": nats,
            "outbox_pending": pending,
            "consumers": {c.name: {"processed": c.processed, "dead_lettered": c.dead_lettered}
                          for c in self.consumers},
        }

    # --- HTTP ----------------------------------------------------------------------------------
    def app(self) -> FastAPI:
        @contextlib.asynccontextmanager
        async def lifespan(_: FastAPI):
            await self.start()
            try:
                yield
            finally:
                await self.stop()

        where = f" — {self.jurisdiction.name} ({self.jurisdiction.code})" if self.jurisdiction else ""
        # /docs and /redoc with their assets served by the service itself (no CDN on an intranet).
        app = documented_app(title=f"{self.title}{where}", version="0.1.0", lifespan=lifespan)
        install_error_handlers(app)
        request_logger(app)

        @app.get("/health", tags=["health"], summary="Liveness and readiness / 健康检查")
        async def health() -> JSONResponse:
            body = await self.health()
            return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)

        for router in self.routers:
            app.include_router(router)
        app.include_router(stuck_router(self.access, jurisdiction_service=self.jurisdiction is not None,
                                        sessions=self.sessions))
        if self.tracing:
            FastAPIInstrumentor.instrument_app(app, tracer_provider=self.tracer_provider)
        return app

    def run(self) -> None:
        configure_logging(self.settings.log_level, self.settings.log_format, self.name)
        if self.settings.migrate_on_start:
            migrate.upgrade(self.settings.database_url, self.migrations_dir)
        # timeout_keep_alive: clients that poll reuse connections beyond uvicorn's 5 s
        http_server.serve(self.app(), host=self.settings.http_host, port=self.settings.http_port,
                          log_level=self.settings.log_level.lower(), access_log=False,
                          log_config=uvicorn_log_config(), timeout_keep_alive=30)
