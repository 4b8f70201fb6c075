"""What the value conversation keeps of a message beyond its figures (the figures: tests/offpath)."""

from __future__ import annotations

import pytest

from bot.value_session import Draft, Step, step


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("ja, ook nog energie: 1.150 per maand", "energie: 1.150 per maand"),
        ("oja trouwens, minder boetes 2k per jaar", "minder boetes 2k per jaar"),
        ("een uur per week minder bij de receptie, die kost 40 per uur", None),  # "een" is no lead-in
    ],
)
def test_a_lines_description_leaves_out_the_lead_in(text, description):
    turn = step(Draft(at=Step.LINE), text)
    assert [line.description for line in turn.draft.pending] == [description or text]
