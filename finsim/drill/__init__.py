"""The drill loop: one session object serving interactive, pair, scripted play and resume."""

from finsim.drill.script import ScriptLine, parse_script, run_script
from finsim.drill.session import ClientCard, DrillSession, DrillSummary, KnownFact

__all__ = [
    "ClientCard",
    "DrillSession",
    "DrillSummary",
    "KnownFact",
    "ScriptLine",
    "parse_script",
    "run_script",
]
