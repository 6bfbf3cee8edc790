"""The API reference's view model: every operation of the real app, $ref resolved,
required flags, types in words, who may call, translation marks; never mutates input."""

from __future__ import annotations

import copy
import re

from hypothesis import given
from hypothesis import strategies as st

from openler.web.api_reference import METHODS, Text, build_reference, code_spans

PERSON_DOC = {
    "openapi": "3.1.0",
    "info": {"title": "T", "version": "1"},
    "security": [{"key": []}],
    "paths": {
        "/people/{id}": {
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "put": {
                "summary": "Replace a person",
                "description": "First paragraph,\nwrapped.\n\nSecond `paragraph`.",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Person"},
                        "examples": {"ana": {"summary": "Ana", "value": {"name": "Ana"}}},
                    }},
                },
                "responses": {
                    "default": {"description": "Something else."},
                    "200": {"$ref": "#/components/responses/Saved"},
                },
            },
            "get": {"summary": "Read a person", "security": [{}, {"key": []}],
                    "parameters": [{"name": "id", "in": "path", "required": True,
                                    "schema": {"type": "integer"}},
                                   {"name": "fields", "in": "query",
                                    "schema": {"type": "array", "items": {"type": "string"}}}],
                    "responses": {"200": {"description": "The person."}}},
            "delete": {"summary": "Forget a person", "security": [],
                       "responses": {"204": {"description": "Gone."}}},
        },
    },
    "components": {
        "parameters": {"Id": {"name": "id", "in": "path", "schema": {"type": "string"},
                              "description": "The person's id."}},
        "responses": {"Saved": {"description": "Saved.", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Person"},
            "example": {"name": "Ana", "tags": ["x"]},
        }}}},
        "securitySchemes": {"key": {"type": "http", "scheme": "bearer",
                                    "description": "A token."}},
        "schemas": {
            "Person": {
                "type": "object",
                "required": ["name", "home"],
                "properties": {
                    "name": {"type": "string", "description": "What they are called."},
                    "home": {"$ref": "#/components/schemas/Address"},
                    "friends": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "contact": {"anyOf": [{"type": "string", "format": "email"}, {"type": "null"}]},
                    "kind": {"type": "string", "enum": ["a", "b"]},
                },
            },
            "Address": {
                "type": "object",
                "required": ["city"],
                "properties": {"city": {"type": "string"}, "zip": {"type": "integer"}},
            },
        },
    },
}


def _op(reference, method, path):
    return next(o for o in reference.operations if (o.method, o.path) == (method, path))


def test_every_operation_of_the_real_app_appears_once(app):
    document = app.openapi()
    expected = {(m.upper(), p) for p, item in document["paths"].items() for m in item if m in METHODS}
    reference = build_reference(document)
    seen = [(o.method, o.path) for o in reference.operations]
    assert len(seen) == len(set(seen))
    assert set(seen) == expected
    assert ("POST", "/credentials/issue") in expected
    anchors = [o.anchor for o in reference.operations] + [g.anchor for g in reference.groups]
    assert len(anchors) == len(set(anchors))


def test_real_request_bodies_have_fields_with_required_flags(app):
    reference = build_reference(app.openapi())
    status = _op(reference, "POST", "/credentials/status").body
    fields = {f.name: f for f in status.fields}
    assert status.required and status.media_types == ("application/json",)
    assert {n for n, f in fields.items() if f.required} == {
        "credentialId", "credentialStatus", "status"}
    purpose = fields["credentialStatus.statusPurpose"]
    assert not purpose.required and purpose.depth == 1
    assert purpose.type.value == 'string, one of "revocation", "suspension"'
    assert fields["status"].type.value == "boolean"
    verify = {f.name: f for f in _op(reference, "POST", "/credentials/verify").body.fields}
    assert verify["verifiableCredential"].type.value == "one of: object, string"
    assert verify["verifiableCredential"].required and not verify["options"].required
    examples = _op(reference, "POST", "/credentials/issue").body.examples
    assert examples and '"credential"' in examples[0].json


def test_real_validation_error_refs_are_resolved(app):
    op = _op(build_reference(app.openapi()), "GET", "/orgs/{org_id}/did.json")
    assert [(p.name, p.required, p.location.value) for p in op.parameters] == [
        ("org_id", True, "in the path")]
    unprocessable = next(r for r in op.responses if r.status == "422")
    names = {f.name: f for f in unprocessable.body.fields}
    assert names["detail"].type.value.startswith("array (each item: ")
    assert names["detail[].loc"].required and names["detail[].msg"].required
    assert not any("$ref" in f.type.value for f in unprocessable.body.fields)


def test_real_access_follows_the_declared_security(app):
    reference = build_reference(app.openapi())
    issue = _op(reference, "POST", "/credentials/issue")
    assert [a.scheme for a in issue.access] == ["organizationApiToken"]
    assert issue.access[0].label.value == "A bearer token in the Authorization header"
    assert _op(reference, "POST", "/credentials/verify").access == ()
    assert [a.scheme for a in _op(reference, "POST", "/oid4vci/credential").access] == [
        "oid4vciAccessToken"]


