"""finsim: a command-line training simulator for the financial-services marketing drill.

The core (scenario loading, intent recognition, the virtual client, transcripts,
scoring) is plain Python; the command line in :mod:`finsim.cli` is a thin layer
that parses, calls the core and renders.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("finsim")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
