"""Conversations as files: a readable Dutch Markdown transcript, CSV (one row per message) and JSON.

Rehearsal scorecards go in every format with the trainers' overrides and the effective
score beside the automatic one: in CSV as extra rows (speaker ``scorecard``) after the
messages, one with the totals and one per criterion and for the coaching penalty.

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

from bot.slot_shapes.coaching_flags import flags_to_slot
from web.formatting import FILTERS, iso_time
from web.scores import Override, ReviewedScorecard, review_scorecards
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
CSV_COLUMNS = (
    "conversation_id",
    "time",
    "speaker",
    "text",
    "coaching_flags",
    "scorecard",
    "criterion",
    "points_automatic",
    "points_trainer",
    "points_max",
    "trainer_note",
)
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
    """A conversation with the trainers' notes, tags and score overrides on it."""

    conversation: Conversation
    notes: Sequence[Note] = ()
    tags: Sequence[str] = ()
    overrides: Sequence[Override] = ()

    @property
    def scorecards(self) -> tuple[ReviewedScorecard, ...]:
        return review_scorecards(self.conversation, self.overrides)


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


def _scorecard_rows(conversation_id: str, reviewed: ReviewedScorecard) -> list[tuple[str, ...]]:
    """The CSV rows of a scorecard: totals, each criterion, the coaching penalty."""
    card = reviewed.card

    def row(text: str, flags: str, criterion: str, *points: str) -> tuple[str, ...]:
        return (
            conversation_id,
            iso_time(card.time),
            "scorecard",
            text,
            flags,
            str(card.number),
            criterion,
            *points,
        )

    title = f"{card.persona_name} / {card.salesperson}" if card.salesperson else card.persona_name
    rows = [row(title, "", "total", str(reviewed.automatic), str(reviewed.effective), "100", "")]
    for item in reviewed.criteria:
        criterion, override = item.criterion, item.override
        rows.append(
            row(
                criterion.feedback,
                "",
                criterion.id,
                str(criterion.points),
                "" if override is None else str(item.points),
                str(criterion.max_points),
                "" if override is None else override.note,
            )
        )
    coaching = card.coaching
    flags = " ".join(flag.rule_id for flag in coaching.flags)
    rows.append(row(coaching.feedback, flags, "coaching", str(-coaching.penalty), "", "", ""))
    return rows


def to_csv(items: Sequence[ExportItem]) -> str:
    """One row per message: conversation id, ISO time, speaker, text, coaching rule ids (space separated).

    After a conversation's messages, each rehearsal scorecard adds rows with speaker
    ``scorecard`` and its number: ``criterion`` ``total`` (automatic score, effective score,
    100), one row per criterion (the bot's points, the trainer's points and note when
    overridden, the maximum; the feedback as text) and ``coaching`` (the penalty, negative).
    Semicolon-separated UTF-8 with a byte-order mark: Excel with Dutch settings opens it as is.
    """
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out, delimiter=CSV_DELIMITER, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    empty = ("",) * (len(CSV_COLUMNS) - 5)
    for item in items:
        conversation = item.conversation
        for message in conversation.messages:
            row = (
                conversation.id,
                iso_time(message.time),
                message.speaker,
                message.text,
                " ".join(flag.rule for flag in message.flags),
                *empty,
            )
            writer.writerow([neutralise_formula(cell) for cell in row])
        for reviewed in item.scorecards:
            for row in _scorecard_rows(conversation.id, reviewed):
                writer.writerow([neutralise_formula(cell) for cell in row])
    return out.getvalue()


def _message(message: Message) -> dict[str, Any]:
    return {
        "speaker": message.speaker,
        "time": iso_time(message.time),
        "text": message.text,
        "choice": message.choice,
        "buttons": [{"title": button.title, "payload": button.payload} for button in message.buttons],
        "flags": flags_to_slot(message.flags),
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


def _override(override: Override) -> dict[str, Any]:
    return {
        "criterion": override.criterion,
        "points": override.points,
        "note": override.note,
        "author": override.author,
        "created_at": iso_time(override.created_at),
    }


def _scorecard(reviewed: ReviewedScorecard) -> dict[str, Any]:
    card = reviewed.card
    return {
        "number": card.number,
        "time": iso_time(card.time),
        "persona_id": card.persona_id,
        "persona_name": card.persona_name,
        "salesperson": card.salesperson,
        "automatic_score": reviewed.automatic,
        "effective_score": reviewed.effective,
        "effective_points": {item.criterion.id: item.points for item in reviewed.criteria},
        "overrides": [_override(override) for override in reviewed.overrides],
        "scorecard": dict(card.data),
    }


def _conversation(item: ExportItem) -> dict[str, Any]:
    conversation = item.conversation
    scorecards = item.scorecards
    return {
        "id": conversation.id,
        "started": iso_time(conversation.started),
        "ended": iso_time(conversation.ended),
        "channel": conversation.channel,
        "length": conversation.length,
        "verdict": _verdict(conversation.verdict),
        "flags": flags_to_slot(conversation.flags),
        "score": None
        if not scorecards
        else {"automatic": scorecards[-1].automatic, "effective": scorecards[-1].effective},
        "scorecards": [_scorecard(reviewed) for reviewed in scorecards],
        "tags": list(item.tags),
        "notes": [
            {"author": note.author, "text": note.text, "created_at": iso_time(note.created_at)}
            for note in item.notes
        ],
        "messages": [_message(message) for message in conversation.messages],
    }


def to_json(items: Sequence[ExportItem]) -> str:
    """The full structure of each conversation: messages, verdict, flags, scorecards, notes and tags.

    ``score`` is the latest rehearsal's automatic and effective score; each of ``scorecards``
    holds the slot's value as stored (``scorecard``), the trainers' overrides, the effective
    points per criterion and both scores.
    """
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
