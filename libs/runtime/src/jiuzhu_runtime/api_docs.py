"""Every service's API documentation — Swagger UI at ``/docs``, ReDoc at ``/redoc`` — served from
the service itself. District intranets have no internet: FastAPI's own pages load their scripts,
styles, favicon and (ReDoc) fonts from CDNs and stay blank there.

The assets come from the ``fastapi-offline`` wheel (Swagger UI 5 and ReDoc 2 bundles, MIT), so
they are installed from the package registry with everything else and pinned in ``uv.lock``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from pydantic import ConfigDict

ASSETS = "/static-offline-docs"

# Swagger UI's default ``validatorUrl`` makes the browser fetch a badge from validator.swagger.io
# for every document it shows; null turns the online validator off.
SWAGGER_UI = {"validatorUrl": None}


def documented_app(**kwargs: Any) -> FastAPI:
    """A FastAPI application whose ``/docs`` and ``/redoc`` need nothing outside the service."""
    return FastAPIOffline(docs_url="/docs", redoc_url="/redoc", static_url=ASSETS,
                          swagger_ui_parameters=SWAGGER_UI, **kwargs)


def examples(*bodies: dict[str, Any]) -> ConfigDict:
    """A request model's ``model_config`` entry with its examples: shown by /docs and /redoc as the
    body "Try it out" starts from. Each must pass the model's validation as it stands
    (tests/deployment/test_request_examples.py); a subclass's config merges with its base's."""
    return ConfigDict(json_schema_extra={"examples": list(bodies)})
