"""Amounts are not NLU entities: the parser's accuracy on held-out phrases stands in for entity F1."""

from __future__ import annotations

from tests.nlu.amount_accuracy import amount_accuracy

# Issue 5's floor. First measured at 116 of 120 (96,7%), before any change to the parser.
MIN_ACCURACY = 0.90


def test_amount_phrases_are_read_exactly() -> None:
    result = amount_accuracy()
    assert result.total >= 100
    assert result.accuracy >= MIN_ACCURACY, result.misses
