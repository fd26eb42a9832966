"""The framework's rules: essential 1 (E1xx), essential 2 (E2xx) and advice (W1xx).

Rules read the typed design and yield findings; the registry turns them into
diagnostics. Schema codes (S001-S007) are described in :mod:`.schema_codes` but
are checked by the spec package, not here.
"""

from .levels import LEVEL_RULES, LEVELS, level_of, qualifying_tables
from .registry import Finding, Outcome, Rule, all_rules, run_rules

__all__ = [
    "Finding", "LEVELS", "LEVEL_RULES", "Outcome", "Rule", "all_rules", "level_of",
    "qualifying_tables", "run_rules",
]
