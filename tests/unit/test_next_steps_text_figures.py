"""Next steps, text cleaning and the Dutch figures of an assessment."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.figures import assessment_figures, assessment_numbers, option_texts, ratio_from_slot
from bot.next_steps import (
    NextStep,
    Refusal,
    check_next_step,
    is_below_threshold,
    mentions_discount,
    moment_of,
    parse_next_step,
    read_next_step,
    step_label_key,
)
from bot.options import asks_for_questions, discovery_questions, option_figures, target_ratio
from bot.text import clean_text
from bot.value_model import DISSATISFIED_BELOW, PROMOTER_FROM, Category, Frequency, Price, ValueLine, assess


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("waarde bevestigen en prijs noemen", NextStep.CONFIRM_PRICE),
        ("ik noem de prijs met vertrouwen", NextStep.CONFIRM_PRICE),
        ("meer waarde zoeken", NextStep.RAISE_VALUE),
        ("ik ga doorvragen naar wat succes is", NextStep.RAISE_VALUE),
        ("drie opties bieden", NextStep.THREE_OPTIONS),
        ("een variant met minder scope", NextStep.THREE_OPTIONS),
        ("laten zien waarom het budget te laag is", NextStep.EXPLAIN_BUDGET),
        ("afsluiten", NextStep.CONFIRM_PRICE),
        ("ik ga de prijs gewoon noemen", NextStep.CONFIRM_PRICE),
        ("toch liever drie opties", NextStep.THREE_OPTIONS),
        ("nee, doe maar meer waarde zoeken", NextStep.RAISE_VALUE),
        ("toch niet de prijs noemen, liever drie opties", NextStep.THREE_OPTIONS),
        ("niet de prijs noemen maar meer waarde zoeken", NextStep.RAISE_VALUE),
        ("geen opties, ik ga meer waarde zoeken", NextStep.RAISE_VALUE),
        ("meer waarde zoeken in plaats van de prijs noemen", NextStep.RAISE_VALUE),
        ("in plaats van meer waarde zoeken doe ik toch drie opties", NextStep.THREE_OPTIONS),
        ("eerst meer waarde zoeken, dan de opties", NextStep.THREE_OPTIONS),
        ("geen idee", None),
        ("", None),
    ],
)
def test_next_step(text, step):
    assert parse_next_step(text) is step


@pytest.mark.parametrize(
    ("text", "discount"),
    [
        ("ik geef 10% korting", True),
        ("we worden gewoon goedkoper", True),
        ("ik laat de prijs zakken", True),
        ("drie opties bieden", False),
        ("waarde bevestigen", False),
    ],
)
def test_discount(text, discount):
    assert mentions_discount(text) is discount


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("  schoonmaak\t\tvoor\neen ziekenhuis  ", "schoonmaak voor een ziekenhuis"),
        ("a\x00b\x07c", "abc"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        (None, ""),
        ("", ""),
    ],
)
def test_clean_text(text, clean):
    assert clean_text(text) == clean


def test_figures_are_dutch_formatted():
    line = ValueLine("x", Decimal(40000), Frequency.ONE_OFF, Category.OTHER)
    figures = assessment_figures(assess([line], Price(Decimal(25000), Decimal(0), 1)))
    assert figures["value_expected"] == "€ 40.000,00"
    assert figures["price"] == "€ 25.000,00"
    assert figures["surplus"] == "€ 15.000,00"
    assert figures["ratio"] == "1,6"
    assert figures["outcome"] == "promoter"
    assert figures["payback_months"] == 0


def test_numbers_are_plain_decimal_strings():
    line = ValueLine("x", Decimal(40000), Frequency.ONE_OFF, Category.OTHER)
    numbers = assessment_numbers(assess([line], Price(Decimal(25000), Decimal(0), 1)))
    assert Decimal(numbers["value_expected"]) == 40000 and Decimal(numbers["price"]) == 25000
    assert Decimal(numbers["surplus"]) == 15000 and Decimal(numbers["ratio"]) == Decimal("1.6")


def test_numbers_without_a_price_have_no_ratio():
    line = ValueLine("x", Decimal(100), Frequency.ONE_OFF, Category.OTHER)
    assert assessment_numbers(assess([line], Price(Decimal(0), Decimal(0), 1)))["ratio"] is None


@pytest.mark.parametrize(
    ("text", "step", "changes_mind", "wants_other"),
    [
        ("drie opties bieden", NextStep.THREE_OPTIONS, False, False),
        ("toch liever drie opties", NextStep.THREE_OPTIONS, True, False),
        ("nee, doe maar meer waarde zoeken", NextStep.RAISE_VALUE, True, False),
        ("eigenlijk wil ik het budget onderbouwen", NextStep.EXPLAIN_BUDGET, True, False),
        ("ik wil een andere stap", None, True, True),
        ("kan ik mijn stap nog wijzigen?", None, True, True),
        ("donderdag om 10 uur", None, False, False),
        ("volgende week", None, False, False),
    ],
)
def test_read_next_step_reads_changes_of_mind(text, step, changes_mind, wants_other):
    answer = read_next_step(text)
    assert (answer.step, answer.changes_mind, answer.wants_other) == (step, changes_mind, wants_other)


def test_read_next_step_reads_a_discount():
    assert read_next_step("toch maar 10% korting").discount
    assert not read_next_step("toch liever drie opties").discount


@pytest.mark.parametrize(
    ("ratio", "below"),
    [
        (Decimal("0.57"), True),
        (Decimal("0.9499"), True),
        (Decimal("0.95"), False),
        (Decimal("1.3"), False),
        (None, False),
    ],
)
def test_threshold(ratio, below):
    assert is_below_threshold(ratio) is below


def test_naming_the_price_below_the_threshold_is_refused_until_warned():
    refused = check_next_step(NextStep.CONFIRM_PRICE, Decimal("0.57"))
    assert not refused.accepted
    assert refused.refusal is Refusal.PRICE_BELOW_THRESHOLD
    assert refused.alternatives == (NextStep.RAISE_VALUE, NextStep.THREE_OPTIONS, NextStep.EXPLAIN_BUDGET)
    deliberate = check_next_step(NextStep.CONFIRM_PRICE, Decimal("0.57"), warned=True)
    assert deliberate.accepted and deliberate.against_advice and deliberate.refusal is None


@pytest.mark.parametrize("step", [NextStep.RAISE_VALUE, NextStep.THREE_OPTIONS, NextStep.EXPLAIN_BUDGET])
def test_the_alternatives_are_always_accepted(step):
    check = check_next_step(step, Decimal("0.3"))
    assert check.accepted and not check.against_advice


@pytest.mark.parametrize("ratio", [Decimal("0.95"), Decimal("1.1"), Decimal("2"), None])
def test_naming_the_price_at_or_above_the_threshold(ratio):
    check = check_next_step(NextStep.CONFIRM_PRICE, ratio)
    assert check.accepted and not check.against_advice


@pytest.mark.parametrize(
    ("step", "ratio", "key"),
    [
        (NextStep.CONFIRM_PRICE, Decimal("0.57"), "confirm_price_below"),
        (NextStep.CONFIRM_PRICE, Decimal("1.3"), "confirm_price"),
        (NextStep.CONFIRM_PRICE, None, "confirm_price"),
        (NextStep.RAISE_VALUE, Decimal("0.57"), "raise_value"),
    ],
)
def test_summary_label_never_contradicts_the_verdict(step, ratio, key):
    assert step_label_key(step, ratio) == key


# Expected value over 3 years: 3 x 12.000 + 0,5 x 5.000 = 38.500; full value 41.000.
# Price: 10.000 + 3 x 20.000 = 70.000; ratio 0,55.
LOW_LINES = [
    ValueLine("schoonmaak", Decimal(12000), Frequency.YEAR, Category.COST_SAVING),
    ValueLine("inwerken", Decimal(5000), Frequency.ONE_OFF, Category.COST_SAVING, Decimal("0.5")),
]
LOW_PRICE = Price(Decimal(10000), Decimal(20000), 3)


def test_option_figures_below_the_threshold():
    assessment = assess(LOW_LINES, LOW_PRICE)
    assert target_ratio(assessment) == DISSATISFIED_BELOW
    figures = option_figures(assessment)
    assert figures.gap == Decimal("31500.00")
    assert figures.value_needed == Decimal("66500.00")
    assert figures.extra_value == Decimal("28000.00")
    assert figures.extra_value_per_year == Decimal("9333.34")  # rounded up: always enough
    assert figures.max_price == Decimal("40526.31")  # 38.500 / 0,95, rounded down: always passes
    assert figures.price_cut == Decimal("29473.69")
    assert figures.max_price_per_year == Decimal("10175.43")  # (40.526,31 - 10.000) / 3
    assert figures.problem_cost == Decimal("41000.00")
    assert figures.uncertain_value == Decimal("2500.00")
    assert not figures.problem_covers_price and not figures.passes
    # The ceilings do pass the threshold.
    smaller = assess(LOW_LINES, Price(Decimal(10000), figures.max_price_per_year, 3))
    assert smaller.ratio >= DISSATISFIED_BELOW
    richer = ValueLine("extra", figures.extra_value_per_year, Frequency.YEAR, Category.OTHER)
    assert assess([*LOW_LINES, richer], LOW_PRICE).ratio >= DISSATISFIED_BELOW


def test_option_figures_when_the_one_off_part_alone_is_too_high():
    assessment = assess(LOW_LINES, Price(Decimal(50000), Decimal(10000), 3))
    figures = option_figures(assessment)
    assert figures.max_price == Decimal("40526.31")
    assert figures.max_price_per_year is None


def test_option_figures_with_a_discount_rate_still_pass():
    assessment = assess(LOW_LINES, LOW_PRICE, Decimal("0.05"))
    figures = option_figures(assessment)
    smaller = assess(LOW_LINES, Price(Decimal(10000), figures.max_price_per_year, 3), Decimal("0.05"))
    assert DISSATISFIED_BELOW <= smaller.ratio < Decimal("0.9501")


def test_option_figures_for_a_promoter_target():
    lines = [ValueLine("x", Decimal(12000), Frequency.YEAR, Category.COST_SAVING, Decimal("0.75"))]
    assessment = assess(lines, Price(Decimal(0), Decimal(8000), 1))  # ratio 1,125: satisfied
    assert target_ratio(assessment) == PROMOTER_FROM
    figures = option_figures(assessment, PROMOTER_FROM)
    assert figures.gap == 0 and figures.extra_value == Decimal("600.00")
    assert figures.max_price == Decimal("7500.00") and figures.max_price_per_year == Decimal("7500.00")
    assert figures.problem_covers_price  # 12.000 if it all comes true, 9.600 needed


def test_no_target_for_a_promoter():
    assert target_ratio(assess(LOW_LINES, Price(Decimal(0), Decimal(1000), 1))) is None


def test_option_texts_are_dutch_formatted():
    texts = option_texts(option_figures(assess(LOW_LINES, LOW_PRICE)))
    assert texts["target_ratio"] == "0,95"
    assert texts["gap"] == "€ 31.500,00"
    assert texts["max_price"] == "€ 40.526,31"
    assert texts["max_price_per_year"] == "€ 10.175,43"
    assert texts["extra_value_per_year"] == "€ 9.333,34"


def test_discovery_questions_start_with_the_doubtful_lines_and_missing_kinds():
    keys = [question.key for question in discovery_questions(LOW_LINES)]
    assert keys == [
        "doubtful_line",
        "missing_extra_revenue",
        "missing_risk_reduction",
        "success",
        "cost_now",
        "why_now",
        "who_else",
    ]
    assert discovery_questions(LOW_LINES)[0].line == LOW_LINES[1]
    assert [question.key for question in discovery_questions([])][:2] == [
        "missing_extra_revenue",
        "missing_risk_reduction",
    ]


@pytest.mark.parametrize(
    ("slot", "ratio"),
    [
        ({"numbers": {"ratio": "0.55"}}, Decimal("0.55")),
        ({"numbers": {"ratio": None}}, None),
        ({"ratio": "0,55"}, None),
        (None, None),
        ({"numbers": {"ratio": "abc"}}, None),
    ],
)
def test_ratio_from_slot(slot, ratio):
    assert ratio_from_slot(slot) == ratio


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("wat moet ik hem dan vragen?", True),
        ("welke vragen kan ik stellen?", True),
        ("hoe vraag ik door op de waarde?", True),
        ("geef me wat ontdekkingsvragen", True),
        ("heb je voorbeeldvragen?", True),
        ("ik weet niet wat ik moet vragen", True),
        ("welke ontdekkingsvragen raad je aan?", True),
        ("meer waarde zoeken", False),
        ("ik ga doorvragen naar wat succes is", False),
        ("ik ga vragen wat het ze nu kost", False),
        ("donderdag om 10 uur", False),
        ("drie opties bieden", False),
    ],
)
def test_asks_for_questions(text, asks):
    assert asks_for_questions(text) is asks


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("toch liever drie opties, donderdag om 10.00 uur", "donderdag om 10.00 uur"),
        ("nee, doe maar meer waarde zoeken, dinsdag om 9 uur", "dinsdag om 9 uur"),
        ("budget onderbouwen en morgen voor 12.00 uur", "morgen voor 12.00 uur"),
        ("donderdag om 10 uur bespreek ik de opties", "donderdag om 10 uur bespreek ik de opties"),
        ("dinsdag om 9 uur", "dinsdag om 9 uur"),
    ],
)
def test_moment_of(text, moment):
    assert moment_of(text) == moment
