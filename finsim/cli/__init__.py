"""The command line: a thin layer that parses options, calls the core and renders."""

from finsim.cli.app import app, main

__all__ = ["app", "main"]
