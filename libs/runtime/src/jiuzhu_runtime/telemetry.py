"""OpenTelemetry set-up shared by every service: exporter chosen by settings.

Traces cross NATS through FastStream's telemetry middleware (W3C ``traceparent`` in message
headers); the outbox stores the context of the transaction that wrote an event so the relay's
publish continues that trace; SQL statements are spans too.
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


def make_tracer_provider(service_name: str, exporter: str, endpoint: str | None = None
                         ) -> tuple[TracerProvider, InMemorySpanExporter | None]:
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    memory = None
    if exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint) if endpoint
                                                       else OTLPSpanExporter()))
    elif exporter == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    elif exporter == "memory":
        memory = InMemorySpanExporter()
        provider.add_span_processor(SimpleSpanProcessor(memory))
    return provider, memory


def tracer(provider: TracerProvider, name: str = "jiuzhu") -> trace.Tracer:
    return provider.get_tracer(name)


def instrument_engine(engine, provider: TracerProvider) -> None:
    """SQL statements become spans of this engine's service.

    ``SQLAlchemyInstrumentor().instrument`` is a process-wide singleton that skips a second engine;
    ``EngineTracer`` attaches to exactly one engine, so two services in one test process both trace.
    """
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
    from opentelemetry.metrics import get_meter

    usage = get_meter("jiuzhu.sql").create_up_down_counter("db.client.connections.usage")
    EngineTracer(provider.get_tracer("opentelemetry.instrumentation.sqlalchemy"), engine.sync_engine, usage)
