"""Exports: Markdown transcript, CSV rows (parsed back, formula-safe) and JSON (parsed back)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

from tests.web.conftest import DISSATISFIED, PROMISE, PROMOTER, RESTARTED, csv_rows, recorded_events
from web.export import CSV_COLUMNS, ExportItem, export, neutralise_formula, to_csv, to_json, to_markdown
from web.store import Note
from web.transcript import build_conversation

EVENTS = recorded_events()
NOTE = Note(
    1,
    PROMOTER,
    "anna",
    "Sterk: de waarde eerst.\nLet op 'zo snel mogelijk'.",
    datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc),
)


def item(sender_id: str, notes: tuple[Note, ...] = (), tags: tuple[str, ...] = ()) -> ExportItem:
    return ExportItem(build_conversation(sender_id, EVENTS[sender_id]), notes, tags)


def all_items() -> list[ExportItem]:
    return [item(PROMOTER, (NOTE,), ("goed voorbeeld",)), item(DISSATISFIED), item(PROMISE), item(RESTARTED)]


def test_markdown_is_a_readable_dutch_transcript() -> None:
    text = to_markdown([item(PROMOTER, (NOTE,), ("goed voorbeeld",))])
    assert text.startswith("# Waardecoach: gesprekken voor trainers\n")
    assert "## Gesprek rest-promotor-ziekenhuis" in text
    assert "- Oordeel: promotor" in text
    assert "- Tags: goed voorbeeld" in text
    assert "| Waarde (verwacht, gewogen naar zekerheid) | € 49.580,00 |" in text
    assert "| Verhouding waarde/prijs | 1,3 |" in text
    assert "| Terugverdiend | direct bij de start |" in text
    assert "**Coachingpunt: Zo snel mogelijk** (moment van de volgende stap)" in text
    assert 'Gezegd: "zo snel mogelijk"' in text
    assert "Beter: Noem een concreet moment" in text
    assert "· Verkoper**\n\n> hallo\n" in text
    assert "> hallo" in text
    assert "> Keuzes: [Akkoord] · [Twijfelt] · [Weigert]" in text
    assert '(koos "Akkoord")' in text
    assert "### Notities van trainers" in text
    assert "- **anna**, 2 mrt 2026 10:30: Sterk: de waarde eerst." in text
    # the flag is shown inline right after the words that raised it
    said = text.index("> zo snel mogelijk")
    assert text.index("> **Coachingpunt: Zo snel mogelijk**", said) < text.index("· Waardecoach**", said)


def test_markdown_keeps_stored_text_literal() -> None:
    text = to_markdown([item(RESTARTED)])
    unquoted = re.sub(r"^>", "", text, flags=re.MULTILINE)  # block-quote markers
    assert re.search(r"(?<!\\)[<>]", unquoted) is None  # every other < and > is escaped
    assert r"> \<img src=x onerror=alert(1)\> voor een gemeente" in text
    assert "- Oordeel: geen oordeel" in text


def test_markdown_of_many_conversations() -> None:
    text = to_markdown(all_items())
    assert "4 gesprekken." in text
    assert text.count("\n## Gesprek ") == 4
    assert "- Oordeel: ontevreden" in text
    assert "**Coachingpunt: Te veel beloven** (de belofte)" in text


def test_csv_has_one_row_per_message() -> None:
    items = all_items()
    text = to_csv(items)
    parsed = csv_rows(text)
    assert tuple(parsed[0]) == CSV_COLUMNS
    assert len(parsed) == sum(len(i.conversation.messages) for i in items)
    first = parsed[0]
    assert first["conversation_id"] == PROMOTER
    assert first["speaker"] == "salesperson" and first["text"] == "hallo"
    assert datetime.fromisoformat(first["time"]).utcoffset() is not None
    flagged = [row for row in parsed if row["coaching_flags"]]
    assert [(row["text"][:16], row["coaching_flags"]) for row in flagged] == [
        ("zo snel mogelijk", "asap"),
        ("wij zijn altijd ", "overpromise"),
        ("u moet het klach", "telling_client_what_to_do"),
    ]
    multiline = next(row for row in parsed if row["text"].startswith("Uitkomst over 3 jaar"))
    assert "\n• Prijs: € 38.000,00\n" in multiline["text"]


def test_csv_neutralises_spreadsheet_formulas() -> None:
    for cell in ('=HYPERLINK("x")', "+31 6", "-500", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise_formula(cell) == "'" + cell
    assert neutralise_formula("500 euro") == "500 euro"
    assert neutralise_formula("") == ""
    events = [
        {"event": "user", "timestamp": 1.0, "text": "=1+1", "input_channel": "rest"},
        {"event": "user", "timestamp": 2.0, "text": '-2, "quoted"', "input_channel": "rest"},
    ]
    parsed = csv_rows(to_csv([ExportItem(build_conversation("@evil", events))]))
    assert [row["text"] for row in parsed] == ["'=1+1", '\'-2, "quoted"']
    assert parsed[0]["conversation_id"] == "'@evil"


def test_json_has_the_full_structure() -> None:
    document = json.loads(to_json(all_items()))
    conversations = document["conversations"]
    assert [c["id"] for c in conversations] == [PROMOTER, DISSATISFIED, PROMISE, RESTARTED]
    promoter = conversations[0]
    assert promoter["channel"] == "rest" and promoter["length"] == 19
    assert promoter["verdict"]["outcome"] == "promoter"
    assert promoter["verdict"]["figures"]["value_full"] == "€ 58.160,00"
    assert promoter["verdict"]["numbers"]["price"] == "38000.00"
    assert [f["rule"] for f in promoter["flags"]] == ["asap"]
    assert promoter["tags"] == ["goed voorbeeld"]
    assert promoter["notes"] == [
        {"author": "anna", "text": NOTE.text, "created_at": "2026-03-02T10:30:00+01:00"}
    ]
    message = next(m for m in promoter["messages"] if m["flags"])
    assert message["text"] == "zo snel mogelijk" and message["flags"][0]["quote"] == "zo snel mogelijk"
    assert promoter["messages"][1]["buttons"][0] == {
        "title": "Start het waardegesprek",
        "payload": "/start_value_conversation",
    }
    assert conversations[2]["verdict"] is None


def test_exports_are_deterministic_with_names_and_types() -> None:
    for format, media_type in (("md", "text/markdown"), ("csv", "text/csv"), ("json", "application/json")):
        one, again = export(all_items(), format), export(all_items(), format)
        assert one == again
        assert one.media_type.startswith(media_type)
        assert one.filename == f"waardecoach-gesprekken-4.{format}"
    assert export([item(PROMOTER)], "csv").filename == "waardecoach-gesprek-rest-promotor-ziekenhuis.csv"
    odd = ExportItem(build_conversation('../"x y"', []))
    assert export([odd], "md").filename == "waardecoach-gesprek-x-y.md"
    assert json.loads(export([], "json").content) == {"conversations": []}
