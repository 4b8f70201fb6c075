"""The Flask app: the chat page that carries the widget, and the trainer review pages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template, send_from_directory

from web.review import review
from web.settings import Settings

__all__ = ["create_app"]

# socket.io's browser client, installed by `make web-assets` (npm ci), never fetched at run time
SOCKET_IO_DIST = Path(__file__).parent / "node_modules" / "socket.io-client" / "dist"


def create_app(settings: Settings) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    app.extensions["waardecoach_settings"] = settings

    @app.get("/")
    def chat_page() -> str:
        return render_template("chat.html", rasa_url=settings.rasa_url)

    @app.get("/vendor/socket.io.min.js")
    def socket_io_client():
        return send_from_directory(SOCKET_IO_DIST, "socket.io.min.js", max_age=3600)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    # The trainer review pages; trainer accounts come from settings.trainers.
    app.register_blueprint(review)
    return app
