"""Command line of the web app.

python -m web serve [--host H] [--port P] [--trainer NAME:HASH ...]
python -m web export --format md|csv|json [--id ID ...] [--van YYYY-MM-DD] [--tot YYYY-MM-DD]
                     [--oordeel promotor|tevreden|ontevreden|geen] [--coaching ja|nee] [--tag TAG]
                     [--score-min N] [--score-max N] [--sorteer nieuwste|oudste|score-hoog|score-laag]
                     [--out FILE]
python -m web delete ID [--yes]
python -m web rebuild-summaries
python -m web hash-password
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from collections.abc import Callable
from pathlib import Path

import waitress

from web import listing, store, summaries
from web.app import create_app
from web.auth import Trainer, hash_password, parse_trainers
from web.export import FORMATS, ExportItem
from web.export import export as render
from web.review import FLAGGED_PARAMS, OUTCOME_PARAMS, SORT_PARAMS, filters_from, sort_from
from web.settings import Settings

__all__ = ["main"]


def _trainer(text: str) -> Trainer:
    try:
        (trainer,) = parse_trainers([text])
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return trainer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m web", description="Waardecoach web app")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the chat page and the trainer review pages")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--trainer",
        action="append",
        type=_trainer,
        default=[],
        metavar="NAME:HASH",
        help="a trainer account (repeatable), besides those in WAARDECOACH_TRAINERS",
    )

    export = commands.add_parser("export", help="write conversations as Markdown, CSV or JSON")
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument("--id", action="append", default=[], metavar="ID", help="a conversation (repeatable)")
    export.add_argument("--van", metavar="YYYY-MM-DD", help="started on or after this day (Amsterdam time)")
    export.add_argument("--tot", metavar="YYYY-MM-DD", help="started on or before this day (Amsterdam time)")
    export.add_argument("--oordeel", choices=list(OUTCOME_PARAMS), help="only this verdict")
    export.add_argument(
        "--coaching", choices=list(FLAGGED_PARAMS), help="only with (ja) or without (nee) flags"
    )
    export.add_argument("--tag", help="only conversations with this tag")
    export.add_argument(
        "--score-min", metavar="N", help="only rehearsals whose latest effective score is at least N (0-100)"
    )
    export.add_argument(
        "--score-max", metavar="N", help="only rehearsals whose latest effective score is at most N (0-100)"
    )
    export.add_argument("--sorteer", choices=list(SORT_PARAMS), help="order (default: nieuwste)")
    export.add_argument("--out", type=Path, help="write to this file instead of standard output")

    delete = commands.add_parser(
        "delete", help="delete one conversation with its notes, tags and score overrides"
    )
    delete.add_argument("id", metavar="ID")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    commands.add_parser(
        "rebuild-summaries",
        help="summarise every stored conversation again for the trainer pages (run it on an existing database)",
    )
    commands.add_parser("hash-password", help="ask for a password twice and print its hash")
    return parser


def serve(args: argparse.Namespace) -> None:
    settings = Settings.from_env().with_trainers(args.trainer).listening_on(args.host)
    if not settings.trainers:
        print(
            "No trainer accounts: the review pages stay closed (see `python -m web hash-password`).",
            file=sys.stderr,
        )
    waitress.serve(create_app(settings), host=args.host, port=args.port, threads=8)


def export(args: argparse.Namespace) -> None:
    database = Settings.from_env().database_url
    if args.id:
        conversations = store.load_conversations(database, args.id)
        missing = sorted(set(args.id) - {c.id for c in conversations})
        if missing:
            raise SystemExit(f"no such conversation: {', '.join(missing)}")
    else:
        given = {
            "van": args.van,
            "tot": args.tot,
            "oordeel": args.oordeel,
            "coaching": args.coaching,
            "tag": args.tag,
            "score_min": args.score_min,
            "score_max": args.score_max,
            "sorteer": args.sorteer,
        }
        given = {name: value for name, value in given.items() if value}
        filters, invalid = filters_from(given)
        sort, _ = sort_from(given)
        if invalid:
            options = ", ".join("--" + name.replace("_", "-") for name in invalid)
            raise SystemExit(f"not understood: {options} (dates are YYYY-MM-DD, scores 0 to 100)")
        conversations = listing.listed_conversations(database, filters, sort)
    ids = [c.id for c in conversations]
    notes, tags = store.notes_by_conversation(database, ids), store.tags_by_conversation(database, ids)
    overrides = store.overrides_by_conversation(database, ids)
    result = render(
        [
            ExportItem(c, notes.get(c.id, ()), tags.get(c.id, ()), overrides.get(c.id, ()))
            for c in conversations
        ],
        args.format,
    )
    if args.out is None:
        sys.stdout.write(result.content)
    else:
        args.out.write_text(result.content, encoding="utf-8", newline="")
        print(f"{len(conversations)} conversation(s) written to {args.out}", file=sys.stderr)


def delete(args: argparse.Namespace) -> None:
    database = Settings.from_env().database_url
    if store.load_conversation(database, args.id) is None and not store.list_notes(database, args.id):
        raise SystemExit(f"no such conversation: {args.id}")
    if not args.yes:
        answer = input(
            f"Delete conversation {args.id!r} with its notes, tags and score overrides? This cannot be undone. [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes", "j", "ja"):
            raise SystemExit("nothing deleted")
    events = store.delete_conversation(database, args.id)
    print(
        f"deleted conversation {args.id!r} ({events} events, with its notes, tags and score overrides)",
        file=sys.stderr,
    )


def rebuild_summaries(args: argparse.Namespace) -> None:
    began = time.perf_counter()
    count = summaries.rebuild(Settings.from_env().database_url)
    print(f"summarised {count} conversation(s) in {time.perf_counter() - began:.1f} s", file=sys.stderr)


def hash_password_command(args: argparse.Namespace) -> None:
    password = getpass.getpass("Password: ")
    if not password:
        raise SystemExit("empty password")
    if getpass.getpass("Password again: ") != password:
        raise SystemExit("the passwords differ")
    print(hash_password(password))


COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {
    "serve": serve,
    "export": export,
    "delete": delete,
    "rebuild-summaries": rebuild_summaries,
    "hash-password": hash_password_command,
}


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    COMMANDS[args.command](args)


if __name__ == "__main__":
    main()
