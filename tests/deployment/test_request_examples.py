"""Every request body in every service's OpenAPI document comes with an example that passes
validation as it stands (issue "Out of the box", part 7): a newcomer can send it from /docs
without hand-computing a resident ID's check digit."""

from __future__ import annotations

import json

import pytest
from pydantic import TypeAdapter

from jiuzhu_contracts.producers import SERVICES
from jiuzhu_devstack.testing import _api_routes


def _request_bodies(app):
    """(method, path, body type) of every route that takes a body."""
    for route in _api_routes(app.routes):
        if route.body_field is not None:
            for method in route.methods:
                yield method, route.path, route.body_field


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = spec["components"]["schemas"][name]
    return schema


@pytest.mark.parametrize("service", SERVICES)
def test_every_request_body_has_an_example_that_passes_validation(apps, service):
    app = apps[service]
    spec = app.openapi()
    checked = 0
    for method, path, field in _request_bodies(app):
        content = spec["paths"][path][method.lower()]["requestBody"]["content"]
        [(media, body)] = content.items()
        schema = _resolve(spec, body["schema"])
        examples = schema.get("examples") or ([body["example"]] if "example" in body else [])
        if not examples and "properties" in schema:  # a form: one example per field
            fields = {name: _resolve(spec, p).get("examples") for name, p in schema["properties"].items()}
            if all(fields.values()):
                examples = [{name: values[0] for name, values in fields.items()}]
        assert examples, f"{service}: {method} {path} has no example of its {media} body"
        adapter = TypeAdapter(field.field_info.annotation)
        for example in examples:
            # As the request will arrive: JSON text, validated in JSON mode (dates as strings).
            adapter.validate_json(json.dumps(example, ensure_ascii=False))
            checked += 1
    assert checked, f"{service}: no request body found (the walk would prove nothing)"
