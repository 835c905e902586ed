"""The command line: a thin layer that parses options, calls the core and renders."""

import sys

from finsim.i18n import tr

try:
    from finsim.cli.app import app, main
except KeyboardInterrupt:  # Ctrl-C while the commands load: exit as interrupted, no traceback
    sys.stderr.write(tr("\n已中断。\n", "\nInterrupted.\n"))
    raise SystemExit(130) from None

__all__ = ["app", "main"]
