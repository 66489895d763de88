"""Composition root of the staff console (once per district): settings → the services' APIs,
the calendar, the sign-in, the pages."""

from __future__ import annotations

import datetime as dt

from jiuzhu_runtime import http_server
from jiuzhu_runtime.auth import TokenVerifier
from jiuzhu_kernel.district_config import load_district_config
from jiuzhu_runtime.logging_setup import configure_logging, uvicorn_log_config
from jiuzhu_kernel.working_days import calendar_for

from jiuzhu_console.adapters.services_api import ServicesApi
from jiuzhu_console.adapters.sign_in import DevelopmentSignIn, OidcSignIn
from jiuzhu_console.entrypoints.app import create_app
from jiuzhu_console.entrypoints.web import SessionSeal, Web, make_templates
from jiuzhu_console.service_layer.context import Console
from jiuzhu_console.settings import ConsoleSettings


def make_sign_in(settings: ConsoleSettings, config):
    if settings.sign_in == "oidc":
        missing = [n for n in ("oidc_metadata_url", "oidc_client_id", "oidc_client_secret_file")
                   if not getattr(settings, n)]
        if missing:
            raise ValueError(f"sign_in=oidc needs {', '.join('JZ_' + m.upper() for m in missing)}")
        return OidcSignIn(metadata_url=settings.oidc_metadata_url, client_id=settings.oidc_client_id,
                          client_secret=settings.oidc_client_secret_file.read_text().strip(),
                          scope=settings.oidc_scope)
    if settings.dev_issuer_key_file is None:
        raise ValueError("the development sign-in needs JZ_DEV_ISSUER_KEY_FILE (./jz up sets it); "
                         "production: JZ_SIGN_IN=oidc")
    return DevelopmentSignIn.from_key_file(config, settings.dev_issuer_key_file, settings.session_hours)


def build(settings: ConsoleSettings, *, transport=None):
    config = load_district_config(settings.district_config)
    calendar = calendar_for(config, settings.district_config.parent, settings.holiday_file)
    console = Console(config=config, calendar=calendar,
                      api=ServicesApi(settings.services, timeout=settings.api_timeout_seconds, transport=transport))
    verifier = TokenVerifier(public_key=settings.jwt_public_key_file.read_text(),
                             algorithms=settings.jwt_algorithms.split(","), issuer=settings.jwt_issuer,
                             audience=settings.jwt_audience, max_lifetime=dt.timedelta(hours=12))
    secret = settings.session_secret_file.read_text().strip()
    if len(secret) < 32:
        raise ValueError(f"{settings.session_secret_file}: the session secret must be at least 32 characters")
    web = Web(make_templates(config.district.timezone), verifier, console, seal=SessionSeal(secret),
              idle_minutes=settings.idle_minutes)
    return create_app(web, make_sign_in(settings, config), secret=secret,
                      https_only=settings.https_only)


def main() -> None:
    settings = ConsoleSettings()
    configure_logging(settings.log_level, settings.log_format, "console")
    http_server.serve(build(settings), host=settings.http_host, port=settings.http_port,
                      log_config=uvicorn_log_config())
