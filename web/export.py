"""Conversations as files: a readable Dutch Markdown transcript, CSV (one row per message) and JSON.

The output depends only on what is passed in, so the same conversations always give
the same bytes. The Markdown comes from the Jinja template ``review/export.md``; CSV and
JSON are data for other tools, with English column names and keys.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2

from web.formatting import FILTERS, iso_time
from web.store import Note
from web.transcript import Conversation, Message, Verdict

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "Export",
    "ExportItem",
    "export",
    "neutralise_formula",
    "to_csv",
    "to_json",
    "to_markdown",
]

Format = Literal["md", "csv", "json"]
FORMATS: tuple[Format, ...] = ("md", "csv", "json")
CSV_COLUMNS = ("conversation_id", "time", "speaker", "text", "coaching_flags")
MEDIA_TYPES: dict[Format, str] = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEMPLATES = Path(__file__).parent / "templates"
_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(_TEMPLATES),
    autoescape=False,  # Markdown, not HTML: stored text is escaped with the md filter instead
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_environment.filters.update(FILTERS)


@dataclass(frozen=True)
class ExportItem:
    """A conversation with the trainers' notes and tags on it."""

    conversation: Conversation
    notes: Sequence[Note] = ()
    tags: Sequence[str] = ()


@dataclass(frozen=True)
class Export:
    """An export file: its text, content type and download name."""

    content: str
    media_type: str
    filename: str


def to_markdown(items: Sequence[ExportItem]) -> str:
    """A readable Dutch transcript of each conversation, with its verdict card, flags, tags and notes."""
    return _environment.get_template("review/export.md").render(items=items)


CSV_DELIMITER = ";"
CSV_BOM = "\ufeff"


def neutralise_formula(cell: str) -> str:
    """The cell with a leading quote when a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def to_csv(items: Sequence[ExportItem]) -> str:
    """One row per message: conversation id, ISO time, speaker, text, coaching rule ids (space separated).

    Semicolon-separated UTF-8 with a byte-order mark: Excel with Dutch settings opens it as is.
    """
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out, delimiter=CSV_DELIMITER, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        conversation = item.conversation
        for message in conversation.messages:
            row = (
                conversation.id,
                iso_time(message.time),
                message.speaker,
                message.text,
                " ".join(flag.rule for flag in message.flags),
            )
            writer.writerow([neutralise_formula(cell) for cell in row])
    return out.getvalue()


def _message(message: Message) -> dict[str, Any]:
    return {
        "speaker": message.speaker,
        "time": iso_time(message.time),
        "text": message.text,
        "choice": message.choice,
        "buttons": [{"title": button.title, "payload": button.payload} for button in message.buttons],
        "flags": [flag.as_dict() for flag in message.flags],
    }


def _verdict(verdict: Verdict | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    numbers = verdict.numbers
    return {
        "outcome": verdict.outcome,
        "figures": dict(verdict.figures),
        "numbers": None
        if numbers is None
        else {
            "value_expected": str(numbers.value_expected),
            "value_full": str(numbers.value_full),
            "price": str(numbers.price),
            "surplus": None if numbers.surplus is None else str(numbers.surplus),
            "ratio": None if numbers.ratio is None else str(numbers.ratio),
        },
    }


def _conversation(item: ExportItem) -> dict[str, Any]:
    conversation = item.conversation
    return {
        "id": conversation.id,
        "started": iso_time(conversation.started),
        "ended": iso_time(conversation.ended),
        "channel": conversation.channel,
        "length": conversation.length,
        "verdict": _verdict(conversation.verdict),
        "flags": [flag.as_dict() for flag in conversation.flags],
        "tags": list(item.tags),
        "notes": [
            {"author": note.author, "text": note.text, "created_at": iso_time(note.created_at)}
            for note in item.notes
        ],
        "messages": [_message(message) for message in conversation.messages],
    }


def to_json(items: Sequence[ExportItem]) -> str:
    """The full structure of each conversation: messages, verdict, flags, notes and tags."""
    document = {"conversations": [_conversation(item) for item in items]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _filename(items: Sequence[ExportItem], extension: str) -> str:
    if len(items) == 1:
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", items[0].conversation.id).strip("-")[:60] or "gesprek"
        return f"waardecoach-gesprek-{safe}.{extension}"
    return f"waardecoach-gesprekken-{len(items)}.{extension}"


def export(items: Sequence[ExportItem], format: Format) -> Export:
    """The conversations as one file in the format."""
    render = {"md": to_markdown, "csv": to_csv, "json": to_json}[format]
    return Export(render(items), MEDIA_TYPES[format], _filename(items, format))
