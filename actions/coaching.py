"""Live coaching on the salesperson's wording, with every flag recorded in a slot.

The rules come from ``bot/coaching_rules.yml``. They are loaded when the action server
imports this module, so a broken rule file stops the server at start-up with an error
that names the file, the rule and the problem.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.coaching import check_wording, load_rules

__all__ = ["RULES", "coach"]

RULES = load_rules()


def coach(text: str, step: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """Flags trust-damaging wording in ``text``; returns the slot update that records it.

    Each flag is shown with the problem and a better Dutch alternative, and added to the
    ``coaching_flags`` slot with the rule, the quoted text, the suggestion and the step
    of the conversation, so trainers can see it later. The flow itself carries on.
    """
    flags = check_wording(text, RULES, value_known=bool(tracker.get_slot("assessment")))
    if not flags:
        return {}
    for flag in flags:
        dispatcher.utter_message(
            response="utter_coaching_flag", quote=flag.quote, problem=flag.problem, suggestion=flag.suggestion
        )
    recorded = [
        {
            "rule": flag.rule_id,
            "quote": flag.quote,
            "problem": flag.problem,
            "suggestion": flag.suggestion,
            "step": step,
        }
        for flag in flags
    ]
    return {"coaching_flags": [*(tracker.get_slot("coaching_flags") or []), *recorded]}
