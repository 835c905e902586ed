"""The virtual client (虚拟客户): a rule engine that plays the scenario's persona.

It reads the recogniser's analysis of each manager line and answers the way
the scenario says, keeping its state (trust, facts revealed, objections,
violations, mood). Pure Python, deterministic for a seed; no terminal I/O.
"""

from finsim.client.engine import ClientEngine
from finsim.client.reply import AnalysisLike, ClientReply, IntentLike
from finsim.client.state import ClientState

__all__ = ["AnalysisLike", "ClientEngine", "ClientReply", "ClientState", "IntentLike"]
