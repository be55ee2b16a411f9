"""The OpenAPI document describes every route and method of the API, so it cannot drift."""

import json
import re

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from bascule.interop.api import urls as api_urls
from bascule.interop.api.core import api_view


def api_routes() -> dict[str, set[str]]:
    """{"/posts/{post_id}/": {"get", "patch", "delete"}, …} from the URL patterns."""
    routes = {}
    for pattern in api_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        methods = getattr(pattern.callback, "api_methods", None)
        if methods is None:
            continue  # openapi.json itself and the JSON 404 for unknown addresses
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        routes[path] = {m.lower() for m in methods}
    return routes


def test_it_serves_a_valid_openapi_document_without_a_token(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.1")
    assert {"openapi", "info", "paths", "components", "servers", "security"} <= set(document)
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token.",
    }
    assert "Error" in document["components"]["schemas"]


def test_it_describes_every_route_and_method(db):
    document = Client().get("/api/v1/openapi.json").json()
    routes = api_routes()
    assert len(routes) >= 15
    described = {path: set(item) for path, item in document["paths"].items()}
    assert described == routes


def test_every_reference_resolves(db):
    document = Client().get("/api/v1/openapi.json").json()
    text = json.dumps(document)
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node = document
        for part in ref.split("/"):
            node = node[part]


def test_every_operation_declares_its_path_parameters_and_errors(db):
    document = Client().get("/api/v1/openapi.json").json()
    for path, item in document["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for method, operation in item.items():
            declared = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert declared == names, (path, method)
            assert "401" in operation["responses"] and "429" in operation["responses"]


def test_the_url_resolver_knows_no_other_api_route():
    # Everything under api/v1/ comes from interop.api.urls: nothing else can hide there.
    resolver = get_resolver()
    includes = [p for p in resolver.url_patterns if isinstance(p, URLResolver) and str(p.pattern) == "api/v1/"]
    assert len(includes) == 1 and includes[0].urlconf_module is api_urls


def test_api_view_lists_its_methods():
    assert api_view(GET=lambda r: None, POST=lambda r: None).api_methods == ["GET", "POST"]


def test_the_document_refuses_other_methods_in_json(db):
    response = Client().post("/api/v1/openapi.json")
    assert response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"
