"""Understanding the manager: intents, products and jargon in one line of speech.

Core package (no terminal I/O). Use :func:`recogniser_for` to get the cached
recogniser of a scenario, then :meth:`Recogniser.analyse` per line.
"""

from finsim.nlu.recogniser import (
    Analysis,
    IntentMatch,
    Judge,
    Recogniser,
    recogniser_for,
)
from finsim.nlu.understander import Understander

__all__ = [
    "Analysis",
    "IntentMatch",
    "Judge",
    "Recogniser",
    "Understander",
    "recogniser_for",
]
