"""Command line of the web app: `python -m web serve`."""

from __future__ import annotations

import argparse

import waitress

from web.app import create_app
from web.settings import Settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m web", description="Waardecoach web app")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the chat page and the trainer review page")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if args.command == "serve":
        waitress.serve(create_app(Settings.from_env()), host=args.host, port=args.port, threads=8)


if __name__ == "__main__":
    main()
