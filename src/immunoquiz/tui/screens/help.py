"""Every key of every screen, in one scrollable list."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from immunoquiz.tui.text import join
from immunoquiz.tui.widgets.hanging import Hanging

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "How it works",
        (
            (
                "spacing",
                "Each question comes back just before you would forget it: a miss in a few "
                "minutes (still in this session), a sure answer in days, then weeks.",
            ),
            (
                "ratings",
                "Full credit counts as Good; press h if you were unsure (Hard, sooner) or e "
                "if it was easy (later). Anything less than full credit comes back soon.",
            ),
            (
                "+/- scoring",
                "Select-all items: +1 for each right pick, -1 for each wrong pick, never below "
                "0. Partial credit shows the points and the rule used.",
            ),
            (
                "mastery",
                "Your predicted chance of recalling an item today, averaged over all items "
                "(items never studied count 0).",
            ),
            ("accuracy", "Statistics: the share of answers that earned full credit."),
        ),
    ),
    (
        "Everywhere",
        (
            ("?  F1", "this help"),
            ("q", "quit (your answers are already saved)"),
            ("ctrl+p", "command palette: study, practise, browse, statistics, settings…"),
            ("ctrl+t", "high-contrast theme on/off"),
            ("Tab  shift+Tab", "move between parts of the screen"),
            ("mouse", "click options, cells, lines and buttons"),
        ),
    ),
    (
        "Home",
        (
            ("s", "study: cards due now, then new ones"),
            ("p", "practise a topic, tag, level or clinical-judgment step"),
            ("b", "browse: search questions, see each one's history, suspend or flag one"),
            ("t", "statistics"),
            ("c", "switch profile or create one"),
            (",", "settings: new items and reviews a day, retention, learn-ahead, theme"),
            ("↑↓  Enter", "study only the highlighted topic or bank"),
        ),
    ),
    (
        "Browse",
        (
            ("/", "search the question text; Enter goes to the list"),
            ("Tab", "the filters: bank, tag, level, step, state (new, due, flagged…)"),
            ("x", "suspend: never asked, not counted; x again brings it back on its schedule"),
            ("p", "practise the highlighted question now (the schedule is left alone)"),
            (
                "f",
                "flag a problem with a short note; `immunoquiz flags --export FILE` writes "
                "your flags for the educator",
            ),
            ("u", "withdraw your flag on the highlighted question"),
            ("Esc", "back home"),
        ),
    ),
    (
        "Questions",
        (
            ("Enter", "submit your answer (or press the Submit button)"),
            ("1-9", "choose / toggle that option"),
            ("↑↓", "move the highlight"),
            ("Space", "pick or unpick the highlighted option"),
            ("t  f", "true / false"),
            ("Esc", "end the session and see the summary"),
            ("ctrl+z", "undo your last answer and answer it again"),
        ),
    ),
    (
        "Select N and bow-tie",
        (
            ("Space  1-9", "pick; a full list refuses another pick: unpick one first"),
            ("←→  Tab", "bow-tie: move between the three columns"),
        ),
    ),
    (
        "Fill in the blanks",
        (
            (
                "type",
                "your answer; case, spaces, hyphens, dashes and curly quotes do not matter, "
                "and a number may end in % or the word percent",
            ),
            ("Enter", "next blank; on the last one, submit"),
            ("Enter on a list", "open the drop-down; ↑↓ Enter to choose"),
        ),
    ),
    (
        "Order",
        (
            ("↑↓", "move the highlight"),
            ("shift+↑↓  ⇧↑↓", "move the highlighted line up or down"),
            ("Space", "pick up the line, move it with ↑↓, Space to put it down"),
            ("click", "click a line, then click where it goes"),
        ),
    ),
    (
        "Match grid",
        (
            ("↑↓  ←→", "move between rows and columns"),
            ("Space", "mark the highlighted cell (one per row)"),
            ("1-9", "mark that column in the current row and go to the next row"),
        ),
    ),
    (
        "Case study",
        (
            ("", "the patient panel stays on screen; new information appears as parts unfold"),
            ("Enter", "answer each part in turn; the case is scored when all are done"),
        ),
    ),
    (
        "Feedback",
        (
            ("Enter  n", "next question"),
            ("h", "full credit but unsure: mark it Hard (it comes back sooner)"),
            ("e", "mark a fully correct answer Easy (it comes back later)"),
            ("o", "I was right: count a typed answer marked wrong as correct (study only)"),
            ("u", "undo this answer and answer it again"),
            ("Esc", "end the session"),
            ("↑↓  PgUp PgDn", "scroll"),
        ),
    ),
    (
        "Summary and statistics",
        (
            ("Enter  Esc", "back home"),
            ("r", "summary: practise the questions you missed"),
            ("t", "summary: open statistics"),
        ),
    ),
)


def help_text() -> Content:
    """All keys as one text (for tests and the palette's search)."""
    lines: list[Content] = []
    for section, keys in KEYS:
        lines.append(join((section, "bold $accent")))
        lines.extend(join(("  " + key.ljust(16), "bold"), what) for key, what in keys)
    return Content("\n").join(lines)


class KeyRow(Hanging):
    """Key on the left, what it does on the right (wrapping under itself)."""

    def __init__(self, key: str, what: str) -> None:
        super().__init__(join(("  " + key, "bold")), Content(what), indent=18, classes="key-row")
        self.key = key


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,f1", "close", "Close help"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog tall wide"):
            yield Static("Keys", classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                for n, (section, keys) in enumerate(KEYS):
                    yield Static(section, classes="help-section" + (" first" if not n else ""))
                    for key, what in keys:
                        yield KeyRow(key, what)
            yield Static("↑↓ PgUp PgDn scroll · Esc or ? closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
