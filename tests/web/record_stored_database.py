"""Records a database for the compatibility test: `python -m tests.web.record_stored_database OUT.sqlite3`.

Starts the action server and Rasa on loopback with a throw-away SQLite database (the real actions,
the real tracker store with its compact rows), chats the conversations below over the REST channel,
and copies the database, vacuumed, to ``OUT.sqlite3``. Then writes what the trainer pages of this
version show for it (:func:`trainer_view`) to ``OUT.pages.json``. Needs a trained model (`make train`).

``tests/web/fixtures/stored_a03d6ab.*`` were recorded with this script on commit a03d6ab, before the
stored slot shapes were given one definition (issue 16); ``tests/web/test_stored_database.py`` checks
that the trainer pages still show the conversations in it exactly so. Record new files (with their
version in the name) rather than overwrite those.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tests.conversations import REFUSAL_AND_CORRECTION, SIMPLICITY_PROMISE, VALUE_CONVERSATION
from tests.servers import sqlite_url, start_servers
from tests.web.conftest import PASSWORD, TRAINER, csrf_from, make_app
from tests.web.record_conversations import chat
from web.tables import REHEARSALS, SUMMARIES

# sender id -> what the salesperson types, in order
CONVERSATIONS: dict[str, tuple[str, ...]] = {
    # three value lines (certain, doubtful, one-off), a promoter verdict, a flag on the next step's moment
    "waarde-promotor": VALUE_CONVERSATION,
    # a corrected line, a dissatisfied verdict, a discount refused, then naming the price anyway
    "waarde-ontevreden": (
        *REFUSAL_AND_CORRECTION,
        "waarde bevestigen en prijs noemen",
        "toch de prijs noemen",
        "maandag 14 december om 9.00 uur",
    ),
    # a vague promise and wording flags on the promise and its answers
    "belofte": SIMPLICITY_PROMISE,
    # a rehearsal with the hospital: a time-out, value confirmed, objections handled, a scorecard
    "oefening-goed": (
        "hallo",
        "ik wil oefenen met een klant",
        "Sanne",
        "het ziekenhuis",
        "Goedemiddag mevrouw Verbeek. Wat zou voor u over een jaar een succes zijn?",
        "Wat kost de schoonmaak u nu per jaar?",
        "Waar loopt u nu het meest tegenaan, en wat kosten die infecties u?",
        "Waarom wilt u dit juist nu aanpakken?",
        "time-out",
        "verder",
        "Welk budget heeft de raad van bestuur hiervoor gereserveerd?",
        "Als we samen vaststellen dat wat wij opleveren meer waard is dan wat het kost, zou u dan verder willen?",
        "Als we de infecties halveren, scheelt dat u € 54.000 per jaar. "
        "Minder uitgestelde OK-starts levert u € 48.000 per jaar op.",
        "Onze prijs is € 430.000 per jaar, voor drie jaar.",
        "Ik leg u drie opties voor: alleen de operatiekamers, het volledige pakket, "
        "of het volledige pakket met een hygiënemeting per kwartaal.",
        "Mijn belofte: elke klacht over de schoonmaak heeft binnen 4 werkuren een eigenaar.",
        "Zullen we donderdag om 10.00 uur met de hygiënecommissie de opties doornemen?",
        "klaar",
    ),
    # a poor rehearsal: a discount and wording flags; then a second one, with the caterer
    "oefening-woordkeuze": (
        "rollenspel",
        "ik ben Bram",
        "Ingrid Verbeek",
        "Goedemiddag, wij zijn de goedkoopste schoonmaker van de regio.",
        "Onze prijs is € 450.000 per jaar.",
        "Oké, ik doe er 10% af, dan zit u bijna op uw budget.",
        "Ik stuur u zo snel mogelijk het contract.",
        "klaar",
        "/start_roleplay",
        "3",
        "Wat kost de lunch je nu per week?",
        "Dat regelen we zo snel mogelijk, u moet alleen even tekenen.",
        "einde oefening",
    ),
}


def _rows(database_url: str, table: sa.Table) -> list[dict[str, Any]]:
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings().all()
    engine.dispose()
    return [dict(row) for row in rows]


def trainer_view(database: Path) -> dict[str, Any]:
    """What the trainer pages show for the stored conversations (read from a copy of ``database``): the
    list, its summary rows, the progress page, each conversation's page and the exports of them all."""
    with tempfile.TemporaryDirectory() as name:
        copy = Path(name) / database.name
        shutil.copyfile(database, copy)
        return _view(f"sqlite:///{copy}")


def _view(database_url: str) -> dict[str, Any]:
    client = make_app(database_url).test_client()
    token = csrf_from(client.get("/trainer/login").text)
    client.post("/trainer/login", data={"naam": TRAINER, "wachtwoord": PASSWORD, "csrf_token": token})

    def page(path: str) -> str:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', response.text)

    view: dict[str, Any] = {"list": page("/trainer/"), "progress": page("/trainer/voortgang")}
    view["summaries"] = _rows(database_url, SUMMARIES)
    view["rehearsals"] = _rows(database_url, REHEARSALS)
    view["pages"] = {sender: page(f"/trainer/gesprek/{sender}") for sender in CONVERSATIONS}
    view["exports"] = {format: page(f"/trainer/export?format={format}") for format in ("md", "csv", "json")}
    return view


def record(out: Path) -> None:
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        database_url = sqlite_url(directory)
        with start_servers(directory, database_url, web=False) as servers:
            for sender, messages in CONVERSATIONS.items():
                for message in messages:
                    chat(servers.rasa_url, sender, message)
        with sqlite3.connect(directory / "waardecoach.db") as source:
            source.execute("VACUUM")
            out.unlink(missing_ok=True)
            with sqlite3.connect(out) as target:
                source.backup(target)
            count = source.execute("SELECT count(*) FROM events").fetchone()[0]
    print(f"{count} events written to {out} ({out.stat().st_size} bytes)", file=sys.stderr)
    view = trainer_view(out)
    pages = out.with_suffix(".pages.json")
    pages.write_text(json.dumps(view, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"what the trainer pages show written to {pages}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the SQLite file to write (name the version in it)")
    record(parser.parse_args().out)


if __name__ == "__main__":
    main()
