"""The review pages through Flask's test client: list and filters, transcript, notes, tags, export, delete."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from urllib.parse import quote

from flask.testing import FlaskClient

from tests.web.conftest import (
    DISSATISFIED,
    PROMISE,
    PROMOTER,
    RESTARTED,
    TRAINER,
    csv_rows,
    insert_rows,
    rasa_row,
    recorded_events,
    token,
)
from web.review import SECURITY_HEADERS, chart_bars
from web.transcript import ChartNumbers

XSS = "<img src=x onerror=alert(1)>"


def rows_of(page: str) -> list[str]:
    """The conversation ids in the list, in order."""
    return re.findall(r'name="id" value="([^"]+)"', page)


def test_the_list_shows_every_conversation_newest_first(trainer: FlaskClient) -> None:
    page = trainer.get("/trainer/")
    assert page.status_code == 200
    text = page.text
    assert rows_of(text) == [RESTARTED, PROMISE, DISSATISFIED, PROMOTER]
    assert "4 gesprekken, nieuwste eerst." in text
    for label in ("promotor", "ontevreden", "geen oordeel", "REST", "1,3", "0,38", "19 <span"):
        assert label in text
    assert re.search(r"\d{1,2} (jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec) \d{4} \d\d:\d\d", text)


def test_the_list_filters(trainer: FlaskClient) -> None:
    assert rows_of(trainer.get("/trainer/?oordeel=promotor").text) == [PROMOTER]
    assert rows_of(trainer.get("/trainer/?oordeel=ontevreden").text) == [DISSATISFIED]
    assert rows_of(trainer.get("/trainer/?oordeel=geen").text) == [RESTARTED, PROMISE]
    assert rows_of(trainer.get("/trainer/?coaching=ja").text) == [PROMISE, PROMOTER]
    assert rows_of(trainer.get("/trainer/?coaching=nee&oordeel=ontevreden").text) == [DISSATISFIED]
    assert rows_of(trainer.get("/trainer/?van=2000-01-01&tot=2999-12-31").text) == [
        RESTARTED,
        PROMISE,
        DISSATISFIED,
        PROMOTER,
    ]
    empty = trainer.get("/trainer/?tot=2000-01-01").text
    assert rows_of(empty) == [] and "Geen gesprekken gevonden" in empty
    wrong = trainer.get("/trainer/?van=gisteren&oordeel=super").text
    assert "Een filter klopt niet" in wrong and len(rows_of(wrong)) == 4
    selected = trainer.get("/trainer/?oordeel=tevreden").text
    assert '<option value="tevreden" selected>tevreden</option>' in selected


def test_the_conversation_page(trainer: FlaskClient) -> None:
    page = trainer.get(f"/trainer/gesprek/{PROMOTER}")
    assert page.status_code == 200
    text = page.text
    # who said what, with the bot's offered choices
    assert "Verkoper" in text and "Waardecoach" in text
    assert "schoonmaak voor een ziekenhuis in Utrecht" in text
    assert '<span class="choice-chip">Akkoord</span>' in text
    assert "Koos de knop <strong>Akkoord</strong>" in text
    # the verdict card with the figures and the chart
    assert '<span class="badge badge-promoter">promotor</span>' in text
    for figure in ("€ 49.580,00", "€ 58.160,00", "€ 38.000,00", "€ 11.580,00", "1,3", "direct bij de start"):
        assert figure in text
    assert "<svg" in text and "Waarde tegenover prijs" in text and "<script" not in text
    # the flag right after the message that raised it, before the bot's next message
    said = text.index("zo snel mogelijk</p>")
    flag = text.index('<aside class="flag"', said)
    assert flag < text.index('class="message message-bot"', said)
    assert "Zo snel mogelijk" in text[flag:] and "Noem een concreet moment" in text[flag:]
    assert 'id="coachingpunt-1"' in text[flag:] and 'href="#coachingpunt-1"' in text


def test_stored_text_is_shown_as_text(trainer: FlaskClient) -> None:
    text = trainer.get(f"/trainer/gesprek/{RESTARTED}").text
    assert XSS not in text
    assert html.escape(XSS, quote=False) in text
    assert "geen oordeel" in text and "Dit gesprek kwam niet tot een oordeel" in text


def test_a_verdict_without_numbers_shows_no_chart(trainer: FlaskClient, database_url: str) -> None:
    events = recorded_events()[DISSATISFIED]
    for event in events:
        if event.get("event") == "slot" and event.get("name") == "assessment" and event.get("value"):
            event["value"].pop("numbers")  # as stored before the verdict kept plain numbers
    insert_rows(database_url, [rasa_row("oud-gesprek", e) for e in events])
    text = trainer.get("/trainer/gesprek/oud-gesprek").text
    assert "€ 20.000,00" in text and "ontevreden" in text
    assert "<svg" not in text


def test_unknown_conversation(trainer: FlaskClient) -> None:
    response = trainer.get("/trainer/gesprek/bestaat-niet")
    assert response.status_code == 404
    assert "Niet gevonden" in response.text


def test_adding_a_note(trainer: FlaskClient) -> None:
    path = f"/trainer/gesprek/{PROMOTER}"
    response = trainer.post(
        f"{path}/notitie", data={"tekst": f"Goed gedaan {XSS}", "csrf_token": token(trainer, path)}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{path}#notities")
    text = trainer.get(path).text
    assert "Je notitie is opgeslagen." in text
    assert f"Goed gedaan {html.escape(XSS, quote=False)}" in text and XSS not in text
    assert f"<strong>{TRAINER}</strong>" in text
    trainer.post(f"{path}/notitie", data={"tekst": "   ", "csrf_token": token(trainer, path)})
    assert "Je notitie is leeg" in trainer.get(path).text
    trainer.post(f"{path}/notitie", data={"tekst": "x" * 5000, "csrf_token": token(trainer, path)})
    assert "te lang" in trainer.get(path).text


def test_adding_and_removing_tags(trainer: FlaskClient) -> None:
    path = f"/trainer/gesprek/{DISSATISFIED}"
    trainer.post(f"{path}/tags", data={"tag": "  goed   voorbeeld ", "csrf_token": token(trainer, path)})
    text = trainer.get(path).text
    assert "Tag ‘goed voorbeeld’ toegevoegd." in text
    trainer.post(f"{path}/tags", data={"tag": "goed voorbeeld", "csrf_token": token(trainer, path)})
    assert "heeft de tag ‘goed voorbeeld’ al" in trainer.get(path).text
    assert '<span class="tag">goed voorbeeld</span>' in trainer.get("/trainer/").text
    assert rows_of(trainer.get("/trainer/?tag=goed+voorbeeld").text) == [DISSATISFIED]
    trainer.post(
        f"{path}/tags/verwijderen", data={"tag": "goed voorbeeld", "csrf_token": token(trainer, path)}
    )
    text = trainer.get(path).text
    assert "Tag ‘goed voorbeeld’ verwijderd." in text and "Nog geen tags." in text


def test_export_downloads(trainer: FlaskClient) -> None:
    one = trainer.get(f"/trainer/export?format=csv&id={PROMOTER}")
    assert one.status_code == 200
    assert one.headers["Content-Type"].startswith("text/csv")
    assert (
        one.headers["Content-Disposition"]
        == 'attachment; filename="waardecoach-gesprek-rest-promotor-ziekenhuis.csv"'
    )
    rows = csv_rows(one.get_data(as_text=True))
    assert {row["conversation_id"] for row in rows} == {PROMOTER}
    two = trainer.get(f"/trainer/export?format=json&id={PROMOTER}&id={PROMISE}")
    assert two.headers["Content-Type"] == "application/json"
    assert [c["id"] for c in json.loads(two.data)["conversations"]] == [PROMISE, PROMOTER]
    filtered = trainer.get("/trainer/export?format=md&oordeel=ontevreden")
    assert filtered.headers["Content-Type"].startswith("text/markdown")
    text = filtered.get_data(as_text=True)
    assert "1 gesprek." in text and f"## Gesprek {DISSATISFIED}" in text
    everything = json.loads(trainer.get("/trainer/export?format=json").data)
    assert len(everything["conversations"]) == 4
    assert trainer.get("/trainer/export?format=pdf").status_code == 400


def test_export_of_nothing_selected_goes_back_to_the_list(trainer: FlaskClient) -> None:
    response = trainer.get("/trainer/export?format=md&selectie=1&oordeel=promotor")
    assert response.status_code == 302 and response.headers["Location"] == "/trainer/?oordeel=promotor"
    assert "Kies eerst één of meer gesprekken" in trainer.get(response.headers["Location"]).text


def test_export_includes_notes_and_tags(trainer: FlaskClient) -> None:
    path = f"/trainer/gesprek/{PROMISE}"
    trainer.post(
        f"{path}/notitie", data={"tekst": "Bespreken in de training.", "csrf_token": token(trainer, path)}
    )
    trainer.post(f"{path}/tags", data={"tag": "training", "csrf_token": token(trainer, path)})
    conversation = json.loads(trainer.get(f"/trainer/export?format=json&id={PROMISE}").data)["conversations"][
        0
    ]
    assert conversation["tags"] == ["training"]
    assert [(n["author"], n["text"]) for n in conversation["notes"]] == [
        (TRAINER, "Bespreken in de training.")
    ]


def test_delete_asks_first_then_removes(trainer: FlaskClient) -> None:
    path = f"/trainer/gesprek/{RESTARTED}"
    confirm = trainer.get(f"{path}/verwijderen")
    assert confirm.status_code == 200 and "Gesprek verwijderen?" in confirm.text
    assert RESTARTED in rows_of(trainer.get("/trainer/").text)  # asking deletes nothing
    response = trainer.post(f"{path}/verwijderen", data={"csrf_token": token(trainer, path)})
    assert response.status_code == 302 and response.headers["Location"] == "/trainer/"
    text = trainer.get("/trainer/").text
    assert f"Het gesprek ‘{RESTARTED}’ is verwijderd" in text
    assert rows_of(text) == [PROMISE, DISSATISFIED, PROMOTER]
    assert trainer.get(path).status_code == 404
    assert trainer.post(f"{path}/verwijderen", data={}).status_code == 400


def test_security_headers_on_review_pages(trainer: FlaskClient) -> None:
    for path in (
        "/trainer/",
        f"/trainer/gesprek/{PROMOTER}",
        "/trainer/login",
        "/trainer/gesprek/nee",
        "/trainer/x",
    ):
        response = trainer.get(path)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (path, name)
    assert "default-src 'self'" in SECURITY_HEADERS["Content-Security-Policy"]
    assert trainer.get("/health").headers.get("X-Frame-Options") is None


def test_no_inline_scripts_or_styles_on_review_pages(trainer: FlaskClient) -> None:
    for path in ("/trainer/", f"/trainer/gesprek/{PROMOTER}", f"/trainer/gesprek/{PROMOTER}/verwijderen"):
        text = trainer.get(path).text
        assert "<script" not in text and "<style" not in text and " style=" not in text
        assert re.search(r"<[^>]*\son\w+\s*=", text) is None  # no event-handler attributes


def test_ids_with_odd_characters(trainer: FlaskClient, database_url: str) -> None:
    sender = "a b/c?d#e"
    insert_rows(
        database_url,
        [rasa_row(sender, {"event": "user", "timestamp": 1.0, "text": "hoi", "input_channel": "socketio"})],
    )
    page = trainer.get(f"/trainer/gesprek/{quote(sender, safe='/')}")
    assert page.status_code == 200 and "hoi" in page.text
    path = f"/trainer/gesprek/{quote(sender, safe='/')}"
    response = trainer.post(f"{path}/tags", data={"tag": "vreemd", "csrf_token": token(trainer, path)})
    assert response.status_code == 302
    assert "vreemd" in trainer.get(path).text


def test_chart_bars_scale_to_the_largest_total() -> None:
    bars = chart_bars(ChartNumbers(Decimal("49580.00"), Decimal("58160.00"), Decimal("38000.00")))
    assert [(b.key, b.amount) for b in bars] == [
        ("value_expected", Decimal("49580.00")),
        ("value_full", Decimal("58160.00")),
        ("price", Decimal("38000.00")),
    ]
    assert bars[1].share == 1.0 and 0.65 < bars[2].share < 0.66
    empty = chart_bars(ChartNumbers(Decimal("-5"), Decimal("0"), Decimal("0")))
    assert [b.share for b in empty] == [0.0, 0.0, 0.0]


def test_the_list_shows_the_salesperson_the_client_and_warnings(trainer: FlaskClient) -> None:
    text = trainer.get("/trainer/").text
    assert '<th scope="col">Verkoper</th>' in text and "Klant of oefening" in text
    assert '<span class="client">schoonmaak voor een ziekenhuis in Utrecht</span>' in text
    assert '<span class="client">ICT-beheer voor een gemeente</span>' in text
    assert text.count('<span class="scenario">waardegesprek</span>') == 3
    assert '<span class="scenario">versimpelingsbelofte</span>' in text  # no client: the promise
    assert text.count("naam onbekend") == 4  # value conversations do not ask the salesperson's name
    dissatisfied = text[text.index(f'value="{DISSATISFIED}"') : text.index(f'value="{PROMOTER}"')]
    assert '<span class="warning">korting gevraagd</span>' in dissatisfied
    assert text.count('class="warning"') == 1


def test_the_list_is_paged(trainer: FlaskClient, database_url: str) -> None:
    events = recorded_events()[PROMISE]
    rows = []
    for number in range(116):
        rows.extend(
            rasa_row(f"kopie-{number:03d}", {**e, "timestamp": e["timestamp"] - number}) for e in events
        )
    insert_rows(database_url, rows)  # 120 conversations: pages of 50, 50 and 20
    first = trainer.get("/trainer/?coaching=ja").text
    assert "118 gesprekken met deze filters, nieuwste eerst. Pagina 1 van 3." in first
    assert len(rows_of(first)) == 50 and "Vorige" not in first
    assert 'href="/trainer/?pagina=2&amp;coaching=ja"' in first and 'rel="next"' in first
    assert 'href="/trainer/?pagina=3&amp;coaching=ja">Laatste' in first
    assert "Alle gefilterde (118) exporteren" in first
    last = trainer.get("/trainer/?coaching=ja&pagina=3").text
    assert len(rows_of(last)) == 18 and rows_of(last)[-1] == "kopie-115"  # the oldest
    assert 'href="/trainer/?pagina=2&amp;coaching=ja">Vorige' in last and "Volgende" not in last
    beyond = trainer.get("/trainer/?coaching=ja&pagina=99").text
    assert rows_of(beyond) == rows_of(last)  # past the end: the last page
    assert rows_of(trainer.get("/trainer/?pagina=nul").text) == rows_of(trainer.get("/trainer/").text)
    every = [row for page in (1, 2, 3) for row in rows_of(trainer.get(f"/trainer/?pagina={page}").text)]
    assert len(every) == len(set(every)) == 120
