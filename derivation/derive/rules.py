"""Every rule of the engine: the table (:mod:`.registry`) filled by the modules that define the rules.

Importing this module registers them all, in the order they are tried: the algebra, the laws of
differentiation, the rules over classes (placed before those they refine) and the tidy rules.
"""

from . import algebra, classes, derivatives, tidy  # noqa: F401 - each registers its rules, in this order
from .registry import (
    ALGEBRA,
    DERIVATIVE,
    MATRIX,
    NOTATION,
    RULES,
    TIDY,
    Context,
    Rule,
    at_every_node,
    d,
    depends_on,
    rule,
    rules_of,
    term_by_term,
)

__all__ = [
    "ALGEBRA",
    "DERIVATIVE",
    "MATRIX",
    "NOTATION",
    "RULES",
    "TIDY",
    "Context",
    "Rule",
    "at_every_node",
    "d",
    "depends_on",
    "rule",
    "rules_of",
    "term_by_term",
]
