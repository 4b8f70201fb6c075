"""The once-built validator accepts and refuses exactly what Rasa's own check does."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

import rasa_addons  # noqa: F401 (applies the faster check)
from rasa_addons.action_validation import validate_action_result

VALID = [
    {"events": [{"event": "slot", "name": "price", "value": 1}], "responses": [{"response": "utter_x"}]},
    {"events": [], "responses": []},
    {},
]
INVALID = [
    {"events": [{"name": "no event key"}]},
    {"events": "not a list"},
    {"responses": "not a list"},
]


def test_rasa_uses_the_faster_check() -> None:
    assert RemoteAction._validate_action_result is validate_action_result


@pytest.mark.parametrize("result", VALID)
def test_valid_results_pass_as_with_rasa(result: dict) -> None:
    validate(result, RemoteAction.action_response_format_spec())
    assert validate_action_result(RemoteAction("x", None), result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_results_raise_the_same_error_as_rasa(result: dict) -> None:
    with pytest.raises(ValidationError) as rasas:
        validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError, match="Failed to validate Action server response") as ours:
        validate_action_result(RemoteAction("x", None), result)
    assert ours.value.message.startswith(rasas.value.message)
