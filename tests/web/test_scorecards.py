"""Rehearsal scorecards on the review pages: replay, overrides, effective score, list, progress, exports.

The scorecards are the real thing: scripted rehearsals from ``tests/unit/rehearsals/`` played
through ``bot.roleplay`` and scored by ``bot.scorecard`` (see ``tests/web/rehearsals.py``),
stored as ``scorecard`` slot events in Rasa's ``events`` table next to the recorded
conversations.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from markupsafe import escape

import web.__main__ as cli
from bot.scorecard import load_rubric
from tests.web.conftest import PROMOTER, TRAINER, csv_rows, make_app, recorded_events, token
from tests.web.rehearsals import DAY, MONDAY, rehearsal_events, scorecard_value, store_rehearsals
from web import listing, store
from web.export import ExportItem, to_csv, to_json, to_markdown
from web.scores import Override, ReviewedScorecard, effective_score, review_scorecards
from web.transcript import build_conversation

XSS = "<img src=x onerror=alert(1)>"
RUBRIC = load_rubric()
CRITERIA = [criterion.id for criterion in RUBRIC.criteria]
PIET = "oefen-piet-ziekenhuis"  # three rehearsals with the hospital: poor, mediocre, good
SARA = "oefen-sara-lunch"  # one with the caterer
SARA_AGAIN = "oefen-sara-gemeente"  # the municipality, then the caterer again
REHEARSED = (PIET, SARA, SARA_AGAIN)
POOR = scorecard_value("hospital_poor", "Piet")
MEDIOCRE = scorecard_value("hospital_mediocre", "Piet")
GOOD = scorecard_value("hospital_good", "Piet")
CATERING = scorecard_value("catering_mediocre", "Sara")

# The expected figures follow from bot/rubric.yml and bot/scorecard.py, as written down per
# criterion in the rehearsal files (tests/unit/rehearsals/<name>.yml, "expect"); since the
# rehearsal rules changed, the client's current cost never counts as value and a value sum
# ("15 uur per week à € 40 is € 600 per week") is value, not a price:
# * hospital_poor 0: only a vague next step (5) minus the 15-point wording penalty (three
#   flags), never below 0.
# * hospital_mediocre 56 = 8 (value question, unclear) + 8 (2 of 5 facts) + 10 (value short
#   of the price) + 10 (2 of 3 objections) + 10 (options) + 5 (vague next step) + 5 (vague
#   promise). Value: € 54.000 a year confirmed ("U betaalt nu € 420.000" is current cost).
# * hospital_good 90 = 15 + 20 + 10 + 15 + 10 + 10 + 10: only the value falls short. Value:
#   € 54.000 + € 48.000 = € 102.000 a year, three contract years: € 306.000 against 3 x
#   € 395.000 = € 1.185.000, ratio 306/1185 = 0,26, so no payback period.
# * catering_mediocre 47 = 0 + 12 (3 of 5 facts) + 10 (value short of the price) + 5 (1 of 3
#   objections) + 10 (options) + 10 (next step with a day and a time) + 0 (no promise).
#   Value: "Je bespaart die € 900 per week" is her current cost and does not count; € 600 a
#   week x 52 = € 31.200 a year against € 5.200 x 12 = € 62.400 a year (one contract year):
#   ratio 0,5.
# * municipality_good 90 = 15 + 20 + 10 + 15 + 10 + 10 + 10: only the value falls short.
POOR_SCORE, MEDIOCRE_SCORE, GOOD_SCORE, CATERING_SCORE, MUNICIPALITY_SCORE = 0, 56, 90, 47, 90


def rows_of(page: str) -> list[str]:
    """The conversation ids in the list, in order."""
    return re.findall(r'name="id" value="([^"]+)"', page)


def rehearsed(ids: list[str]) -> list[str]:
    """Only the rehearsal conversations (the recorded ones are newer and have no score)."""
    return [sender_id for sender_id in ids if sender_id in REHEARSED]


def override(criterion: str, points: int, card: int = 0, number: int = 1, minute: int = 0) -> Override:
    moment = datetime(2026, 11, 3, 9, minute, tzinfo=timezone.utc)
    return Override(number, "x", card, criterion, points, "omdat", "anna", moment)


@pytest.fixture
def rehearsals(database_url: str) -> str:
    """The recorded conversations plus three rehearsal conversations (Piet Monday, Sara Tuesday and Wednesday)."""
    store_rehearsals(database_url, PIET, [POOR, MEDIOCRE, GOOD])
    store_rehearsals(database_url, SARA, [CATERING], MONDAY + DAY)
    store_rehearsals(
        database_url,
        SARA_AGAIN,
        [scorecard_value("municipality_good", " sara "), CATERING],
        MONDAY + 2 * DAY,
    )
    return database_url


@pytest.fixture
def coach(rehearsals: str, trainer: FlaskClient) -> FlaskClient:
    """A trainer logged in, with the rehearsals stored."""
    return trainer


def post_override(client: FlaskClient, sender_id: str, number: int, **form: str) -> Any:
    path = f"/trainer/gesprek/{sender_id}"
    data = {"csrf_token": token(client, path), **form}
    return client.post(f"{path}/oefening/{number}/aanpassen", data=data)


# -- replaying the scorecard slot ---------------------------------------------------------


def test_the_played_rehearsals_give_the_scores_the_core_expects() -> None:
    scores = [played.value["score"] for played in (POOR, MEDIOCRE, GOOD, CATERING)]
    assert scores == [POOR_SCORE, MEDIOCRE_SCORE, GOOD_SCORE, CATERING_SCORE] == [0, 56, 90, 47]


def test_every_scorecard_is_collected_in_order_with_its_time() -> None:
    events = rehearsal_events([POOR, MEDIOCRE, GOOD])
    conversation = build_conversation(PIET, events)
    slot_times = [e["timestamp"] for e in events if e["event"] == "slot" and e["name"] == "scorecard"]
    cards = conversation.scorecards
    assert [card.index for card in cards] == [0, 1, 2] and [card.number for card in cards] == [1, 2, 3]
    assert [card.time.timestamp() for card in cards] == slot_times
    assert [card.score for card in cards] == [0, 56, 90]
    assert conversation.scorecard is cards[-1]
    good = cards[-1]
    assert (good.persona_id, good.persona_name, good.salesperson) == (
        "hospital_facility_manager",
        "Ingrid Verbeek",
        "Piet",
    )
    assert [c.id for c in good.criteria] == CRITERIA
    assert [c.max_points for c in good.criteria] == [c.weight for c in RUBRIC.criteria]
    assert good.criterion("next_step").quotes[0].startswith("Zullen we donderdag 12 juni om 14.00 uur")
    assert good.value_check is not None
    # € 306.000 of value over three years against € 1.185.000: 0,26, the price is never earned back
    assert good.value_check["ratio"] == "0,26" and good.value_check["payback_months"] is None
    assert good.data == GOOD.value
    poor = cards[0]
    assert poor.coaching.penalty == 15 and [f.rule_id for f in poor.coaching.flags] == [
        "price_first",
        "telling_client_what_to_do",
        "asap",
    ]
    assert poor.criterion("objections").status == "not" and poor.value_check is None
    assert poor.practise_names() == (
        "Verborgen feiten en getallen gevonden",
        "Waarde in geld en getoetst aan de prijs",
        "De waardevraag",
    )


def test_a_scorecard_carried_over_or_set_again_is_not_a_new_one() -> None:
    events = rehearsal_events([POOR], restart_between=False)
    stored = next(e["timestamp"] for e in events if e.get("name") == "scorecard")
    time = events[-1]["timestamp"]
    events += [
        {"event": "action", "name": "action_session_start", "timestamp": time + 1},
        {"event": "session_started", "timestamp": time + 2},
        {"event": "slot", "name": "scorecard", "value": POOR.value, "timestamp": time + 3},  # carried over
        {"event": "action", "name": "action_listen", "timestamp": time + 4},
        {"event": "slot", "name": "scorecard", "value": POOR.value, "timestamp": time + 5},  # set again
    ]
    assert len(build_conversation("x", events).scorecards) == 1
    # a new rehearsal clears the slot first: the same result again is a new attempt
    events += [
        {"event": "slot", "name": "scorecard", "value": None, "timestamp": time + 6},
        {"event": "slot", "name": "scorecard", "value": POOR.value, "timestamp": time + 7},
        {"event": "restart", "timestamp": time + 8},
        {"event": "slot", "name": "scorecard", "value": POOR.value, "timestamp": time + 9},
    ]
    cards = build_conversation("x", events).scorecards
    assert [card.time.timestamp() for card in cards] == [stored, time + 7, time + 9]


def test_unreadable_scorecard_values_are_skipped() -> None:
    broken = [
        {"event": "slot", "name": "scorecard", "value": value, "timestamp": float(n)}
        for n, value in enumerate(
            [
                "62",
                {"score": "62"},
                {"score": True},
                {},
                {"score": 140, "criteria": [{"id": "x", "points": "7"}, "nonsense", {"name": "zonder id"}]},
            ]
        )
    ]
    cards = build_conversation("x", broken).scorecards
    assert len(cards) == 1
    card = cards[0]
    assert card.score == 100 and card.index == 0
    assert [(c.id, c.points, c.status) for c in card.criteria] == [("x", 0, "not")]
    assert card.persona_name == "" and card.salesperson == "" and card.value_check is None


# -- the effective score -------------------------------------------------------------------


def test_the_effective_score_replaces_only_the_overridden_points() -> None:
    card = build_conversation("x", rehearsal_events([CATERING])).scorecards[0]
    assert effective_score(card) == card.score == 47
    objections = card.criterion("objections")
    # 1 of 3 objections handled: a third of 15
    assert objections is not None and (objections.points, objections.max_points) == (5, 15)
    assert effective_score(card, [override("objections", 12)]) == 54  # 47 - 5 + 12
    # clamped to 0..the criterion's maximum
    assert effective_score(card, [override("objections", 99)]) == 57  # 47 - 5 + 15
    assert effective_score(card, [override("objections", -5)]) == 42  # 47 - 5 + 0
    # the latest override of a criterion counts; other scorecards' and unknown criteria are ignored
    latest = [override("objections", 15, minute=1, number=1), override("objections", 11, minute=2, number=2)]
    assert effective_score(card, latest) == 53  # 47 - 5 + 11
    assert effective_score(card, [override("objections", 0, card=1), override("onbekend", 3)]) == 47
    reviewed = ReviewedScorecard(card, (override("promise", 10),))
    assert (reviewed.automatic, reviewed.effective, reviewed.overridden) == (47, 57, True)
    points = {item.criterion.id: (item.criterion.points, item.points) for item in reviewed.criteria}
    assert points["promise"] == (0, 10) and points["options"] == (10, 10)


def test_the_coaching_penalty_still_counts_after_an_override() -> None:
    card = build_conversation("x", rehearsal_events([POOR])).scorecards[0]
    # 5 points (a vague next step) minus the 15-point wording penalty: 0, never below
    assert card.score == 0 and card.coaching.penalty == 15
    assert effective_score(card, [override("value_question", 15)]) == 5  # 20 - 15, not 0 + 15


def test_progress_per_salesperson_and_persona(rehearsals: str) -> None:
    rows = listing.progress(rehearsals)
    table = [
        (row.salesperson, row.persona_name, row.attempts, row.first.effective, row.latest.effective)
        for row in rows
    ]
    assert table == [
        ("Piet", "Ingrid Verbeek", 3, 0, 90),
        ("Sara", "Ruud Hermans", 1, 90, 90),  # " sara " is Sara: case and spaces do not count
        ("Sara", "Sanne Koster", 2, 47, 47),
    ]
    piet = rows[0]
    assert (piet.best.number, piet.best.sender_id, piet.latest.number, piet.change) == (3, PIET, 3, 90)
    sanne = rows[2]
    assert sanne.best.sender_id == SARA  # of equal scores the earliest is the best
    assert sanne.latest.sender_id == SARA_AGAIN and sanne.latest.number == 2


# -- storing overrides ----------------------------------------------------------------------


def test_overrides_are_stored_clamped_and_deleted_with_the_conversation(rehearsals: str) -> None:
    conversation = store.load_conversation(rehearsals, SARA)
    assert conversation is not None
    card = conversation.scorecards[0]
    saved = store.add_override(rehearsals, SARA, card, "objections", 40, "Goed gedaan", "anna")
    assert saved.points == 15 and saved.scorecard == 0 and saved.created_at.tzinfo is not None
    store.add_override(rehearsals, SARA, card, "promise", -3, "Geen belofte", "bram")
    with pytest.raises(ValueError):
        store.add_override(rehearsals, SARA, card, "bestaat_niet", 3, "x", "anna")
    found = store.list_overrides(rehearsals, SARA)
    assert [(o.criterion, o.points, o.author, o.note) for o in found] == [
        ("objections", 15, "anna", "Goed gedaan"),
        ("promise", 0, "bram", "Geen belofte"),
    ]
    assert store.overrides_by_conversation(rehearsals, [SARA, PIET]) == {SARA: found}
    summary = next(s for s in listing.list_conversations(rehearsals) if s.sender_id == SARA)
    # objections 5 -> 15 (clamped from 40), promise 0 -> 0: 47 + 10
    assert (summary.automatic_score, summary.score, summary.score_overridden) == (47, 57, True)
    store.delete_conversation(rehearsals, SARA)
    assert store.list_overrides(rehearsals, SARA) == []


def test_the_overrides_table_is_added_to_an_older_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'oud.db'}"
    engine = sa.create_engine(url)
    store.NOTES.create(engine)
    store.TAGS.create(engine)
    engine.dispose()
    assert store.list_overrides(url, "x") == []
    assert "review_overrides" in sa.inspect(sa.create_engine(url)).get_table_names()


def test_filters_and_order_by_score(rehearsals: str) -> None:
    def ids(filters: listing.ConversationFilter | None = None, sort: listing.Sort = "newest") -> list[str]:
        return [s.sender_id for s in listing.list_conversations(rehearsals, filters, sort)]

    everything = ids()
    assert rehearsed(everything) == [SARA_AGAIN, SARA, PIET] and len(everything) == 7
    assert ids(listing.ConversationFilter(min_score=60)) == [PIET]
    assert ids(listing.ConversationFilter(max_score=52)) == [SARA_AGAIN, SARA]
    assert ids(listing.ConversationFilter(min_score=47, max_score=47)) == [SARA_AGAIN, SARA]
    assert ids(listing.ConversationFilter(min_score=0, max_score=100)) == [SARA_AGAIN, SARA, PIET]
    assert ids(sort="score_desc")[:3] == [PIET, SARA_AGAIN, SARA]  # equal scores: newest first
    assert ids(sort="score_asc")[:3] == [SARA_AGAIN, SARA, PIET]
    assert ids(sort="oldest") == everything[::-1]
    assert ids(sort="score_asc")[3:] == [i for i in everything if i not in REHEARSED]  # no score: last


# -- the pages ----------------------------------------------------------------------------


def test_the_conversation_page_shows_the_scorecard(coach: FlaskClient) -> None:
    text = coach.get(f"/trainer/gesprek/{SARA}").text
    assert 'id="oefening-1"' in text and "Oefenscore" in text
    assert "Geoefend met <strong>Sanne Koster</strong>" in text and "Verkoper <strong>Sara</strong>" in text
    assert '<span class="score-total-value">47<span class="score-total-of">/100</span>' in text
    assert "Na aanpassing" not in text
    for criterion in RUBRIC.criteria:
        assert html.escape(criterion.name, quote=False) in text
    assert "5/15" in text and "0/10" in text  # objections 1 of 3; no promise
    for label in ("gehaald", "deels", "niet gehaald"):
        assert f">{label}</span>" in text
    card = scorecard_value("catering_mediocre", "Sara").value
    objections = next(c for c in card["criteria"] if c["id"] == "objections")
    assert f"<q>{escape(objections['quotes'][0])}</q>" in text
    assert escape(objections["feedback"]) in text
    assert escape(objections["alternative"]) in text
    assert "Woordkeuze" in text and "Oefen nu" in text and "Waardecheck" in text
    # the value check: € 600 a week confirmed, € 31.200 a year against € 62.400 a year
    assert "€ 31.200,00" in text and "0,5" in text
    assert text.count("Score aanpassen") == len(CRITERIA)
    assert text.count('name="csrf_token"') >= len(CRITERIA)


def test_several_rehearsals_show_the_latest_first_and_the_earlier_ones_folded(coach: FlaskClient) -> None:
    text = coach.get(f"/trainer/gesprek/{PIET}").text
    assert "oefening 3 van 3, de laatste" in text
    latest, second, first = (text.index(f'id="oefening-{n}"') for n in (3, 2, 1))
    assert latest < second < first < text.index('id="verloop"')
    assert '<details class="card scorecard scorecard-earlier" id="oefening-2">' in text
    assert "Oefening 1 met Ingrid Verbeek" in text


def test_a_trainer_overrides_a_criterion_and_both_scores_are_shown(coach: FlaskClient) -> None:
    response = post_override(coach, SARA, 1, criterium="objections", punten="12", toelichting=f"Sterk {XSS}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/trainer/gesprek/{SARA}#oefening-1")
    text = coach.get(f"/trainer/gesprek/{SARA}").text
    assert "Je aanpassing van ‘Bezwaren behandeld zonder toe te geven’ is opgeslagen" in text
    assert '<span class="score-total-value">47<span class="score-total-of">/100</span>' in text  # kept
    assert 'id="oefening-1-trainer"' in text
    # 47 - 5 + 12
    assert '<span class="score-total-value">54<span class="score-total-of">/100</span>' in text
    assert '<span class="points points-replaced" title="Automatisch">5/15</span>' in text
    assert "12/15</span>" in text
    assert f"Sterk {html.escape(XSS, quote=False)}" in text and XSS not in text
    assert "Aanpassingen door trainers" in text and f"<strong>{TRAINER}</strong>" in text
    assert "5 → 12 van 15" in text
    listed = coach.get("/trainer/").text
    assert "automatisch 47" in listed
    stored = store.list_overrides(coach.application.extensions["waardecoach_database"], SARA)
    assert [(o.criterion, o.points, o.author) for o in stored] == [("objections", 12, TRAINER)]


def test_override_points_are_clamped_and_checked(coach: FlaskClient) -> None:
    post_override(coach, SARA, 1, criterium="promise", punten="25", toelichting="Prima belofte")
    text = coach.get(f"/trainer/gesprek/{SARA}").text
    assert "De punten vielen buiten de schaal en zijn opgeslagen als 10 van 10." in text
    assert '<span class="score-total-value">57<span class="score-total-of">/100</span>' in text  # 47 + 10
    post_override(coach, SARA, 1, criterium="options", punten="-4", toelichting="Geen echte opties")
    assert "opgeslagen als 0 van 10" in coach.get(f"/trainer/gesprek/{SARA}").text
    database = coach.application.extensions["waardecoach_database"]
    assert [o.points for o in store.list_overrides(database, SARA)] == [10, 0]
    for points in ("", "acht", "7.5", "1e3"):
        post_override(coach, SARA, 1, criterium="promise", punten=points, toelichting="x")
        assert (
            "Vul de punten in als een heel getal van 0 tot en met 10"
            in coach.get(f"/trainer/gesprek/{SARA}").text
        )
    post_override(coach, SARA, 1, criterium="promise", punten="5", toelichting="   ")
    assert "Schrijf in de toelichting waarom" in coach.get(f"/trainer/gesprek/{SARA}").text
    post_override(coach, SARA, 1, criterium="promise", punten="5", toelichting="x" * 5000)
    assert "te lang" in coach.get(f"/trainer/gesprek/{SARA}").text
    assert len(store.list_overrides(database, SARA)) == 2
    assert (
        post_override(coach, SARA, 1, criterium="bestaat_niet", punten="1", toelichting="x").status_code
        == 400
    )
    assert post_override(coach, SARA, 2, criterium="promise", punten="1", toelichting="x").status_code == 404
    assert (
        post_override(coach, PROMOTER, 1, criterium="promise", punten="1", toelichting="x").status_code == 404
    )


def test_overriding_needs_a_login_and_the_csrf_token(
    rehearsals: str, client: FlaskClient, login: Callable[..., Any]
) -> None:
    path = f"/trainer/gesprek/{SARA}/oefening/1/aanpassen"
    form = {"criterium": "objections", "punten": "15", "toelichting": "x"}
    anonymous = client.post(path, data={**form, "csrf_token": token(client, "/trainer/login")})
    assert anonymous.status_code == 302 and "/trainer/login" in anonymous.headers["Location"]
    assert client.post(path, data=form).status_code == 400
    login()
    assert client.post(path, data=form).status_code == 400
    assert client.post(path, data={**form, "csrf_token": "vervalst"}).status_code == 400
    assert store.list_overrides(rehearsals, SARA) == []
    assert client.post(path, data={**form, "csrf_token": token(client)}).status_code == 302
    assert len(store.list_overrides(rehearsals, SARA)) == 1


def test_the_list_shows_filters_and_sorts_by_score(coach: FlaskClient) -> None:
    text = coach.get("/trainer/").text
    assert "Oefen&shy;score" in text and "3 oefeningen" in text and "2 oefeningen" in text
    assert 'aria-label="Oefenscore 90 van 100"' in text  # Piet's latest: hospital_good
    assert rows_of(coach.get("/trainer/?score_min=60").text) == [PIET]
    assert rows_of(coach.get("/trainer/?score_max=52").text) == [SARA_AGAIN, SARA]
    best_first = coach.get("/trainer/?sorteer=score-hoog").text
    assert rows_of(best_first)[:3] == [PIET, SARA_AGAIN, SARA] and "hoogste score eerst." in best_first
    assert '<option value="score-hoog" selected>' in best_first
    assert rows_of(coach.get("/trainer/?sorteer=score-laag&score_min=0").text) == [SARA_AGAIN, SARA, PIET]
    assert rehearsed(rows_of(coach.get("/trainer/?sorteer=oudste").text)) == [PIET, SARA, SARA_AGAIN]
    post_override(coach, SARA, 1, criterium="promise", punten="10", toelichting="Wel een belofte")
    # the effective score counts: Sara's first rehearsal 47 + 10 = 57
    assert rows_of(coach.get("/trainer/?score_min=55").text) == [SARA, PIET]
    assert rows_of(coach.get("/trainer/?sorteer=score-hoog").text)[:3] == [PIET, SARA, SARA_AGAIN]
    wrong = coach.get("/trainer/?score_min=veel&score_max=101&sorteer=beste").text
    assert "Een filter klopt niet" in wrong and len(rows_of(wrong)) == 7
    assert 'id="score_min"' in wrong and 'aria-invalid="true"' in wrong
    kept = coach.get("/trainer/?score_min=50&sorteer=score-laag").text
    assert '<input type="hidden" name="score_min" value="50">' in kept
    assert '<input type="hidden" name="sorteer" value="score-laag">' in kept


def test_the_progress_page(coach: FlaskClient) -> None:
    assert 'href="/trainer/voortgang"' in coach.get("/trainer/").text
    post_override(coach, PIET, 2, criterium="promise", punten="10", toelichting="Toch een belofte")
    page = coach.get("/trainer/voortgang")
    assert page.status_code == 200
    text = page.text
    assert "<h1>Voortgang</h1>" in text and "Effectieve scores." in text
    assert "6 oefeningen in totaal" in text
    assert text.index(">Piet</th>") < text.index(">Sara</th>")
    piet = text[text.index(">Piet</th>") : text.index(">Sara</th>")]
    assert "Ingrid Verbeek" in piet
    cells = re.findall(r'class="score-pill" href="([^"]+)">(\d+)</a>', piet)
    # first, best, latest (the override lifts the mediocre one from 56 to 61, still below 90)
    assert [score for _, score in cells] == ["0", "90", "90"]
    assert cells[0][0] == f"/trainer/gesprek/{PIET}#oefening-1"
    assert cells[1][0] == f"/trainer/gesprek/{PIET}#oefening-3"
    assert ">+90</span>" in piet
    sara = text[text.index(">Sara</th>") :]
    assert "Ruud Hermans" in sara and "Sanne Koster" in sara and "= eerste" in sara
    assert 'aria-current="page">Voortgang' in text
    assert "<script" not in text and " style=" not in text


def test_progress_uses_effective_scores_and_escapes_names(rehearsals: str, trainer: FlaskClient) -> None:
    store_rehearsals(rehearsals, "oefen-xss", [scorecard_value("catering_mediocre", XSS)], MONDAY + 3 * DAY)
    post_override(trainer, SARA, 1, criterium="promise", punten="10", toelichting="Goede belofte")
    text = trainer.get("/trainer/voortgang").text
    assert XSS not in text and html.escape(XSS, quote=False) in text
    sara = text[text.index(">Sara</th>") :]
    sanne = sara[sara.index("Sanne Koster") :]
    # first and best 47 + 10 = 57 (the override), latest 47
    assert re.findall(r'class="score-pill" href="[^"]+">(\d+)</a>', sanne)[:3] == ["57", "57", "47"]
    assert "automatisch 47" in sanne


def test_the_progress_page_without_rehearsals(trainer: FlaskClient) -> None:
    text = trainer.get("/trainer/voortgang").text
    assert "Nog geen oefeningen" in text


def test_the_progress_page_needs_a_login(client: FlaskClient) -> None:
    response = client.get("/trainer/voortgang")
    assert response.status_code == 302 and "/trainer/login" in response.headers["Location"]


# -- exports ----------------------------------------------------------------------------------


def _items(database: str, sender_id: str) -> list[ExportItem]:
    conversation = store.load_conversation(database, sender_id)
    assert conversation is not None
    return [ExportItem(conversation, overrides=store.list_overrides(database, sender_id))]


def test_exports_hold_the_scorecard_overrides_and_effective_score(rehearsals: str) -> None:
    conversation = store.load_conversation(rehearsals, SARA)
    assert conversation is not None
    store.add_override(
        rehearsals, SARA, conversation.scorecards[0], "objections", 12, "Sterk | *goed*", "anna"
    )
    items = _items(rehearsals, SARA)

    document = json.loads(to_json(items))["conversations"][0]
    assert document["score"] == {"automatic": 47, "effective": 54}  # objections 5 -> 12
    (card,) = document["scorecards"]
    assert (card["number"], card["persona_name"], card["salesperson"]) == (1, "Sanne Koster", "Sara")
    assert (card["automatic_score"], card["effective_score"]) == (47, 54)
    assert card["effective_points"]["objections"] == 12 and card["effective_points"]["options"] == 10
    assert card["scorecard"] == CATERING.value  # the slot's value as stored
    assert [(o["criterion"], o["points"], o["author"], o["note"]) for o in card["overrides"]] == [
        ("objections", 12, "anna", "Sterk | *goed*")
    ]

    rows = [row for row in csv_rows(to_csv(items)) if row["speaker"] == "scorecard"]
    assert [row["criterion"] for row in rows] == ["total", *CRITERIA, "coaching"]
    total = rows[0]
    assert (total["points_automatic"], total["points_trainer"], total["points_max"]) == ("47", "54", "100")
    assert total["text"] == "Sanne Koster / Sara" and total["scorecard"] == "1"
    objections = next(row for row in rows if row["criterion"] == "objections")
    assert (objections["points_automatic"], objections["points_trainer"], objections["points_max"]) == (
        "5",
        "12",
        "15",
    )
    assert objections["trainer_note"] == "Sterk | *goed*"
    options = next(row for row in rows if row["criterion"] == "options")
    assert options["points_trainer"] == "" and options["trainer_note"] == ""
    assert rows[-1]["points_automatic"] == "0"

    markdown = to_markdown(items)
    assert "- Oefenscore: 54/100 (na aanpassing door een trainer; automatisch 47/100)" in markdown
    assert "### Oefening 1 met Sanne Koster: 47/100, na aanpassing 54/100" in markdown
    assert "| Bezwaren behandeld zonder toe te geven | 5 | 12 | 15 | deels |" in markdown
    assert "| Opties geboden | 10 |  | 10 | gehaald |" in markdown
    # the three criteria with the most points missed: value question 15, value 10, objections 10
    assert (
        "Oefen nu: De waardevraag, Waarde in geld en getoetst aan de prijs, "
        "Bezwaren behandeld zonder toe te geven." in markdown
    )
    assert "Verhouding waarde/prijs 0,5" in markdown
    assert r"Bezwaren behandeld zonder toe te geven 5 → 12: Sterk \| \*goed\*" in markdown


def test_an_export_without_rehearsals_has_no_score() -> None:
    item = ExportItem(build_conversation(PROMOTER, recorded_events()[PROMOTER]))
    document = json.loads(to_json([item]))["conversations"][0]
    assert document["score"] is None and document["scorecards"] == []
    assert "Oefen" not in to_markdown([item])
    assert all(row["speaker"] != "scorecard" for row in csv_rows(to_csv([item])))


def test_the_export_route_includes_overrides_and_keeps_the_score_filters(coach: FlaskClient) -> None:
    post_override(coach, PIET, 3, criterium="promise", punten="4", toelichting="Te algemeen")
    exported = json.loads(coach.get(f"/trainer/export?format=json&id={PIET}").data)["conversations"][0]
    # the good one: promise 10 -> 4, 90 - 6 = 84
    assert [c["effective_score"] for c in exported["scorecards"]] == [0, 56, 84]
    assert exported["scorecards"][2]["overrides"][0]["note"] == "Te algemeen"
    filtered = json.loads(coach.get("/trainer/export?format=json&score_min=80&sorteer=score-laag").data)
    assert [c["id"] for c in filtered["conversations"]] == [PIET]


def test_the_cli_exports_by_score(rehearsals: str, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.setenv("WAARDECOACH_DATABASE_URL", rehearsals)
    cli.main(["export", "--format", "json", "--score-max", "60", "--sorteer", "oudste"])
    assert [c["id"] for c in json.loads(capsys.readouterr().out)["conversations"]] == [SARA, SARA_AGAIN]
    with pytest.raises(SystemExit, match="--score-min"):
        cli.main(["export", "--format", "json", "--score-min", "veel"])


def test_deleting_a_conversation_deletes_its_overrides(coach: FlaskClient) -> None:
    post_override(coach, SARA, 1, criterium="promise", punten="4", toelichting="x")
    path = f"/trainer/gesprek/{SARA}"
    assert coach.post(f"{path}/verwijderen", data={"csrf_token": token(coach, path)}).status_code == 302
    database = coach.application.extensions["waardecoach_database"]
    assert store.list_overrides(database, SARA) == []


def test_review_scorecards_keeps_each_cards_overrides_apart() -> None:
    conversation = build_conversation(PIET, rehearsal_events([POOR, MEDIOCRE, GOOD]))
    reviewed = review_scorecards(
        conversation, [override("promise", 0, card=2, minute=5), override("options", 10, card=0, minute=1)]
    )
    assert [len(r.overrides) for r in reviewed] == [1, 0, 1]
    # poor: options 0 -> 10 gives 5 + 10 - 15 = 0; good: promise 10 -> 0 gives 80
    assert [r.effective for r in reviewed] == [0, 56, 80]


def test_the_app_factory_still_works_for_an_empty_database(empty_url: str) -> None:
    client = make_app(empty_url).test_client()
    assert client.get("/trainer/voortgang").status_code == 302


def test_every_stored_text_of_a_scorecard_is_escaped(rehearsals: str, trainer: FlaskClient) -> None:
    value = json.loads(json.dumps(CATERING.value))
    value |= {"salesperson": XSS, "persona_name": XSS, "persona_id": XSS}
    value["criteria"][0] |= {"name": XSS, "feedback": XSS, "alternative": XSS, "quotes": [XSS]}
    value["coaching"]["flags"] = [
        {"rule_id": XSS, "quote": XSS, "problem": XSS, "suggestion": XSS, "turn": 1}
    ]
    value["coaching"] |= {"penalty": 5, "name": XSS, "feedback": XSS}
    value["practise_next"] = [value["criteria"][0]["id"], "coaching"]
    value["value_check"] = {"ratio": XSS, "outcome": XSS}
    store_rehearsals(rehearsals, "oefen-xss", [type(CATERING)((XSS,), value)], MONDAY + 3 * DAY)
    post_override(trainer, "oefen-xss", 1, criterium=value["criteria"][0]["id"], punten="3", toelichting=XSS)
    for path in ("/trainer/gesprek/oefen-xss", "/trainer/", "/trainer/voortgang"):
        text = trainer.get(path).text
        assert XSS not in text, path
        assert re.search(r"<[^>]*\son\w+\s*=", text) is None, path
    page = trainer.get("/trainer/gesprek/oefen-xss").text
    assert page.count(html.escape(XSS, quote=False)) >= 10


def test_the_transcript_marks_where_each_rehearsal_ended(coach: FlaskClient) -> None:
    text = coach.get(f"/trainer/gesprek/{PIET}").text
    transcript = text[text.index('id="verloop"') :]
    ends = [
        transcript.index(f">Einde van oefening {n}: {score}/100</a>")
        for n, score in ((1, 0), (2, 56), (3, 90))
    ]
    assert ends == sorted(ends)
    # right after the bot's closing line of that rehearsal, before the next one starts
    assert (
        transcript.index("Je score: 0 van de 100.") < ends[0] < transcript.index("Je score: 56 van de 100.")
    )
    assert '<a href="#oefening-2">' in transcript


def test_the_conversation_page_shows_the_progress_of_its_salesperson(coach: FlaskClient) -> None:
    text = coach.get(f"/trainer/gesprek/{SARA_AGAIN}").text
    card = text[text.index('id="voortgang-kop"') : text.index('id="oordeel"')]
    assert "<strong>Sara</strong> met Ruud Hermans · 1 poging" in card
    assert "<strong>Sara</strong> met Sanne Koster · 2 pogingen" in card
    assert f'href="/trainer/gesprek/{SARA}#oefening-1">47</a>' in card  # the first try, elsewhere
    assert 'href="#oefening-2">47</a>' in card  # the latest, on this page
    assert 'href="/trainer/voortgang"' in card
    assert 'id="voortgang-kop"' not in coach.get(f"/trainer/gesprek/{PROMOTER}").text


def test_wording_flags_of_a_rehearsal_are_pointed_to_from_the_coaching_card(coach: FlaskClient) -> None:
    text = coach.get(f"/trainer/gesprek/{PIET}").text
    card = text[text.index('id="coaching"') : text.index('id="tags"')]
    # the three flags of hospital_poor; hospital_mediocre has none ("scherpste prijs" comes after the
    # value was confirmed, so price_first does not apply) and hospital_good has none either
    assert "De woordkeuze tijdens de oefeningen (3 punten) staat bij Woordkeuze in de oefenscore." in card
    assert "De woordkeuze tijdens" not in coach.get(f"/trainer/gesprek/{PROMOTER}").text


def test_the_list_counts_the_wording_flags_of_rehearsals(coach: FlaskClient) -> None:
    flagged = rows_of(coach.get("/trainer/?coaching=ja").text)
    assert PIET in flagged  # hospital_poor's three wording flags
    text = coach.get("/trainer/").text
    piet = text[text.index(f'value="{PIET}"') :]
    piet = piet[: piet.index("</tr>")]
    assert '<span class="flag-count">3</span>' in piet
    assert "<td>Piet</td>" in piet and '<span class="client">Ingrid Verbeek</span>' in piet
    assert PIET not in rows_of(coach.get("/trainer/?coaching=nee").text)
