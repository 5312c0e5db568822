"""Every rule of the engine: the table (:mod:`.registry`) filled by the modules that define the rules.

Importing this module registers them all, in the order they are tried: the algebra, the laws of
differentiation, the rules over classes (placed before those they refine) and the tidy rules.
"""

from . import algebra, classes, derivatives, tidy  # noqa: F401 - each registers its rules, in this order
from .registry import *  # noqa: F403 - the table and its machinery, as the engine and the verifier read them
from .registry import __all__  # noqa: F401
