"""The one exception family for expected failures, and their exit codes.

Every failure a user can cause (a broken file, an unknown id, a bad option)
raises a subclass of :class:`FinsimError`. The command line prints it as one
line and exits with :attr:`FinsimError.exit_code`; a traceback means a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ExitCode:
    """The documented exit codes (README, "Exit codes")."""

    OK = 0
    CHECK_FAILED = 1
    BAD_INPUT = 2
    NOT_FOUND = 3
    STORAGE = 4
    INTERNAL = 70
    """A bug (``EX_SOFTWARE``): reported in one line, the traceback saved to a file."""
    INTERRUPTED = 130
    BROKEN_PIPE = 141
    """The reader of standard output went away (``finsim report | head``): 128 + SIGPIPE."""


@dataclass(frozen=True)
class Location:
    """A place in a file: path, and 1-based line and column where known."""

    path: Path | str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        """Render as ``file:line:col`` with the parts that are known."""
        text = str(self.path)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


class FinsimError(Exception):
    """Root of every expected error; carries a message and an exit code."""

    exit_code: int = ExitCode.BAD_INPUT

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        """Render as one line: ``file:line:col: message`` when located."""
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class InputFileError(FinsimError):
    """A file cannot be read or is not what it should be."""


class ValidationFailed(FinsimError):
    """A file parsed but broke the format; holds every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class NotFoundError(FinsimError):
    """An id (scenario, transcript, student, …) that does not exist."""

    exit_code = ExitCode.NOT_FOUND


class UsageError(FinsimError):
    """Options that do not fit together or have a bad value."""


class StorageError(FinsimError):
    """The data store cannot be read or written."""

    exit_code = ExitCode.STORAGE
