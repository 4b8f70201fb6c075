"""The Flask app: the chat page that carries the widget, and the trainer review pages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, make_response, render_template, request, send_from_directory
from werkzeug.middleware.proxy_fix import ProxyFix

from web.login_throttle import LoginThrottle
from web.review import review
from web.settings import Settings

__all__ = ["create_app"]

# Browsers that reached the app over HTTPS keep to HTTPS for a year (not other subdomains).
HSTS = "max-age=31536000"

# socket.io's browser client, installed by `make web-assets` (npm ci), never fetched at run time
SOCKET_IO_DIST = Path(__file__).parent / "node_modules" / "socket.io-client" / "dist"


def chat_page_policy(rasa_url: str) -> str:
    """The chat page runs only its own scripts and styles and talks only to Rasa."""
    websocket = "ws" + rasa_url.removeprefix("http")  # http -> ws, https -> wss
    return (
        f"default-src 'self'; connect-src 'self' {rasa_url} {websocket}; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


def create_app(settings: Settings) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.cookies_secure,
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    if settings.trusted_proxies:
        # The client's address and scheme as the proxies in front saw them (login throttling, HSTS).
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies
        )
    app.extensions["waardecoach_settings"] = settings
    app.extensions["waardecoach_login_throttle"] = LoginThrottle(settings.login_limits)

    @app.after_request
    def strict_transport_security(response: Response) -> Response:
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = HSTS
        return response

    @app.get("/")
    def chat_page() -> Response:
        page = make_response(render_template("chat.html", rasa_url=settings.rasa_url))
        page.headers["Content-Security-Policy"] = chat_page_policy(settings.rasa_url)
        return page

    @app.get("/vendor/socket.io.min.js")
    def socket_io_client():
        return send_from_directory(SOCKET_IO_DIST, "socket.io.min.js", max_age=3600)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    # The trainer review pages; trainer accounts come from settings.trainers.
    app.register_blueprint(review)
    return app
