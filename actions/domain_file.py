"""The domain for actions that Rasa no longer sends with every call.

With ``enable_selective_domain: true`` in endpoints.yml, Rasa leaves the domain (about 85 kB of
JSON: every response) out of each request to the action server. Encoding it took about a tenth of
Rasa's CPU time per message and decoding it about a quarter of the action server's (py-spy, see
docs/benchmarks.md). The actions read the responses, slots and forms from the same domain.yml the
model was trained with, loaded once here; a request that does carry a domain keeps it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk.executor import ActionExecutor

__all__ = ["domain_file"]

DOMAIN = Path(__file__).resolve().parents[1] / "domain.yml"


@cache
def domain_file() -> dict[str, Any]:
    """domain.yml as the actions read it."""
    return dict(yaml.safe_load(DOMAIN.read_text(encoding="utf-8")))


_run = ActionExecutor.run


async def _run_with_domain(self: ActionExecutor, action_call: dict[str, Any]) -> dict[str, Any] | None:
    if not action_call.get("domain"):
        action_call = {**action_call, "domain": domain_file()}
    return await _run(self, action_call)


ActionExecutor.run = _run_with_domain  # type: ignore[method-assign]
