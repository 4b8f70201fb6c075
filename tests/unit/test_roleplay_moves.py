"""Tests for :mod:`bot.roleplay_moves` and the packaged ``bot/roleplay_moves.yml``."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from bot.move_classifier import DEFAULT_CORPUS_DIR, MoveClassifier, load_corpus
from bot.roleplay_moves import (
    DEFAULT_MOVES_PATH,
    METHODS,
    MOVE_IDS,
    Move,
    MoveFileError,
    find_moves,
    load_moves,
    with_classifier,
)
from bot.value_model import Frequency

MOVES = load_moves()


def _ids(text: str) -> list[str]:
    return [move.id for move in find_moves(text, MOVES)]


def _only(text: str, move_id: str) -> Move:
    (move,) = (move for move in find_moves(text, MOVES) if move.id == move_id)
    return move


DETECTED = [
    # value_question
    (
        "Als we samen vaststellen dat wat wij opleveren meer waard is dan wat het kost, zou u dan verder willen?",
        "value_question",
    ),
    (
        "We gaan alleen verder als de waarde voor u groter is dan de prijs. Bent u het daarmee eens?",
        "value_question",
    ),
    ("Vindt u ons de prijs waard?", "value_question"),
    # discovery
    ("Hoe ziet succes er voor u uit?", "ask_success"),
    ("Wanneer bent u over een jaar echt tevreden?", "ask_success"),
    ("Wat is uw belangrijkste doel met deze aanbesteding?", "ask_success"),
    ("Wat kost de huidige lunchvergoeding je per week?", "ask_current_cost"),
    ("Hoeveel bent u nu kwijt aan beheer?", "ask_current_cost"),
    ("Wat zijn uw huidige kosten voor schoonmaak?", "ask_current_cost"),
    ("Waar heeft u het meeste last van?", "ask_pains"),
    ("Hoeveel storingen zijn er per maand?", "ask_pains"),
    ("Wat is uw grootste probleem met de huidige leverancier?", "ask_pains"),
    ("Waarom nu?", "ask_why_now"),
    ("Wat kost het u als u niets verandert?", "ask_why_now"),
    ("Waarom bent u op zoek naar een nieuwe cateraar?", "ask_why_now"),
    ("Wat is uw budget?", "ask_budget"),
    ("Wat is het plafondbedrag in de aanbesteding?", "ask_budget"),
    # name_price, quantify_value
    ("De investering is € 5.200 per maand.", "name_price"),
    ("Wij vragen 330.000 euro per jaar voor het beheer.", "name_price"),
    ("Dat scheelt jullie 600 euro per week aan tijd.", "quantify_value"),
    ("De storingen halveren levert u € 97.500 per jaar op.", "quantify_value"),
    ("U wint 15 uur per week, tegen € 40 per uur.", "quantify_value"),
    # discount
    ("Ik wil u wel 5% korting geven.", "discount"),
    ("Dan doen we er nog 10 procent af.", "discount"),
    ("Voor u kan ik wel een lagere prijs maken.", "discount"),
    ("Ik laat het wel wat zakken.", "discount"),  # only bot.next_steps.mentions_discount reads it
    # options, next_step, promise
    ("We kunnen twee varianten uitwerken.", "options"),
    ("U kunt kiezen tussen alleen de balies of alle werkplekken.", "options"),
    ("Ik stuur u vrijdag voor 12.00 uur het voorstel.", "next_step"),
    ("Wat is een logische volgende stap voor u?", "next_step"),
    ("We beloven dat je per maand kunt opzeggen.", "promise"),
    ("U krijgt binnen 4 uur antwoord op elke melding.", "promise"),
    # control words
    ("time out", "time_out"),
    ("Ik ga even uit mijn rol.", "time_out"),
    ("We gaan verder.", "back_in_role"),
    ("Weer in de rol.", "back_in_role"),
    ("Ik ben klaar.", "finish"),
    ("Stop de oefening.", "finish"),
]

NOT_DETECTED = [
    ("Wat levert het u op als de machine twee dagen minder stilstaat?", "quantify_value"),
    ("Onze waarde zit in de mensen.", "value_question"),
    ("Ons succes zit in de details.", "ask_success"),
    ("Dat kost u nu 310.000 euro per jaar.", "ask_current_cost"),
    ("Dat kost u nu 310.000 euro per jaar.", "name_price"),
    ("Ik heb geen klachten gehoord.", "ask_pains"),
    ("De prijs is scherp.", "name_price"),
    ("We geven u 10% korting.", "name_price"),
    ("Korting geven we niet; wel laten we zien wat het u oplevert.", "discount"),
    ("U zegt dat een concurrent goedkoper is.", "discount"),
    ("De prijs gaat niet omlaag.", "discount"),
    ("Ik laat uw kosten omlaag gaan.", "discount"),
    ("Welke varianten heeft u overwogen?", "options"),
    ("Afspraak is afspraak.", "next_step"),
    ("Dat kan ik niet beloven.", "promise"),
    ("Verder wil ik u nog iets vragen.", "back_in_role"),
    ("Het werk is morgen klaar.", "finish"),
    ("Onze mensen lopen nooit uit de planning.", "time_out"),
]


def test_the_packaged_file_defines_every_move_once() -> None:
    assert [move.id for move in MOVES] == list(MOVE_IDS)
    assert load_moves(DEFAULT_MOVES_PATH) == MOVES


@pytest.mark.parametrize(("text", "move_id"), DETECTED)
def test_detected(text: str, move_id: str) -> None:
    assert move_id in _ids(text)


@pytest.mark.parametrize(("text", "move_id"), NOT_DETECTED)
def test_near_misses_are_not_detected(text: str, move_id: str) -> None:
    assert move_id not in _ids(text)


def test_every_move_has_cases() -> None:
    assert {move_id for _, move_id in DETECTED} == set(MOVE_IDS)


@pytest.mark.parametrize(
    ("text", "good"),
    [
        (
            "Als we samen vaststellen dat wat wij opleveren meer waard is dan wat het kost, zou u dan verder willen?",
            True,
        ),
        ("Vindt u ons de prijs waard?", False),  # no condition, no comparison
        ("Wij zijn meer waard dan we kosten.", False),  # a claim, not a question
    ],
)
def test_value_question_well_asked(text: str, good: bool) -> None:
    assert _only(text, "value_question").good is good


@pytest.mark.parametrize(
    ("text", "move_id", "good"),
    [
        ("Ik bel u donderdag om 10 uur terug.", "next_step", True),
        ("Ik bel u binnenkort terug.", "next_step", False),
        ("Mijn belofte: opzeggen kan per maand met één mail.", "promise", True),
        ("Onze belofte: een klantgerichte, ontzorgende aanpak.", "promise", False),
    ],
)
def test_concrete_or_vague(text: str, move_id: str, good: bool) -> None:
    assert _only(text, move_id).good is good


def test_several_moves_in_one_message_in_order_with_quotes() -> None:
    text = (
        "Ik begrijp het. Wat kost u dat nu per jaar? "
        "Ik leg u drie opties voor, en ik bel u vrijdag om 9 uur terug."
    )
    moves = find_moves(text, MOVES)
    assert [(move.id, move.quote) for move in moves] == [
        ("ask_current_cost", "Wat kost u dat nu per jaar?"),
        ("options", "Ik leg u drie opties voor, en ik bel u vrijdag om 9 uur terug"),
        ("next_step", "Ik leg u drie opties voor, en ik bel u vrijdag om 9 uur terug"),
    ]
    assert [move.start for move in moves] == sorted(move.start for move in moves)
    assert all(move.quote in text for move in moves)


def test_a_move_once_per_sentence_but_in_every_sentence() -> None:
    one = "Wat kost de schoonmaak nu en wat kost het onderhoud nu?"
    assert _ids(one) == ["ask_current_cost"]
    two = "Dat scheelt u € 54.000 per jaar. En de OK-starts leveren u € 48.000 per jaar op."
    lines = [move.line for move in find_moves(two, MOVES)]
    assert [line.amount for line in lines if line] == [Decimal(54000), Decimal(48000)]


def test_price_is_read_with_amount_and_frequency() -> None:
    move = _only(
        "Dat kost u bij ons € 5.200 per maand, en daarvoor krijgt u elke dag verse lunch.", "name_price"
    )
    assert move.quote == "Dat kost u bij ons € 5.200 per maand"
    assert move.line is not None
    assert (move.line.amount, move.line.frequency) == (Decimal(5200), Frequency.MONTH)
    one_off = _only("Wij rekenen eenmalig € 12.000 voor de overstap.", "name_price")
    assert one_off.line is not None and one_off.line.frequency is Frequency.ONE_OFF


def test_price_and_value_in_one_sentence_are_kept_apart() -> None:
    moves = find_moves("Onze prijs is € 430.000 per jaar en dat levert u € 522.000 per jaar op.", MOVES)
    price, value = moves
    assert (price.id, value.id) == ("name_price", "quantify_value")
    assert price.line is not None and price.line.amount == Decimal(430000)
    assert value.line is not None and value.line.amount == Decimal(522000)


# Issue 15's categories (new sentences, not the rehearsals' own): a sum with "à"/"keer" and an
# amount saved are value, not a price; a pains question that asks what it costs is ask_pains;
# going along with a procedure is no discount; vague reassurance is a vague promise.
CATEGORY_CASES = [
    ("Acht storingen per maand à € 1.200 is € 9.600 per maand.", {"quantify_value"}, {"name_price"}),
    ("Dat scheelt de gemeente € 75.000 per jaar.", {"quantify_value"}, {"name_price"}),
    ("Jullie besparen zo € 450 per week aan taxi's.", {"quantify_value"}, {"name_price"}),
    ("Wij rekenen 20 uur à € 50, dat is € 1.000 per week.", {"name_price"}, {"quantify_value"}),
    (
        "Onze prijs is € 300.000 per jaar en u bespaart € 400.000 per jaar.",
        {"name_price", "quantify_value"},
        set(),
    ),
    ("Waar loopt het vast in de planning, en wat kost jullie dat?", {"ask_pains"}, {"ask_current_cost"}),
    ("Wat kost de schoonmaak u nu per jaar?", {"ask_current_cost"}, {"ask_pains"}),
    ("Goed, dan volgen we de aanbestedingsprocedure van de provincie.", set(), {"discount"}),
    ("Dan houden wij ons aan de regels van het bestek.", set(), {"discount"}),
    ("Maak je geen zorgen, wij regelen alles.", {"promise"}, set()),
    ("U kunt altijd op ons rekenen.", {"promise"}, set()),
    ("Hoe kunnen we u het beste ontzorgen?", set(), {"promise"}),
]


@pytest.mark.parametrize(("text", "present", "absent"), CATEGORY_CASES)
def test_issue_15_categories(text: str, present: set[str], absent: set[str]) -> None:
    found = set(_ids(text))
    assert present <= found and not (absent & found), found


def test_vague_reassurance_is_a_vague_promise() -> None:
    assert _only("Wij ontzorgen de school helemaal.", "promise").good is False


def test_a_price_needs_an_amount() -> None:
    assert "name_price" not in _ids("Onze prijs is marktconform.")


def test_a_value_statement_needs_an_amount() -> None:
    assert "quantify_value" not in _ids("Dat bespaart u een hoop gedoe.")


def test_a_discount_is_never_well_done() -> None:
    assert _only("Ik geef u 10% korting.", "discount").good is False


def test_empty_text() -> None:
    assert find_moves("", MOVES) == []
    assert find_moves("   ", MOVES) == []


# -- broken move files --------------------------------------------------------------------


def _packaged() -> dict:
    return yaml.safe_load(DEFAULT_MOVES_PATH.read_text(encoding="utf-8"))


def _error(tmp_path: Path, data: object) -> str:
    path = tmp_path / "moves.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(MoveFileError) as caught:
        load_moves(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    return message


def _move(data: dict, move_id: str) -> dict:
    return next(move for move in data["moves"] if move["id"] == move_id)


def test_missing_move(tmp_path: Path) -> None:
    data = _packaged()
    data["moves"] = [move for move in data["moves"] if move["id"] != "ask_budget"]
    assert "move(s) 'ask_budget' missing" in _error(tmp_path, data)


def test_unknown_move(tmp_path: Path) -> None:
    data = _packaged()
    data["moves"].append({"id": "ask_weather", "patterns": ["weer"]})
    message = _error(tmp_path, data)
    assert "moves[15] (id 'ask_weather')" in message
    assert "unknown move 'ask_weather'" in message


def test_move_twice(tmp_path: Path) -> None:
    data = _packaged()
    data["moves"].append({"id": "finish", "patterns": ["gedaan"]})
    assert "move 'finish' is defined twice" in _error(tmp_path, data)


def test_bad_regex(tmp_path: Path) -> None:
    data = _packaged()
    _move(data, "options")["patterns"] = ["(opties"]
    message = _error(tmp_path, data)
    assert "(id 'options')" in message
    assert "patterns[0] '(opties' is not a valid regex" in message


def test_unknown_key(tmp_path: Path) -> None:
    data = _packaged()
    _move(data, "promise")["good_when"] = ["x"]
    message = _error(tmp_path, data)
    assert "(id 'promise')" in message
    assert "unknown key 'good_when'" in message
    assert "did you mean 'good_if'?" in message


@pytest.mark.parametrize(
    ("key", "example", "failure"),
    [
        ("detected", "Het regent vandaag.", "in examples.detected is not detected"),
        ("not_detected", "Ik leg u drie opties voor.", "in examples.not_detected is detected"),
        ("good", "Ik leg u drie opties voor.", None),
        (
            "not_good",
            "Ik leg u drie opties voor.",
            "in examples.not_good is not detected, or is detected as well done",
        ),
    ],
)
def test_examples_are_checked(tmp_path: Path, key: str, example: str, failure: str | None) -> None:
    data = _packaged()
    _move(data, "options")["examples"] = {key: [example]}
    if failure is None:
        path = tmp_path / "moves.yml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        assert len(load_moves(path)) == len(MOVE_IDS)
        return
    message = _error(tmp_path, data)
    assert "(id 'options')" in message
    assert failure in message


def test_good_if_is_checked_by_examples(tmp_path: Path) -> None:
    data = _packaged()
    _move(data, "value_question")["examples"] = {"good": ["Vindt u ons de prijs waard?"]}
    assert "is not detected as well done" in _error(tmp_path, data)


def test_wrong_version(tmp_path: Path) -> None:
    data = _packaged()
    data["version"] = 2
    assert "'version' must be 1, got 2" in _error(tmp_path, data)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MoveFileError, match="the move file does not exist"):
        load_moves(tmp_path / "missing.yml")


# -- the classifier and the rules together (issue 15) -------------------------------------

QUOTED_DETECTED = [
    ("Zullen we donderdag 12 juni om 14.00 uur met de hygiënecommissie de opties doornemen?", "next_step"),
    ("Ik stel voor dat we elkaar dinsdag om 9 uur weer spreken", "next_step"),
    ("Ik stuur u morgen voor 12.00 uur drie opties met prijzen", "next_step"),
    ("Ik stuur u morgen voor 12.00 uur drie opties met prijzen", "options"),
    ("Zullen we over twee weken op maandagochtend verder praten?", "next_step"),
    ("wat kost u dat?", "ask_current_cost"),
    ("wat heeft u begroot?", "ask_budget"),
    ("hoeveel uur staan mensen stil?", "ask_pains"),
    (
        "Wij doen dit alleen als we samen vaststellen dat de waarde die wij leveren groter is dan de prijs "
        "die wij factureren. Gaat u daarmee akkoord?",
        "value_question",
    ),
    (
        "Elke melding van een OK die niet schoon is heeft binnen 15 minuten een schoonmaker ter plaatse.",
        "promise",
    ),
    ("6 keer 9.000, dus 54.000 per jaar.", "quantify_value"),
]

QUOTED_NOT_DETECTED = [
    ("Ik laat u zien hoe we de 3.000 uur stilstand omlaag brengen.", "discount"),
    ("U betaalt nu 40.000 per jaar.", "quantify_value"),
    ("U betaalt nu 40.000 per jaar.", "name_price"),
    ("wat kost u dat?", "name_price"),
    ("Zullen we donderdag 12 juni om 14.00 uur met de hygiënecommissie de opties doornemen?", "options"),
]


@pytest.mark.parametrize(("text", "move_id"), QUOTED_DETECTED)
def test_the_issues_sentences_are_detected(text: str, move_id: str) -> None:
    assert move_id in _ids(text)


@pytest.mark.parametrize(("text", "move_id"), QUOTED_NOT_DETECTED)
def test_the_issues_near_misses_are_not_detected(text: str, move_id: str) -> None:
    assert move_id not in _ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "Zullen we donderdag 12 juni om 14.00 uur met de hygiënecommissie de opties doornemen?",
        "Ik stel voor dat we elkaar dinsdag om 9 uur weer spreken",
        "Ik stuur u morgen voor 12.00 uur drie opties met prijzen",
        "Zullen we over twee weken op maandagochtend verder praten?",
    ],
)
def test_a_next_step_with_a_date_or_time_is_concrete(text: str) -> None:
    assert _only(text, "next_step").good is True


def test_the_value_question_is_well_asked_with_the_agreement_in_the_next_sentence() -> None:
    text = (
        "Wij doen dit alleen als we samen vaststellen dat de waarde die wij leveren groter is dan de prijs "
        "die wij factureren. Gaat u daarmee akkoord?"
    )
    assert _only(text, "value_question").good is True
    assert "value_question" not in _ids("Gaat u daarmee akkoord?")


def test_the_concrete_promise_is_good() -> None:
    text = "Elke melding van een OK die niet schoon is heeft binnen 15 minuten een schoonmaker ter plaatse."
    assert _only(text, "promise").good is True


def test_a_price_found_by_the_classifier_is_quoted_from_its_clause() -> None:
    move = _only("Goed, voor het gemeentehuis rekenen we € 7.900 per maand.", "name_price")
    assert move.line is not None and move.line.amount == Decimal(7900)
    assert move.quote.endswith("€ 7.900 per maand")


def test_every_move_says_how_it_is_recognised() -> None:
    assert {move.method for move in MOVES} <= set(METHODS)
    assert all(move.classifier is not None for move in MOVES if move.method != "rules")


def test_rules_only_without_a_classifier() -> None:
    rules_only = with_classifier(MOVES, None)
    assert all(move.uses_rules and not move.uses_classifier for move in rules_only)
    assert "ask_budget" in [move.id for move in find_moves("Wat is uw budget?", rules_only)]


def test_unknown_method(tmp_path: Path) -> None:
    data = _packaged()
    _move(data, "options")["method"] = "magic"
    message = _error(tmp_path, data)
    assert "(id 'options')" in message
    assert "'method' must be one of rules, classifier, either, got 'magic'" in message


def test_a_broken_corpus_stops_the_start(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for source in DEFAULT_CORPUS_DIR.glob("*.yml"):
        (corpus / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "finish.yml").unlink()
    data = _packaged()
    data["corpus"] = str(corpus)
    message = _error(tmp_path, data)
    assert "the move corpus cannot be used" in message
    assert "no corpus file for move(s) finish" in message


def test_training_is_fast_and_prediction_cheap() -> None:
    corpus = load_corpus(DEFAULT_CORPUS_DIR, MOVE_IDS)
    start = time.process_time()
    classifier = MoveClassifier.train(corpus, MOVE_IDS)
    assert time.process_time() - start < 2.0
    start = time.process_time()
    for _ in range(20):
        classifier.predict("Zullen we donderdag om 10.00 uur de opties doornemen?")
    assert (time.process_time() - start) / 20 < 0.02
