"""finsim: a command-line training simulator for the financial-services marketing drill.

The core (scenario loading, intent recognition, the virtual client, transcripts,
scoring) is plain Python; the command line in :mod:`finsim.cli` is a thin layer
that parses, calls the core and renders.
"""

# The one place the version is written (pyproject.toml reads it from here): a literal,
# because asking importlib.metadata costs more than the rest of ``finsim --help``.
__version__ = "0.1.0"

__all__ = ["__version__"]
