"""Hostile and odd inputs for the REST and socket.io channels, with what each must get back.

``REPLY``: a 200 with at least one Dutch reply; ``(status, code)``: that 4xx with the Dutch text of
``utter_request_<code>``; socket.io has no status, so there every input gets a Dutch reply, except
payloads beyond the transport limit, which engine.io answers by closing the connection (``CLOSED``).
"""

from __future__ import annotations

import json
from typing import Any

REPLY = "reply"
CLOSED = "closed"
KB = 1024


def _message(text: str, sender: str = "SENDER", **extra: Any) -> bytes:
    return json.dumps({"sender": sender, "message": text, **extra}).encode("utf-8")


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# (name, request body, expected); "SENDER" is replaced with a fresh sender id per case.
REST_CASES: list[tuple[str, bytes, object]] = [
    ("empty message", _message(""), REPLY),
    ("whitespace only", _message("   "), REPLY),
    ("newlines and tabs only", _message("\n\t \r\n"), REPLY),
    ("NUL only", _message("\x00\x00"), REPLY),
    ("zero-width spaces only", _message("\u200b\u200b"), REPLY),
    ("10 kB message", _message("a" * 10 * KB), (413, "message_too_long")),
    ("100 kB message", _message("waarde " * (100 * KB // 7)), (413, "message_too_long")),
    ("1 MB message", _message("x" * KB * KB), (413, "message_too_long")),
    ("exactly 2000 characters", _message("b" * 2000), REPLY),
    ("2001 characters", _message("c" * 2001), (413, "message_too_long")),
    ("1999-character word", _message("ziekenhuis" * 199), REPLY),
    ("600 short lines", _message("\n".join(["ja"] * 600)), REPLY),
    ("emoji", _message("😀👍🏽💶🚀"), REPLY),
    ("emoji with amount", _message("💶 12.000 euro per jaar 🎉"), REPLY),
    ("flag and family emoji", _message("🇳🇱 👨‍👩‍👧‍👦"), REPLY),
    ("Arabic (right to left)", _message("مرحبا، كيف حالك؟"), REPLY),
    ("Hebrew (right to left)", _message("שלום עולם"), REPLY),
    ("right-to-left override", _message("\u202eolleh waarde"), REPLY),
    ("NUL inside a word", _message("hal\x00lo"), REPLY),
    ("bell, backspace, escape", _message("\x07\x08\x1b[31mrood\x1b[0m"), REPLY),
    ("C1 control characters", _message("prijs\x85\x9b\x9f"), REPLY),
    ("lone surrogate", b'{"sender": "SENDER", "message": "hallo \\ud800 daar"}', REPLY),
    ("byte order mark", _message("\ufeffhallo"), REPLY),
    ("combining accents", _message("e\u0301" * 500), REPLY),
    ("script tag", _message("<script>alert('x')</script>"), REPLY),
    ("img onerror", _message('<img src=x onerror="alert(1)">'), REPLY),
    ("HTML entities", _message("&lt;b&gt;vet&lt;/b&gt; &amp; &#x3C;"), REPLY),
    ("template syntax", _message("{{7*7}} ${7*7} {slot} %s %n"), REPLY),
    ("SQL drop", _message("'; DROP TABLE events; --"), REPLY),
    ("SQL or", _message("1' OR '1'='1"), REPLY),
    ("SQL union", _message("x UNION SELECT sender_id, data FROM events --"), REPLY),
    ("unknown intent payload", _message("/bestaat_niet"), REPLY),
    ("intent payload with entities", _message('/inform{"amount": "1e999", "x": [1, 2]}'), REPLY),
    ("restart payload with junk", _message("/restart{{{"), REPLY),
    ("broken amount", _message("€ 1.2.3,4,5"), REPLY),
    ("huge number", _message("9" * 400), REPLY),
    ("NaN and Infinity", _message("NaN Infinity -0 1e309"), REPLY),
    ("path traversal text", _message("../../../../etc/passwd"), REPLY),
    ("not JSON", b"{not json", (400, "invalid_json")),
    ("empty body", b"", (400, "invalid_json")),
    ("JSON null", b"null", (400, "invalid_json")),
    ("JSON array", b"[]", (400, "invalid_json")),
    ("JSON string", b'"hallo"', (400, "invalid_json")),
    ("invalid UTF-8", b'{"sender": "SENDER", "message": "\xff\xfe\xc3"}', (400, "invalid_json")),
    ("Latin-1 bytes", '{"sender": "SENDER", "message": "caf\xe9"}'.encode("latin-1"), (400, "invalid_json")),
    (
        "deeply nested JSON",
        ('{"sender": "SENDER", "message": "hoi", "metadata": ' + _nested(100_000) + "}").encode(),
        (400, "invalid_json"),
    ),
    ("missing sender", json.dumps({"message": "hallo"}).encode(), (400, "invalid_sender")),
    ("missing message", json.dumps({"sender": "SENDER"}).encode(), (400, "invalid_message")),
    ("sender null", _message("hallo", sender=None), (400, "invalid_sender")),  # type: ignore[arg-type]
    ("sender number", _message("hallo", sender=123), (400, "invalid_sender")),  # type: ignore[arg-type]
    ("sender list", _message("hallo", sender=["a"]), (400, "invalid_sender")),  # type: ignore[arg-type]
    ("sender empty", _message("hallo", sender=""), (400, "invalid_sender")),
    ("10 kB sender", _message("hallo", sender="s" * 10 * KB), (400, "invalid_sender")),
    ("../ in sender", _message("hallo", sender="../../etc/passwd"), (400, "invalid_sender")),
    ("slash in sender", _message("hallo", sender="a/b"), (400, "invalid_sender")),
    ("NUL in sender", _message("hallo", sender="abc\x00def"), (400, "invalid_sender")),
    ("script in sender", _message("hallo", sender="<script>"), (400, "invalid_sender")),
    ("message null", _message(None), (400, "invalid_message")),  # type: ignore[arg-type]
    ("message number", _message(5), (400, "invalid_message")),  # type: ignore[arg-type]
    ("message object", _message({"text": "hallo"}), (400, "invalid_message")),  # type: ignore[arg-type]
    ("message list", _message(["hallo"]), (400, "invalid_message")),  # type: ignore[arg-type]
    ("message too large a number", b'{"sender": "SENDER", "message": 1e999}', (400, "invalid_message")),
    ("metadata a string", _message("hallo", metadata="geen object"), REPLY),
    ("metadata 100 kB", _message("hallo", metadata={"x": "y" * 100 * KB}), REPLY),
    ("input_channel spoofed", _message("hallo", input_channel="socketio"), REPLY),
    ("duplicate keys", b'{"sender": "x", "sender": "SENDER", "message": "hallo"}', REPLY),
]

# (name, user_uttered payload, expected) for a socket that did its session_request.
SOCKET_CASES: list[tuple[str, Any, str]] = [
    ("empty message", {"message": ""}, REPLY),
    ("whitespace only", {"message": " \n\t "}, REPLY),
    ("NUL only", {"message": "\x00"}, REPLY),
    ("10 kB message", {"message": "a" * 10 * KB}, REPLY),
    ("2001 characters", {"message": "c" * 2001}, REPLY),
    ("emoji", {"message": "😀👍🏽💶"}, REPLY),
    ("right to left", {"message": "مرحبا \u202eolleh"}, REPLY),
    ("NUL and control characters", {"message": "hal\x00lo\x07\x1b[0m"}, REPLY),
    ("lone surrogate", {"message": "hallo \ud800"}, REPLY),
    ("script tag", {"message": "<script>alert(1)</script>"}, REPLY),
    ("SQL drop", {"message": "'; DROP TABLE events; --"}, REPLY),
    ("missing message", {"tekst": "hallo"}, REPLY),
    ("message number", {"message": 42}, REPLY),
    ("message bytes", {"message": b"\xff\xfe"}, REPLY),
    ("payload a string", "hallo", REPLY),
    ("payload null", None, REPLY),
    ("session id in the payload", {"message": "hallo", "session_id": "0" * 32}, REPLY),
    ("metadata not JSON", {"message": "hallo", "customData": "{niet json"}, REPLY),
    ("metadata 100 kB", {"message": "hallo", "customData": {"x": "y" * 50 * KB}}, REPLY),
    ("100 kB message", {"message": "a" * 100 * KB}, CLOSED),
    ("1 MB message", {"message": "x" * KB * KB}, CLOSED),
]

# session_request payloads: every one gets a fresh, valid session id.
SESSION_REQUESTS: list[tuple[str, Any]] = [
    ("no session id", {}),
    ("null", None),
    ("number", {"session_id": 12345}),
    ("path", {"session_id": "../../etc/passwd"}),
    ("10 kB", {"session_id": "f" * 10 * KB}),
    ("upper-case hex", {"session_id": "A" * 32}),
    ("script", {"session_id": "<script>alert(1)</script>"}),
]