def test_refs_nested_objects_arrays_and_cycles():
    reference = build_reference(PERSON_DOC)
    put = _op(reference, "PUT", "/people/{id}")
    fields = {f.name: f for f in put.body.fields}
    assert fields["name"].required and fields["name"].description == Text("What they are called.")
    assert fields["home"].required and fields["home"].type.value == "object"
    assert fields["home.city"].required and not fields["home.zip"].required
    assert fields["home.zip"].type.value == "integer" and fields["home.zip"].depth == 1
    assert fields["tags"].type.value == "array (each item: string)"
    assert fields["contact"].type.value == "any of: string (email), null"
    assert fields["kind"].type.value == 'string, one of "a", "b"'
    # Person refers to itself through friends: listed once, not forever.
    assert fields["friends"].type.value == "array (each item: object)"
    assert not any(name.startswith("friends[].") for name in fields)
    assert [(e.name, e.json) for e in put.body.examples] == [("Ana", '{\n  "name": "Ana"\n}')]
    assert [p.name for p in put.parameters] == ["id"]
    assert put.parameters[0].description == Text("The person's id.")


def test_responses_ordered_with_phrases_and_ref_bodies():
    put = _op(build_reference(PERSON_DOC), "PUT", "/people/{id}")
    assert [(r.status, r.phrase.value) for r in put.responses] == [
        ("200", "OK"), ("default", "Any other status")]
    saved = put.responses[0]
    assert saved.description == (Text("Saved."),)
    assert {f.name for f in saved.body.fields} >= {"name", "home", "home.city"}
    assert '"tags"' in saved.body.examples[0].json


def test_operation_parameters_override_path_parameters():
    get = _op(build_reference(PERSON_DOC), "GET", "/people/{id}")
    assert [(p.name, p.location.value, p.type.value, p.required) for p in get.parameters] == [
        ("id", "in the path", "integer", True),
        ("fields", "in the query string", "array (each item: string)", False),
    ]


def test_descriptions_become_paragraphs():
    put = _op(build_reference(PERSON_DOC), "PUT", "/people/{id}")
    assert [p.value for p in put.description] == ["First paragraph, wrapped.", "Second `paragraph`."]


def test_security_global_optional_and_none():
    reference = build_reference(PERSON_DOC)
    put = _op(reference, "PUT", "/people/{id}")
    assert [a.scheme for a in put.access] == ["key"] and not put.access_optional
    assert put.access[0].description == (Text("A token."),)
    get = _op(reference, "GET", "/people/{id}")
    assert [a.scheme for a in get.access] == ["key"] and get.access_optional
    assert _op(reference, "DELETE", "/people/{id}").access == ()


def test_translation_marks_what_stays_english():
    catalog = {"Replace a person": "Reemplazar a una persona", "string": "cadena",
               "array (each item: %(items)s)": "lista (cada elemento: %(items)s)"}
    reference = build_reference(PERSON_DOC, translate=lambda m: catalog.get(m, m))
    put = _op(reference, "PUT", "/people/{id}")
    assert put.summary == Text("Reemplazar a una persona")
    assert put.description[0] == Text("First paragraph, wrapped.", "en")
    fields = {f.name: f for f in put.body.fields}
    assert fields["tags"].type == Text("lista (cada elemento: cadena)")
    assert fields["home.zip"].type == Text("integer", "en")
    # A translated frame around an English word is still marked English.
    assert fields["friends"].type == Text("lista (cada elemento: object)", "en")
    english = build_reference(PERSON_DOC)
    assert all(o.summary.lang is None for o in english.operations)


def test_blank_words_are_never_looked_up():
    # gettext("") answers with the catalog's header, so blank text must not reach it.
    document = {"paths": {"/x": {"get": {"summary": "  ", "description": " \n ",
                                         "responses": {"200": {"description": ""}}}}}}
    op = build_reference(document, translate=lambda m: m or "HEADER").operations[0]
    assert op.summary == Text("/x", "en")
    assert op.description == () and op.responses[0].description == ()


def test_does_not_mutate_the_document():
    before = copy.deepcopy(PERSON_DOC)
    build_reference(PERSON_DOC, translate=str.upper)
    assert before == PERSON_DOC


def test_code_spans_escape_everything():
    assert str(code_spans("<b> `x<y` & `z`")) == "&lt;b&gt; <code>x&lt;y</code> &amp; <code>z</code>"
    assert str(code_spans("odd ` tick <")) == "odd ` tick &lt;"
    assert str(code_spans("`a`", "en")) == '<code lang="en">a</code>'


@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=8, unique=True))
def test_anchors_are_unique_and_safe_for_any_paths(names):
    document = {"paths": {f"/{n}": {"get": {"responses": {}}, "post": {"tags": [n]}}
                          for n in names}}
    reference = build_reference(document)
    anchors = [o.anchor for o in reference.operations] + [g.anchor for g in reference.groups]
    assert len(anchors) == len(set(anchors)) == 3 * len(names) + 1  # 2 operations, 1 tag each
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", a) for a in anchors)
