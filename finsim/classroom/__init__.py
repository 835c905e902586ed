"""The class: roster, groups and roles, sessions, peer and teacher ratings, the grade book.

Pure library code (no Typer, Rich or questionary): the ``finsim class``,
``rate``, ``grade`` and ``report`` commands call it. Storage goes through
:class:`finsim.store.ClassStore`.
"""
