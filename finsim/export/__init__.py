"""Exports of a drill: Markdown, HTML, JSON, an asciicast recording, and the showcase page.

Pure: the command line renders the recording's frames and chooses where the
text goes; everything here builds strings from a transcript, its score and its
comments, and :func:`write_atomic` writes a file whole or not at all.
"""

from finsim.atomic import atomic_writer, write_atomic
from finsim.export.anonymize import Pseudonyms
from finsim.export.cast import Frame, cast_text
from finsim.export.comments import Comment, find_comments, load_comments
from finsim.export.document import SessionDoc, build_document
from finsim.export.html import render_html, render_showcase
from finsim.export.jsondoc import EXPORT_SCHEMA, ExportedSession, export_json, read_export
from finsim.export.markdown import render_markdown

__all__ = [
    "EXPORT_SCHEMA",
    "Comment",
    "ExportedSession",
    "Frame",
    "Pseudonyms",
    "SessionDoc",
    "atomic_writer",
    "build_document",
    "cast_text",
    "export_json",
    "find_comments",
    "load_comments",
    "read_export",
    "render_html",
    "render_markdown",
    "render_showcase",
    "write_atomic",
]
