"""A plain view model of the API reference, built from the app's OpenAPI document.

Spec: OpenAPI 3.1.0, sections 4.8.10 (Operation Object), 4.8.12 (Parameter),
4.8.13 (Request Body), 4.8.16-17 (Responses), 4.8.27-30 (Security Scheme and
Requirement); schemas are put into words by ``api_schema``.
The page at /docs renders this model; ``build_reference`` is pure: give it a
``translate`` function and every English word it returns goes through it, and
whatever stays English is marked ``lang="en"``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from markupsafe import Markup, escape

from openler.web.api_schema import Body, SchemaReader, Text, Translate, Words
from openler.web.i18n import N_

__all__ = ["METHODS", "Reference", "Text", "build_reference", "code_spans"]
METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
LOCATIONS = {
    "path": N_("in the path"), "query": N_("in the query string"),
    "header": N_("request header"), "cookie": N_("cookie"),
}


@dataclass(frozen=True)
class Parameter:
    name: str
    location: Text
    type: Text
    required: bool
    description: Text | None


@dataclass(frozen=True)
class Response:
    status: str
    phrase: Text | None
    description: tuple[Text, ...]
    body: Body | None


@dataclass(frozen=True)
class Access:
    scheme: str
    label: Text
    description: tuple[Text, ...]


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: Text
    description: tuple[Text, ...]
    access: tuple[Access, ...]  # empty: anyone may call it
    access_optional: bool  # a token is accepted but not needed
    parameters: tuple[Parameter, ...]
    body: Body | None
    responses: tuple[Response, ...]


@dataclass(frozen=True)
class Group:
    anchor: str
    title: Text
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class Reference:
    title: str
    version: str
    groups: tuple[Group, ...]

    @property
    def operations(self) -> list[Operation]:
        return [op for group in self.groups for op in group.operations]


def code_spans(text: str, lang: str | None = None) -> Markup:
    """Show `backticked` words of an OpenAPI description as code, everything escaped."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: show the text as it is
        return Markup(escape(text))
    tag = Markup('<code lang="%s">%%s</code>') % lang if lang else Markup("<code>%s</code>")
    return Markup("").join(
        tag % part if i % 2 else escape(part) for i, part in enumerate(parts)
    )


def build_reference(openapi: Mapping[str, Any], *, translate: Translate | None = None) -> Reference:
    """Turn an OpenAPI document into sections a person can read, in the page's language."""
    words = Words(translate)
    schema = SchemaReader(openapi, words)
    schemes = openapi.get("components", {}).get("securitySchemes", {})
    groups: dict[str, list[Operation]] = {}
    anchors: set[str] = set()
    for path, item in openapi.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            tag = (op.get("tags") or [""])[0]
            security = op.get("security", openapi.get("security", []))
            groups.setdefault(tag, []).append(Operation(
                anchor=_unique(_slug(f"{method}-{path}"), anchors),
                method=method.upper(),
                path=path,
                summary=words.text(str(op.get("summary") or "").strip()
                                   or op.get("operationId") or path),
                description=words.paragraphs(op.get("description")),
                access=tuple(_access(name, schemes.get(name, {}), words)
                             for requirement in security for name in requirement),
                access_optional=any(not requirement for requirement in security),
                parameters=tuple(_parameter(p, schema, words) for p in
                                 _parameters(schema, [*shared, *op.get("parameters", [])])),
                body=schema.body(schema.resolve(op["requestBody"]))
                if "requestBody" in op else None,
                responses=tuple(_response(code, schema.resolve(r), schema, words)
                                for code, r in sorted(op.get("responses", {}).items(),
                                                      key=lambda kv: _status_order(kv[0]))),
            ))
    tag_order = [t.get("name", "") for t in openapi.get("tags", [])]
    ordered = sorted(groups, key=lambda t: (t == "", t not in tag_order,
                                            tag_order.index(t) if t in tag_order else 0))
    return Reference(
        title=str(openapi.get("info", {}).get("title", "API")),
        version=str(openapi.get("info", {}).get("version", "")),
        groups=tuple(Group(anchor=_unique(_slug("group-" + (tag or "other")), anchors),
                           title=words.text(tag or N_("Other endpoints")),
                           operations=tuple(ops)) for tag, ops in
                     ((t, groups[t]) for t in ordered)),
    )


def _parameter(spec: Mapping[str, Any], schema: SchemaReader, words: Words) -> Parameter:
    where = spec.get("in", "query")
    return Parameter(
        name=str(spec.get("name", "")),
        location=words.text(LOCATIONS.get(where, where)),
        type=schema.type_words(spec.get("schema", {})),
        required=bool(spec.get("required", where == "path")),
        description=words.text(spec["description"]) if spec.get("description") else None,
    )


def _parameters(schema: SchemaReader, specs: list[Any]) -> list[Mapping[str, Any]]:
    """Path-level parameters, overridden by the operation's of the same name and place."""
    merged: dict[tuple[str, str], Mapping[str, Any]] = {}
    for spec in specs:
        resolved = schema.resolve(spec)
        merged[(str(resolved.get("name")), str(resolved.get("in")))] = resolved
    return list(merged.values())


def _response(code: str, spec: Mapping[str, Any], schema: SchemaReader, words: Words) -> Response:
    phrase: Text | None = None
    if code.isdigit():
        try:
            phrase = words.text(HTTPStatus(int(code)).phrase)
        except ValueError:
            phrase = None
    elif code == "default":
        phrase = words.text(N_("Any other status"))
    return Response(status=code, phrase=phrase,
                    description=words.paragraphs(spec.get("description")),
                    body=schema.body(spec))


def _access(name: str, scheme: Mapping[str, Any], words: Words) -> Access:
    kind, how = scheme.get("type"), str(scheme.get("scheme", "")).lower()
    if kind == "http" and how == "bearer":
        label = words.text(N_("A bearer token in the Authorization header"))
    elif kind == "http":
        label = words.format(N_("HTTP %(scheme)s authentication"), scheme=how)
    elif kind == "apiKey":
        label = words.format(N_("An API key in the %(where)s %(name)s"), name=str(scheme.get("name")),
                             where=words.text(LOCATIONS.get(str(scheme.get("in")), "request header")))
    elif kind in ("oauth2", "openIdConnect"):
        label = words.text(N_("An OAuth 2.0 access token"))
    else:
        label = words.format(N_("The %(name)s security scheme"), name=name)
    return Access(scheme=name, label=label, description=words.paragraphs(scheme.get("description")))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _unique(anchor: str, taken: set[str]) -> str:
    candidate, n = anchor, 2
    while candidate in taken:
        candidate, n = f"{anchor}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _status_order(code: str) -> tuple[int, str]:
    return (int(code), code) if code.isdigit() else (1000, code)
