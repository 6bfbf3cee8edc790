"""A fast yes/no answer to "does this credential meet its schema?".

Spec: the 1EdTech OB 3.0 AchievementCredential and CLR 2.0 ClrCredential JSON
Schemas (draft 2019-09) as bundled in ``openler.core.schema``. They use only
keywords whose meaning is the same in draft-07 (``$defs`` is reached through
plain JSON-pointer ``$ref``s, no ``$ref`` has siblings), so they are compiled
once to Python code with fastjsonschema; the same format rules as
``openler.core.schema.validate`` apply (XSD dateTimeStamp for ``date-time``).

Only a clean pass is trusted: when this says "no", or for any other kind of
credential, the pipeline asks ``openler.core.schema.validate`` for the full,
explained list of violations. A test checks the two agree.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import fastjsonschema
from jsonschema import FormatChecker

from openler.core.schema import is_date_time_stamp, load_schema, schema_kind
from openler.core.schema.validate import CLR_CREDENTIAL, OB_ACHIEVEMENT
from openler.core.schema.vc_rules import credential_violations

_FILES = {"achievement": OB_ACHIEVEMENT, "clr": CLR_CREDENTIAL}


@cache
def _compiled(kind: str) -> Callable[[Any], Any] | None:
    filename = _FILES.get(kind)
    if filename is None:
        return None
    schema = load_schema(filename)
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    dates = FormatChecker()
    formats = {"date-time": is_date_time_stamp,
               "date": lambda value: dates.conforms(value, "date")}
    return fastjsonschema.compile(schema, formats=formats)  # type: ignore[no-any-return]


def quick_valid(document: dict[str, Any]) -> bool:
    """True only when the document certainly has no schema or VC-rule violation."""
    kind = schema_kind(document)
    if kind not in ("achievement", "clr", "vc"):
        return False
    compiled = _compiled(kind)
    if compiled is not None:
        try:
            compiled(document)
        except fastjsonschema.JsonSchemaException:
            return False
        except (TypeError, ValueError, RecursionError):
            return False  # let the reference validator explain whatever this is
    return not credential_violations(document)


def warm_up() -> None:
    """Compile the fast validators now rather than on first use."""
    for kind in _FILES:
        _compiled(kind)
