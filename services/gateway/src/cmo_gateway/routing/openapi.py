"""One OpenAPI document for the whole API: the gateway's own routes and every routed one.

Each routed operation is taken from its service's document, with the roles that may call it
and its security requirements. Schemas of the same name that differ between services are
renamed `<Service><Name>`; identical ones are shared.
"""

import copy
import json
from typing import Any

from ..accounts.domain import Role
from .routes import ROUTES, Route

SECURITY_SCHEMES = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An access token from `POST /auth/token`.",
    },
    "apiKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "An integration's API key (from `POST /integrations`).",
    },
}
ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}
AUTH_RESPONSES = {
    "401": {
        "description": "No valid credentials",
        "content": {"application/json": {"schema": ERROR_REF}},
    },
    "403": {
        "description": "The role may not do this",
        "content": {"application/json": {"schema": ERROR_REF}},
    },
}
GATEWAY_RESPONSES = {
    "413": {
        "description": "Body too large",
        "content": {"application/json": {"schema": ERROR_REF}},
    },
    "503": {
        "description": "The service is not available",
        "content": {"application/json": {"schema": ERROR_REF}},
    },
    "504": {
        "description": "The service did not answer in time",
        "content": {"application/json": {"schema": ERROR_REF}},
    },
}


def security(route: Route) -> list[dict[str, list[str]]]:
    """The security requirements of a route: none if public."""
    if route.public:
        return []
    schemes: list[dict[str, list[str]]] = [{"bearerAuth": []}]
    if Role.INTEGRATION in route.roles:
        schemes.append({"apiKey": []})
    return schemes


def _roles_text(route: Route) -> str:
    if route.public:
        return "Public: no credentials needed."
    names = ", ".join(sorted(r.value for r in route.roles))
    limited = ", ".join(type(limit).__name__ for limit in route.limits)
    return f"Roles: {names}." + (
        f" Limited to the caller's own resources ({limited})." if limited else ""
    )


def _rename_refs(node: Any, names: dict[str, str]) -> Any:
    text = json.dumps(node)
    for old, new in names.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    return json.loads(text)


def document(
    own: dict[str, Any], services: dict[str, dict[str, Any]], *, max_page_size: int = 100
) -> dict[str, Any]:
    """The merged document: `own` is the gateway's, `services` each service's by name."""
    merged = copy.deepcopy(own)
    schemas: dict[str, Any] = merged.setdefault("components", {}).setdefault("schemas", {})
    renames = _merge_schemas(schemas, services)
    paths: dict[str, Any] = {}
    for route in ROUTES:
        if route.service == "gateway":
            operation = copy.deepcopy(own["paths"][route.path][route.method.lower()])
        else:
            source = services.get(route.service)
            if source is None:
                continue
            operation = _rename_refs(
                source["paths"][route.path][route.method.lower()], renames[route.service]
            )
            operation["operationId"] = f"{route.service}_{operation.get('operationId', '')}"
        operation["security"] = security(route)
        operation["description"] = (
            f"{operation.get('description', '')}\n\n{_roles_text(route)}".strip()
        )
        operation["tags"] = [route.service]
        _cap_page_size(operation, max_page_size)
        if route.method == "POST" and route.service != "gateway":
            operation["description"] = f"{operation['description']}\n\n{IDEMPOTENCY_NOTE}"
        responses = operation.setdefault("responses", {})
        extra = {**(AUTH_RESPONSES if not route.public else {}), **GATEWAY_RESPONSES}
        for status, response in extra.items():
            responses.setdefault(status, response)
        paths.setdefault(route.path, {})[route.method.lower()] = operation
    merged["paths"] = {**{p: v for p, v in own["paths"].items() if p not in paths}, **paths}
    merged["components"]["securitySchemes"] = SECURITY_SCHEMES
    return merged


# A note, not a declared header parameter: a declared optional header makes the fuzzer's
# coverage phase send "Authorization missing" variants that its own --header puts back.
IDEMPOTENCY_NOTE = (
    "Optional header `Idempotency-Key` (1-255 printable ASCII characters, the caller's own): "
    "the same key with the same request within 24 h answers the first answer again (header "
    "`Idempotent-Replayed: true`) without a second effect; with another request 422 "
    "`idempotency_key_reused`; while the first still runs 409 `idempotency_key_in_flight`."
)


def _merge_schemas(
    schemas: dict[str, Any], services: dict[str, dict[str, Any]]
) -> dict[str, dict[str, str]]:
    """Add every service's schemas to `schemas`; return each service's renames.

    A name another document already uses for a different schema is renamed
    `<Service><Name>` for this service; the comparison is between the schemas as their
    services wrote them, so that a schema is never taken for a clash with its own renamed copy.
    """
    written: dict[str, Any] = dict(schemas)
    renames: dict[str, dict[str, str]] = {}
    for service, source in services.items():
        theirs = source.get("components", {}).get("schemas", {})
        names = {
            name: f"{service.capitalize()}{name}"
            for name, schema in theirs.items()
            if name in written and written[name] != schema
        }
        for name, schema in theirs.items():
            written.setdefault(name, schema)
            schemas.setdefault(names.get(name, name), _rename_refs(schema, names))
        renames[service] = names
    return renames


def _cap_page_size(operation: dict[str, Any], cap: int) -> None:
    """Document the gateway's page-size cap where a service allows larger pages."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter["name"] == "page_size" and schema.get("maximum", cap + 1) > cap:
            schema["maximum"] = cap
