"""Replaying Rasa's events into a transcript: messages, buttons, slots, flags in place, verdict, who and
what it is about, warnings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.web.conftest import DISSATISFIED, PROMISE, PROMOTER, RESTARTED, recorded_events
from tests.web.rehearsals import rehearsal_events, scorecard_value
from web.transcript import ChartNumbers, build_conversation, parse_event_data

EVENTS = recorded_events()


def flag(rule: str, quote: str, step: str = "next_step_moment") -> dict[str, str]:
    return {"rule": rule, "quote": quote, "problem": "Probleem.", "suggestion": "Beter zo.", "step": step}


def user(text: str, at: float) -> dict[str, Any]:
    return {"event": "user", "timestamp": at, "text": text, "input_channel": "socketio", "parse_data": {}}


def bot(text: str, at: float, buttons: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"event": "bot", "timestamp": at, "text": text, "data": {"buttons": buttons}, "metadata": {}}


def slot(name: str, value: Any, at: float) -> dict[str, Any]:
    return {"event": "slot", "timestamp": at, "name": name, "value": value}


def test_the_recorded_promoter_conversation() -> None:
    c = build_conversation(PROMOTER, EVENTS[PROMOTER])
    assert c.id == PROMOTER
    assert c.channel == "rest"
    assert c.length == 19
    assert c.started <= c.messages[0].time <= c.messages[-1].time <= c.ended
    assert c.messages[0].speaker == "salesperson" and c.messages[0].text == "hallo"
    greeting = c.messages[1]
    assert greeting.speaker == "bot" and greeting.text.startswith("Hoi! Ik ben de Waardecoach")
    assert [b.title for b in greeting.buttons][:2] == [
        "Start het waardegesprek",
        "Versimpelingsbelofte maken",
    ]
    clicked = next(m for m in c.messages if m.text == "/affirm")
    assert clicked.choice == "Akkoord"
    assert c.verdict is not None and c.verdict.outcome == "promoter"
    assert c.verdict.figures["value_expected"] == "€ 49.580,00"
    assert c.verdict.figures["ratio"] == "1,3"
    assert c.verdict.numbers == ChartNumbers(
        Decimal("49580.00"),
        Decimal("58160.00"),
        Decimal("38000.00"),
        Decimal("11580.00"),
        c.verdict.numbers.ratio,
    )


def test_a_flag_sits_at_the_message_that_raised_it() -> None:
    c = build_conversation(PROMOTER, EVENTS[PROMOTER])
    assert [f.rule for f in c.flags] == ["asap"]
    flagged = [m for m in c.messages if m.flags]
    assert [m.text for m in flagged] == ["zo snel mogelijk"]
    assert flagged[0].flags[0].quote == "zo snel mogelijk"
    assert flagged[0].flags[0].step == "next_step_moment"
    promise = build_conversation(PROMISE, EVENTS[PROMISE])
    assert [(m.text[:20], [f.rule for f in m.flags]) for m in promise.messages if m.flags] == [
        ("wij zijn altijd klan", ["overpromise"]),
        ("u moet het klachtenf", ["telling_client_what_to_do"]),
    ]
    assert promise.verdict is None


def test_dissatisfied_verdict_and_no_flags() -> None:
    c = build_conversation(DISSATISFIED, EVENTS[DISSATISFIED])
    assert c.verdict is not None and c.verdict.outcome == "dissatisfied"
    assert c.verdict.figures["price"] == "€ 20.000,00"
    assert c.flags == ()


def test_a_restart_clears_the_slots() -> None:
    c = build_conversation(RESTARTED, EVENTS[RESTARTED])
    assert "<img src=x onerror=alert(1)> voor een gemeente" in [m.text for m in c.messages]
    assert any(m.text.startswith("Alles is gewist") for m in c.messages)
    events = [
        user("klaar", 1),
        slot("assessment", {"outcome": "promoter", "ratio": "1,3"}, 2),
        {"event": "restart", "timestamp": 3},
        user("start", 4),
    ]
    assert build_conversation("x", events).verdict is None
    again = [*events, slot("assessment", {"outcome": "satisfied", "ratio": "1,1"}, 5)]
    verdict = build_conversation("x", again).verdict
    assert verdict is not None and verdict.outcome == "satisfied" and verdict.figures["ratio"] == "1,1"


def test_flags_carried_into_a_new_session_are_not_new() -> None:
    first = flag("asap", "zsm")
    events = [
        user("ik bel zsm", 1),
        slot("coaching_flags", [first], 2),
        {"event": "action", "timestamp": 3, "name": "action_session_start"},
        {"event": "session_started", "timestamp": 3},
        slot("coaching_flags", [first], 3),  # carried over
        user("u moet tekenen", 4),
        slot("coaching_flags", [first, flag("telling_client_what_to_do", "u moet")], 5),
    ]
    c = build_conversation("x", events)
    assert [f.rule for f in c.flags] == ["asap", "telling_client_what_to_do"]
    assert [[f.rule for f in m.flags] for m in c.messages] == [["asap"], ["telling_client_what_to_do"]]


def test_the_same_words_flagged_again_after_a_restart_count_again() -> None:
    same = flag("asap", "zsm")
    events = [
        user("zsm", 1),
        slot("coaching_flags", [same], 2),
        {"event": "restart", "timestamp": 3},
        slot("coaching_flags", None, 3),
        user("zsm", 4),
        slot("coaching_flags", [same], 5),
    ]
    c = build_conversation("x", events)
    assert len(c.flags) == 2
    assert [len(m.flags) for m in c.messages] == [1, 1]


def test_a_verdict_without_numbers_has_no_chart_numbers() -> None:
    events = [user("3 jaar", 1), slot("assessment", {"outcome": "promoter", "payback_months": None}, 2)]
    verdict = build_conversation("x", events).verdict
    assert verdict is not None and verdict.numbers is None
    assert verdict.figures == {"outcome": "promoter", "payback_months": None}
    broken = [user("3 jaar", 1), slot("assessment", {"outcome": "odd", "numbers": {"price": "veel"}}, 2)]
    verdict = build_conversation("x", broken).verdict
    assert verdict is not None and verdict.outcome is None and verdict.numbers is None


def test_buttons_only_messages_and_unreadable_events() -> None:
    events = [
        {"event": "weird"},
        bot("", 1, [{"title": "Ja", "payload": "/affirm"}]),
        bot("", 2),  # an empty bot message (e.g. a custom payload) is not shown
        user("/affirm", 3),
        {"event": "user", "timestamp": "not a number", "text": None},
    ]
    c = build_conversation("x", events)
    assert [(m.speaker, m.text) for m in c.messages] == [
        ("bot", ""),
        ("salesperson", "/affirm"),
        ("salesperson", ""),
    ]
    assert c.messages[1].choice == "Ja"
    assert c.channel == "socketio"
    assert c.length == 2


def test_the_widgets_own_opening_is_not_something_the_salesperson_said() -> None:
    events = [user("/greet", 1), bot("Hoi!", 2), user("/greet", 3), bot("Hoi!", 4)]
    c = build_conversation("x", events)
    assert [(m.speaker, m.text) for m in c.messages] == [
        ("bot", "Hoi!"),
        ("salesperson", "/greet"),
        ("bot", "Hoi!"),
    ]
    assert c.length == 1 and c.channel == "socketio"


def test_an_empty_conversation() -> None:
    c = build_conversation("x", [])
    assert c.messages == () and c.verdict is None and c.flags == () and c.length == 0 and c.channel is None


def test_parse_event_data() -> None:
    assert parse_event_data('{"event": "user"}') == {"event": "user"}
    assert parse_event_data("[1]") is None
    assert parse_event_data("{not json") is None
    assert parse_event_data(None) is None


def said_by_bot(response: str, at: float) -> dict[str, Any]:
    return {**bot("…", at), "metadata": {"utter_action": response}}


def test_who_and_what_a_conversation_is_about_and_its_warnings() -> None:
    promoter = build_conversation(PROMOTER, EVENTS[PROMOTER])
    assert (promoter.salesperson, promoter.client, promoter.warnings) == (
        "",
        "schoonmaak voor een ziekenhuis in Utrecht",
        (),
    )
    assert promoter.scenario == "value"
    promise = build_conversation(PROMISE, EVENTS[PROMISE])
    assert (promise.client, promise.scenario) == ("", "promise")
    assert build_conversation(DISSATISFIED, EVENTS[DISSATISFIED]).warnings == ("discount",)
    # restarted: the client worked on last
    assert build_conversation(RESTARTED, EVENTS[RESTARTED]).client == "ICT-beheer voor een gemeente"
    events = [
        user("ik wil oefenen", 1),
        slot("salesperson_name", "ik   heet Fatima", 2),  # the raw text, cleared by the validation
        slot("salesperson_name", None, 3),
        user("Fatima", 4),
        slot("salesperson_name", "Fatima", 5),
        user("2", 6),
        slot("persona", "municipality_tender_buyer", 7),
        user("10% korting als u nu tekent", 8),
        said_by_bot("utter_roleplay_discount_before_value", 9),
        user("waarde bevestigen en prijs noemen", 10),
        said_by_bot("utter_next_step_price_below_threshold", 11),
    ]
    c = build_conversation("oefen", events)
    assert (c.salesperson, c.client, c.scenario) == ("Fatima", "municipality_tender_buyer", "rehearsal")
    assert c.warnings == ("discount", "price_below_threshold")


def test_rehearsal_wording_flags_count_as_coaching_flags() -> None:
    c = build_conversation("oefen", rehearsal_events([scorecard_value("hospital_poor", "Piet")]))
    assert c.flags == () and c.flag_count == 3
    assert (c.salesperson, c.client, c.scenario) == ("Piet", "Ingrid Verbeek", "rehearsal")
