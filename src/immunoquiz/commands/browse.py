"""`immunoquiz browse` and `immunoquiz flags`: find questions, suspend or flag one, report flags.

`browse` lists the questions matching the search words and filters with the
learner's state of each (new, learning, due, scheduled, suspended), next due
date and FSRS stability; given one question's id it shows that question's
history, or suspends, unsuspends or flags it. `flags` lists flagged questions
with their bank file and line, and `--export FILE` writes them for the educator.
No Textual here. Every value printed went through `printable`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from immunoquiz.banks.model import Bank
from immunoquiz.commands.filters import CommaList, add_filter_options, filters_from_args
from immunoquiz.commands.opening import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    err,
    open_profile,
    report_store_problems,
)
from immunoquiz.records import replace
from immunoquiz.store import Profile, ReviewRow, Store, StoreError
from immunoquiz.study import Card
from immunoquiz.study.browse import (
    STATES,
    Entry,
    FlaggedQuestion,
    Query,
    entries,
    find,
    flag_for,
    flagged,
    history,
)
from immunoquiz.terminal import printable

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
WIDTH = 78  # a question's text is cut to this in the list


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = subparsers.add_parser(
        "browse",
        parents=[common],
        help="search questions; see one's history; suspend, unsuspend or flag it",
        description="List the questions matching --search and the filters, with your state "
        "of each (new, learning, due, scheduled, suspended), next due date and stability. "
        "Give a question's ID (as listed, bank/item) to see its history, or to act on it.",
        epilog="examples:\n"
        "  immunoquiz browse --search keynote --state due\n"
        "  immunoquiz browse tnbc/keynote355-results --suspend\n"
        '  immunoquiz browse tnbc/keynote355-results --flag "option C is also right"\n'
        "  immunoquiz flags --export flags.md",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("id", nargs="?", metavar="ID", help="one question's id, bank/item")
    add_filter_options(p)
    # the shared filter options may offer --search already (practice's); else browse adds it
    if not any("--search" in a.option_strings for a in p._actions):
        p.add_argument(
            "--search", default="", metavar="TEXT",
            help="words that must all appear in the question (any case)",
        )  # fmt: skip
    p.add_argument(
        "--state", action=CommaList, default=[], allowed=STATES, metavar="STATE",
        help="your state of it: " + ", ".join(STATES),
    )  # fmt: skip
    act = p.add_mutually_exclusive_group()
    act.add_argument("--suspend", action="store_true", help="never ask ID until unsuspended")
    act.add_argument(
        "--unsuspend", action="store_true", help="ask ID again, on the schedule it had"
    )
    act.add_argument(
        "--flag", metavar="NOTE", help="report a problem with ID (a short note for the educator)"
    )
    act.add_argument("--unflag", action="store_true", help="withdraw your flag on ID")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=run_browse)

    f = subparsers.add_parser(
        "flags",
        parents=[common],
        help="list the questions you flagged; --export writes them for your educator",
        description="List the questions you flagged, with the bank file, the item's line "
        "and your note. --export FILE writes the list for the educator who keeps the bank: "
        "JSON when FILE ends in .json, otherwise Markdown (readable as plain text).",
    )
    f.add_argument("--json", action="store_true", help="print JSON instead of text")
    f.add_argument("--export", metavar="FILE", help="write the list to FILE")
    f.set_defaults(func=run_flags)


# -- browse ---------------------------------------------------------------------------


def _day(when: datetime | None) -> str:
    return "-" if when is None else f"{when.astimezone():%Y-%m-%d %H:%M}"


def _stability(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} d"


def _entry_json(e: Entry) -> dict[str, Any]:
    return {
        "id": e.card.card_id,
        "bank": e.card.bank.id,
        "question": e.card.item.stem,
        "state": e.state,
        "next_due": e.due.isoformat() if e.due else None,
        "stability": e.stability,
        "flag": {"note": e.flag.note, "flagged": e.flag.ts.isoformat()} if e.flag else None,
    }


def _entry_lines(e: Entry) -> list[str]:
    flag = "  flagged" if e.flag else ""
    question = printable(" ".join(e.card.item.stem.split()))
    if len(question) > WIDTH - 4:
        question = question[: WIDTH - 5] + "…"
    schedule = f"  next due {_day(e.due)}  stability {_stability(e.stability)}" if e.due else ""
    return [f"{printable(e.card.card_id)}  {e.state}{schedule}{flag}", f"    {question}"]


def _dump(value: object) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False, allow_nan=False)
    sys.stdout.write("\n")


def run_browse(args: argparse.Namespace) -> int:
    acting = args.suspend or args.unsuspend or args.unflag or args.flag is not None
    if acting and not args.id:
        err("--suspend, --unsuspend, --flag and --unflag need a question's ID")
        return EXIT_USAGE
    opened = open_profile(args)
    if isinstance(opened, int):
        return opened
    now, banks, store, profile = opened
    with store:
        try:
            if args.id:
                return _one(args, store, profile, banks, now)
            query = Query(filters_from_args(args), frozenset(args.state), args.search)
            found = entries(store, profile, banks, now, query)
        except StoreError as exc:
            err(str(exc))
            return EXIT_INVALID
        report_store_problems(store)
    if args.json:
        _dump([_entry_json(e) for e in found])
        return EXIT_OK
    total = sum(len(b.questions) for b in banks)
    print(f"{len(found)} of {total} questions match")
    for e in found:
        print("\n".join(_entry_lines(e)))
    return EXIT_OK


def _one(
    args: argparse.Namespace, store: Store, profile: Profile, banks: list[Bank], now: datetime
) -> int:
    """Show or act on one question; a one-line error for an unknown id."""
    card = find(banks, args.id)
    if card is None:
        err(
            f"no question with id {args.id!r} in the loaded banks "
            "(ids are bank/item, as `immunoquiz browse --search WORDS` lists them)"
        )
        return EXIT_INVALID
    name = printable(card.card_id)
    if args.suspend:
        done = store.suspend(profile, card.card_id, now)
        print(f"Suspended {name}." if done else f"{name} was already suspended.")
        return EXIT_OK
    if args.unsuspend:
        done = store.unsuspend(profile, card.card_id)
        print(f"Unsuspended {name}: it comes back on its schedule." if done
              else f"{name} was not suspended.")  # fmt: skip
        return EXIT_OK
    if args.unflag:
        done = store.unflag(profile, card.card_id)
        print(f"Removed your flag on {name}." if done else f"{name} was not flagged.")
        return EXIT_OK
    if args.flag is not None:
        try:
            store.flag(profile, flag_for(card, args.flag, now))
        except ValueError as exc:
            err(f"--flag: {exc}")
            return EXIT_INVALID
        print(
            f"Flagged {name}. `immunoquiz flags --export FILE` writes your flags for the educator."
        )
        return EXIT_OK
    entry = entries(store, profile, [_only(card)], now)[0]
    log = history(store, profile, card.card_id)
    if args.json:
        _dump({**_entry_json(entry), "history": [_review_json(r) for r in log]})
        return EXIT_OK
    print("\n".join(_entry_lines(entry)))
    if entry.flag:
        print(f"Flagged: {printable(entry.flag.note)}")
    print("History:" if log else "History: no answers yet")
    for r in log:
        rating = RATINGS.get(r.rating or 0, "-")
        print(f"  {_day(r.ts)}  {r.mode:<8} {r.points:g}/{r.max:g}  {rating}")
    return EXIT_OK


def _only(card: Card) -> Bank:
    """The card's bank holding only the card (for the entry of one question)."""
    return replace(card.bank, questions=(card.item,))


