"""Rubrics and the automatic score of a transcript (``finsim/rubric@1``).

Public API:

* :func:`load_rubric` — read a rubric (the shipped default when no path).
* :meth:`Rubric.form` — the peer, teacher or client-role-play form.
* :func:`auto_score` — score a transcript; :func:`score_file` reads one first.
"""

from finsim.scoring.rubric import (
    LEVEL_NAMES,
    RUBRIC_SCHEMA,
    Form,
    FormItem,
    Rubric,
    load_rubric,
)

__all__ = ["LEVEL_NAMES", "RUBRIC_SCHEMA", "Form", "FormItem", "Rubric", "load_rubric"]
