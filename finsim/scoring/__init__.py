"""Rubrics and the automatic score of a transcript (``finsim/rubric@1``).

Public API:

* :func:`load_rubric` — read a rubric (the shipped default when no path).
* :class:`RubricCatalog` — find a rubric by shipped id or file path.
* :func:`build_form` — the peer, teacher or client-role-play form.
* :func:`auto_score` — score a transcript; :func:`score_file` reads one first.
"""

from finsim.scoring.forms import build_form
from finsim.scoring.loader import RubricCatalog
from finsim.scoring.loader import read_rubric as load_rubric
from finsim.scoring.rubric import LEVEL_NAMES, RUBRIC_SCHEMA, Form, FormItem, Rubric

__all__ = [
    "LEVEL_NAMES",
    "RUBRIC_SCHEMA",
    "Form",
    "FormItem",
    "Rubric",
    "RubricCatalog",
    "build_form",
    "load_rubric",
]
