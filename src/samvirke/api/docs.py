"""Turns the OpenAPI schema into plain data for the server-rendered reference page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    location: str
    required: bool
    type: str
    description: str


@dataclass
class Body:
    media_types: list[str]
    type: str
    ref: str | None


@dataclass
class ResponseDoc:
    status: str
    description: str
    type: str
    ref: str | None


@dataclass
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    parameters: list[Parameter]
    body: Body | None
    responses: list[ResponseDoc]
    security: list[str]

    @property
    def anchor(self) -> str:
        return f"op-{self.operation_id}"


@dataclass
class Property:
    name: str
    type: str
    required: bool
    read_only: bool
    description: str


@dataclass
class Component:
    name: str
    description: str
    properties: list[Property]
    enum: list[Any]


@dataclass
class Tag:
    name: str
    operations: list[Operation] = field(default_factory=list)


@dataclass
class ApiDescription:
    title: str
    version: str
    description: str
    tags: list[Tag]
    components: list[Component]
    security_schemes: dict[str, dict]


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_label(schema: dict | None) -> str:
    """A short, readable type: `Arrangement`, `array of Participant`, `string (date)`."""
    if not schema:
        return ""
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    for combinator in ("allOf", "oneOf", "anyOf"):
        if combinator in schema:
            parts = [type_label(s) for s in schema[combinator]]
            label = " | ".join(p for p in parts if p)
            return f"{label}, nullable" if schema.get("nullable") else label
    kind = schema.get("type", "object")
    if kind == "array":
        label = f"array of {type_label(schema.get('items'))}"
    elif (
        kind == "object"
        and "additionalProperties" in schema
        and isinstance(schema["additionalProperties"], dict)
    ):
        label = f"map of {type_label(schema['additionalProperties'])}"
    else:
        label = kind
        if schema.get("format"):
            label += f" ({schema['format']})"
    if schema.get("enum"):
        label += ": " + ", ".join(str(v) for v in schema["enum"] if v not in ("", None))
    if schema.get("nullable"):
        label += ", nullable"
    return label


def _first_ref(schema: dict | None) -> str | None:
    if not schema:
        return None
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if schema.get("type") == "array":
        return _first_ref(schema.get("items"))
    return None


def describe_schema(schema: dict) -> ApiDescription:
    tags: dict[str, Tag] = {}
    for path, item in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            parameters = [
                Parameter(
                    name=p["name"],
                    location=p["in"],
                    required=p.get("required", False),
                    type=type_label(p.get("schema")),
                    description=p.get("description", ""),
                )
                for p in op.get("parameters", [])
            ]
            body = None
            if "requestBody" in op:
                content = op["requestBody"].get("content", {})
                first = next(iter(content.values()), {})
                body = Body(
                    media_types=list(content),
                    type=type_label(first.get("schema")),
                    ref=_first_ref(first.get("schema")),
                )
            responses = []
            for status, response in sorted(op.get("responses", {}).items()):
                content = response.get("content", {})
                first = next(iter(content.values()), {})
                label = type_label(first.get("schema"))
                if len(content) > 1 or (content and "application/json" not in content):
                    label = f"{label} ({', '.join(content)})"
                responses.append(
                    ResponseDoc(
                        status=status,
                        description=response.get("description", ""),
                        type=label,
                        ref=_first_ref(first.get("schema")),
                    )
                )
            operation = Operation(
                method=method.upper(),
                path=path,
                operation_id=op.get("operationId", f"{method}{path}"),
                summary=op.get("summary", ""),
                description=op.get("description", ""),
                parameters=parameters,
                body=body,
                responses=responses,
                security=[name for s in op.get("security", []) for name in s],
            )
            for tag_name in op.get("tags", ["api"]):
                tags.setdefault(tag_name, Tag(name=tag_name)).operations.append(operation)

    components = []
    for name, component in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(component.get("required", []))
        components.append(
            Component(
                name=name,
                description=component.get("description", ""),
                properties=[
                    Property(
                        name=prop_name,
                        type=type_label(prop),
                        required=prop_name in required,
                        read_only=prop.get("readOnly", False),
                        description=prop.get("description", ""),
                    )
                    for prop_name, prop in component.get("properties", {}).items()
                ],
                enum=[v for v in component.get("enum", []) if v not in ("", None)],
            )
        )
    info = schema.get("info", {})
    return ApiDescription(
        title=info.get("title", ""),
        version=info.get("version", ""),
        description=info.get("description", ""),
        tags=sorted(tags.values(), key=lambda t: t.name),
        components=components,
        security_schemes=schema.get("components", {}).get("securitySchemes", {}),
    )