def _review_json(r: ReviewRow) -> dict[str, Any]:
    return {
        "date": r.ts.isoformat(),
        "mode": r.mode,
        "points": r.points,
        "max": r.max,
        "rating": RATINGS.get(r.rating) if r.rating else None,
    }


# -- flags ----------------------------------------------------------------------------


def _flag_json(f: FlaggedQuestion) -> dict[str, Any]:
    return {
        "id": f.flag.card_id,
        "bank_file": f.bank_file,
        "line": f.line,
        "question": f.question or None,
        "note": f.flag.note,
        "flagged": f.flag.ts.isoformat(),
        "bank_hash": f.flag.bank_hash,
        "in_loaded_banks": f.card is not None,
    }


def _where(f: FlaggedQuestion) -> str:
    place = f.bank_file or "bank file unknown"
    place += f":{f.line}" if f.line else ""
    return printable(place) + ("" if f.card else " (no longer in the loaded banks)")


def markdown(profile: str, flags: list[FlaggedQuestion], now: datetime) -> str:
    """The export an educator reads: one section per flagged question."""
    lines = [
        f"# Questions flagged by {printable(profile)}",
        "",
        f"Exported {now.astimezone():%Y-%m-%d %H:%M %Z} from immunoquiz. "
        "Each entry names the bank file and the item's line, then the trainee's note.",
    ]
    for n, f in enumerate(flags, 1):
        lines += [
            "",
            f"## {n}. {printable(f.flag.card_id)}",
            "",
            f"- Where: {_where(f)}",
            f"- Question: {printable(f.question) or '(not loaded)'}",
            f"- Flagged: {_day(f.flag.ts)}",
            f"- Note: {printable(f.flag.note)}",
        ]
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    """Atomically: a unique temp file in the same folder, renamed over `path`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_flags(args: argparse.Namespace) -> int:
    opened = open_profile(args)
    if isinstance(opened, int):
        return opened
    now, banks, store, profile = opened
    with store:
        found = flagged(store, profile, banks)
        report_store_problems(store)
    document = {
        "format": "immunoquiz-flags",
        "version": 1,
        "profile": profile.name,
        "exported": now.isoformat(),
        "flags": [_flag_json(f) for f in found],
    }
    if args.export:
        path = Path(args.export)
        if path.suffix.lower() == ".json":
            text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        else:
            text = markdown(profile.name, found, now)
        try:
            _write(path, text)
        except OSError as exc:
            err(f"{args.export}: cannot write the export ({exc.strerror or exc})")
            return EXIT_INVALID
        print(f"Wrote {len(found)} flagged question(s) to {printable(args.export)}.")
        return EXIT_OK
    if args.json:
        _dump(document)
        return EXIT_OK
    if not found:
        print(
            "No flagged questions. Flag one in Browse (f) or with immunoquiz browse ID --flag NOTE."
        )
        return EXIT_OK
    for f in found:
        print(f"{printable(f.flag.card_id)}  {_where(f)}")
        if f.question:
            print(f"    {printable(f.question)}")
        print(f"    Note ({_day(f.flag.ts)}): {printable(f.flag.note)}")
    return EXIT_OK
