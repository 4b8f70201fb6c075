"""Records real conversations for the review-page tests: `python -m tests.web.record_conversations`.

Starts the action server, Rasa and the web app on loopback with a throw-away SQLite
database, chats over the REST channel the way the end-to-end tests do, and writes the
rows of Rasa's ``events`` table to ``tests/web/fixtures/events.json``. Needs a trained
model (`make train`). The tests only read the fixture; they never start servers.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import requests
import sqlalchemy as sa

from tests.servers import sqlite_url, start_servers

FIXTURE = Path(__file__).parent / "fixtures" / "events.json"

# sender id -> what the salesperson types, in order (the flows of tests/e2e)
CONVERSATIONS: dict[str, list[str]] = {
    "rest-promotor-ziekenhuis": [
        "hallo",
        "ik wil een waardegesprek voorbereiden",
        "schoonmaak voor een ziekenhuis in Utrecht",
        "/affirm",
        "ze besparen 12.000 euro per jaar op schoonmaakkosten",
        "zeker",
        "ja",
        "de facilitair manager is 2 uur per week minder kwijt, die kost 55 euro per uur",
        "twijfel",
        "ja",
        "eenmalig 5.000 euro minder inwerkkosten",
        "zeker",
        "klaar",
        "2.000 euro",
        "1.000 per maand",
        "3 jaar",
        "waarde bevestigen en prijs noemen",
        "zo snel mogelijk",
        "donderdag om 10.00 uur",
    ],
    "rest-ontevreden-advocaten": [
        "start",
        "catering voor een advocatenkantoor",
        "nee, de klant weigert",
        "ze besparen 10.000 euro per jaar op lunchkosten",
        "waarschijnlijk",
        "klaar",
        "0",
        "20.000 per jaar",
        "1",
        "ik geef ze 10% korting",
    ],
    "rest-belofte-klachten": [
        "ik wil mijn versimpelingsbelofte maken",
        "wij zijn altijd klantgericht en ontzorgen optimaal",
        "elke klacht heeft binnen 4 werkuren een eigenaar",
        "u moet het klachtenformulier niet meer invullen, dat laten we weg",
        "een klacht melden kost één stap in plaats van vier",
        "elke maand het aandeel klachten met binnen 4 uur een eigenaar",
    ],
    "rest-opnieuw-html": [
        "start",
        "<img src=x onerror=alert(1)> voor een gemeente",
        "opnieuw",
        "start",
        "ICT-beheer voor een gemeente",
    ],
}


def chat(rasa_url: str, sender: str, message: str) -> None:
    """Sends one message over the REST channel and waits for the bot's replies."""
    response = requests.post(
        f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    response.raise_for_status()


def event_rows(database_url: str) -> list[dict[str, object]]:
    """Every row of Rasa's events table, in id order, as plain dicts."""
    engine = sa.create_engine(database_url)
    events = sa.Table("events", sa.MetaData(), autoload_with=engine)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(events).order_by(events.c.id)).mappings().all()
    engine.dispose()
    return [dict(row) for row in rows]


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        database_url = sqlite_url(directory)
        with start_servers(directory, database_url) as servers:
            for sender, messages in CONVERSATIONS.items():
                for message in messages:
                    chat(servers.rasa_url, sender, message)
        rows = event_rows(database_url)
    FIXTURE.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} events written to {FIXTURE}", file=sys.stderr)


if __name__ == "__main__":
    main()
