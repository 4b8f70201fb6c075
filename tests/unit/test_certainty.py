"""Tests for :mod:`bot.certainty`."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.certainty import Certainty, CertaintyLevel, parse_certainty

C, L, D, G = (
    CertaintyLevel.CERTAIN,
    CertaintyLevel.LIKELY,
    CertaintyLevel.DOUBTFUL,
    CertaintyLevel.GUESS,
)


@pytest.mark.parametrize(
    ("level", "weight"),
    [(C, "1.00"), (L, "0.75"), (D, "0.50"), (G, "0.25")],
)
def test_level_weights(level: CertaintyLevel, weight: str) -> None:
    assert level.weight == Decimal(weight)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("zeker", C),
        ("Heel zeker", C),
        ("ja, dat is zeker", C),
        ("hard", C),
        ("dat is een harde besparing", C),
        ("het staat in de begroting", C),
        ("gemeten", C),
        ("we hebben het gemeten vorig jaar", C),
        ("zeker weten", C),
        ("daar is geen twijfel over", C),
        ("ik weet het zeker", C),
        ("waarschijnlijk", L),
        ("redelijk zeker", L),
        ("Vrij zeker", L),
        ("grotendeels", L),
        ("bijna zeker", L),
        ("ik twijfel", D),
        ("twijfelachtig", D),
        ("misschien", D),
        ("ongeveer de helft", D),
        ("50/50", D),
        ("50 / 50", D),
        ("fifty-fifty", D),
        ("fifty fifty", D),
        ("niet helemaal zeker", D),
        ("niet 100% zeker", D),
        ("onzeker", G),
        ("een gok", G),
        ("gokje", G),
        ("geen idee", G),
        ("weet niet", G),
        ("weet ik niet", G),
        ("dat weet ik nog niet", G),
        ("schatting", G),
        ("een ruwe schatting", G),
        ("nauwelijks", G),
        ("niet zeker", G),
        ("ik weet het niet zeker", G),
        ("helemaal niet zeker", G),
        ("waarschijnlijk niet", G),
        ("natte vinger werk", G),
        # several levels: the most cautious wins
        ("waarschijnlijk, maar het blijft een gok", G),
        ("redelijk zeker, maar het is een schatting", G),
        ("zeker, hoewel misschien iets minder", D),
    ],
)
def test_levels(text: str, level: CertaintyLevel) -> None:
    assert parse_certainty(text) == Certainty(level=level, weight=level.weight)


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("80%", "0.8"),
        ("80 %", "0.8"),
        ("voor 80 procent", "0.8"),
        ("80 procent zeker", "0.8"),
        ("ik ben er voor 90% zeker van", "0.9"),
        ("100%", "1"),
        ("0%", "0"),
        ("62,5%", "0.625"),
        ("tachtig procent", "0.8"),
        ("niet 100% zeker, ik denk 80%", "0.8"),
        ("0,8", "0.8"),
        ("0.75", "0.75"),
        ("1,0", "1"),
        ("80", "0.8"),
    ],
)
def test_percentages(text: str, weight: str) -> None:
    result = parse_certainty(text)
    assert result is not None
    assert result.level is None
    assert result.weight == Decimal(weight)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "150%", "200 procent", "1,5", "250", "de vergadering", "blauw"],
)
def test_unrecognisable(text: str) -> None:
    assert parse_certainty(text) is None


def test_weight_is_a_decimal() -> None:
    result = parse_certainty("75%")
    assert result is not None and isinstance(result.weight, Decimal)


def test_certainty_rejects_weight_outside_0_1() -> None:
    with pytest.raises(ValueError):
        Certainty(level=None, weight=Decimal("1.5"))
