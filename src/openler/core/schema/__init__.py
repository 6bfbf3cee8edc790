"""JSON Schema and VC 2.0 envelope validation with plain-English violations."""

from openler.core.schema.validate import load_schema, schema_kind, validate, warm_up
from openler.core.schema.vc_rules import is_date_time_stamp, is_url, parse_date_time
from openler.core.schema.violations import Violation

__all__ = [
    "Violation",
    "is_date_time_stamp",
    "is_url",
    "load_schema",
    "parse_date_time",
    "schema_kind",
    "validate",
    "warm_up",
]
