"""The action server reads the domain from domain.yml when Rasa does not send it."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import yaml
from rasa_sdk import Action
from rasa_sdk.executor import ActionExecutor

import actions.domain_file  # noqa: F401  (the patch, as the action server imports it)
from actions.domain_file import DOMAIN, domain_file


class _Recorder(Action):
    seen: ClassVar[list[dict[str, Any]]] = []

    def name(self) -> str:
        return "action_record_domain"

    def run(self, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
        self.seen.append(domain)
        return []


def _call(**extra: Any) -> dict[str, Any]:
    return {
        "next_action": "action_record_domain",
        "sender_id": "test",
        "tracker": {"sender_id": "test", "slots": {}, "latest_message": {}, "events": [], "paused": False},
        **extra,
    }


def test_the_domain_file_is_the_one_rasa_is_trained_with():
    assert domain_file() == yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))
    assert "utter_ask_next_step" in domain_file()["responses"]


def test_a_call_without_a_domain_runs_with_the_domain_file_and_a_sent_domain_is_kept():
    executor = ActionExecutor()
    executor.register_action(_Recorder)
    _Recorder.seen.clear()
    asyncio.run(executor.run(_call()))
    asyncio.run(executor.run(_call(domain={"responses": {}})))
    assert _Recorder.seen == [domain_file(), {"responses": {}}]
