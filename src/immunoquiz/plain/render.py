"""Plain-text rendering of questions and feedback: numbered lines, no markup, no ANSI.

Written for screen readers as much as for terminals: every fact is in words
("your answer, correct"), nothing depends on colour or layout.
"""

from __future__ import annotations

from immunoquiz.banks.model import (
    Bank,
    BowtieItem,
    CaseItem,
    ClozeItem,
    Item,
    MatchItem,
    MultipleItem,
    Option,
    OrderItem,
    SingleItem,
    TrueFalseItem,
)

# num and the verdict line are the shared ones, named here for the plain modules' use
from immunoquiz.basics import num as num
from immunoquiz.plain.display import BOWTIE_PREFIX, LETTERS, Display
from immunoquiz.plain.syntax import hint, type_label
from immunoquiz.plain.text import indent, safe
from immunoquiz.present import Explanation, KeyLine, explain, score_words
from immunoquiz.study import Outcome

BOWTIE_TITLES = {
    "conditions": "Condition the client is most likely experiencing (pick 1)",
    "actions": "Actions to take (pick 2)",
    "parameters": "Parameters to monitor (pick 2)",
}


verdict = score_words  # 'Partly correct: 2/3, scored +/- scoring.', as every client says it

# --- questions ------------------------------------------------------------------------


def question(
    number: int, bank: Bank, item: Item, display: Display, *, show_ids: bool = False
) -> list[str]:
    """The question block, ending with the answer hint. The header names the item's id
    only when asked (`--ids`): a screen reader would read it aloud before every question."""
    label = type_label(item)
    if isinstance(item, CaseItem):
        label = f"case study, {len(item.parts)} part{'s' if len(item.parts) != 1 else ''}"
    where = f" ({safe(bank.id)}/{safe(item.id)})" if show_ids else ""
    lines = [f"Question {number}: {label}{where}"]
    if isinstance(item, CaseItem):
        lines.append(indent(item.vignette, ""))
        return lines  # parts are printed one at a time by case_part()
    lines += body(item, display)
    if h := hint(item):
        lines.append(h)
    return lines


def case_part(index: int, case: CaseItem, display: Display) -> list[str]:
    part = case.parts[index]
    lines = ["", f"Part {index + 1} of {len(case.parts)}: {type_label(part)}"]
    if part.update:
        lines.append("Update: " + indent(part.update, ""))
    lines += body(part, display.parts[index])
    if h := hint(part):
        lines.append(h)
    return lines


def body(item: Item, display: Display) -> list[str]:
    """The stem and the numbered lists of one (non-case) item."""
    if isinstance(item, SingleItem | MultipleItem):
        lines = [indent(item.prompt, "")]
        lines += _numbered(item.options, display.shown("options"))
        return lines
    if isinstance(item, TrueFalseItem):
        return ["True or false? " + indent(item.statement, "")]
    if isinstance(item, ClozeItem):
        text = item.segments[0]
        for i, seg in enumerate(item.segments[1:]):
            text += f"[blank {i + 1}]" + seg
        lines = [indent(text, "")]
        for i, blank in enumerate(item.blanks):
            if blank.choices:
                shown = display.shown(f"choices{i}")
                choices = "; ".join(
                    f"{LETTERS[k]}. {safe(blank.choices[j])}" for k, j in enumerate(shown)
                )
                lines.append(f"  Choices for blank {i + 1}: {choices}")
        return lines
    if isinstance(item, OrderItem):
        lines = [indent(item.prompt, ""), "Put these in order, first to last:"]
        lines += [
            f"  {k}. {indent(item.items[j])}" for k, j in enumerate(display.shown("items"), 1)
        ]
        return lines
    if isinstance(item, MatchItem):
        lines = [indent(item.prompt, ""), "Rows:"]
        lines += [f"  {k}. {indent(item.rows[j])}" for k, j in enumerate(display.shown("rows"), 1)]
        lines.append("Columns:")
        lines += [f"  {LETTERS[c]}. {indent(col)}" for c, col in enumerate(item.columns)]
        return lines
    if isinstance(item, BowtieItem):
        lines = [indent(item.prompt, "")]
        for name, prefix in BOWTIE_PREFIX.items():
            lines.append(BOWTIE_TITLES[name] + ":")
            options: tuple[Option, ...] = getattr(item, name)
            lines += [
                f"  {prefix}{k}. {indent(options[j].text)}"
                for k, j in enumerate(display.shown(name), 1)
            ]
        return lines
    return [indent(item.stem, "")]


def _numbered(options: tuple[Option, ...], shown: tuple[int, ...]) -> list[str]:
    return [f"  {k}. {indent(options[j].text)}" for k, j in enumerate(shown, start=1)]


# --- feedback -------------------------------------------------------------------------


def feedback(outcome: Outcome, display: Display) -> list[str]:
    """Everything shown after an answer, once it is saved: score, details, rationale, sources."""
    card = outcome.card
    e = explain(card.item, outcome.response, outcome.score, display)
    if outcome.mode == "practice":
        saved = "Saved (practice: your schedule is unchanged)."
    else:
        saved = f"Saved; {outcome.interval_text}."
    return [f"{e.headline} {saved}", *explained(card.bank, card.item, e, display)]


def explained(bank: Bank, item: Item, e: Explanation, display: Display) -> list[str]:
    """The lines after the score: the right answer, the verdicts, rationale and sources."""
    lines = []
    if not e.score.full and not isinstance(item, CaseItem):
        lines.append(right_answer(item, display))  # the answer first, the reasons after
    if isinstance(item, CaseItem):
        for i, (part, said) in enumerate(zip(item.parts, e.parts, strict=True)):
            lines.append(f"Part {i + 1} of {len(item.parts)}: {said.headline}")
            if not said.score.full:
                lines.append("  " + right_answer(part, display.parts[i]))
            lines += ["  " + line for line in details(item.parts[i], said)]
            if part.explanation:
                lines.append("  Rationale: " + indent(part.explanation, "  "))
    else:
        lines += details(item, e)
    lines.append("Rationale: " + indent(item.explanation, ""))
    lines += sources(bank, item)
    return lines


def right_answer(item: Item, display: Display) -> str:
    """The correct answer in one sentence, numbered as the options were shown."""

    def picks(options: tuple[Option, ...], group: str, prefix: str = "") -> list[str]:
        shown = display.shown(group)
        return [
            f"{prefix}{k}. {indent(options[j].text)}"
            for k, j in enumerate(shown, start=1)
            if options[j].correct
        ]

    if isinstance(item, SingleItem):
        return "The answer: " + picks(item.options, "options")[0] + "."
    if isinstance(item, MultipleItem):
        return "The answers: " + "; ".join(picks(item.options, "options")) + "."
    if isinstance(item, TrueFalseItem):
        return f"The statement is {'true' if item.answer else 'false'}."
    if isinstance(item, ClozeItem):
        blanks = [
            (f"blank {i + 1}: " if len(item.blanks) > 1 else "") + safe(b.answers[0])
            for i, b in enumerate(item.blanks)
        ]
        return "The answer: " + "; ".join(blanks) + "."
    if isinstance(item, OrderItem):
        shown = display.shown("items")
        order = " ".join(str(shown.index(j) + 1) for j in range(len(item.items)))
        return f"The correct order: {order}."
    if isinstance(item, MatchItem):
        shown = display.shown("rows")
        pairs = [f"{k} {LETTERS[item.answer[j]]}" for k, j in enumerate(shown, start=1)]
        return "The answer: " + ", ".join(pairs) + "."
    if isinstance(item, BowtieItem):
        groups = [
            f"{name} " + ", ".join(picks(getattr(item, name), name, prefix))
            for name, prefix in BOWTIE_PREFIX.items()
        ]
        return "The answer: " + "; ".join(groups) + "."
    return ""


def sources(bank: Bank, item: Item) -> list[str]:
    keys = list(item.sources)
    if isinstance(item, CaseItem):
        for part in item.parts:
            keys += [k for k in part.sources if k not in keys]
    found = bank.source_map
    lines = []
    for key in keys:
        src = found.get(key)
        if src is None:
            continue
        url = f" {safe(src.url)}" if src.url else ""
        lines.append(f"  [{safe(key)}] {indent(src.cite)}{url}")
    return ["Sources:", *lines] if lines else []


def details(item: Item, e: Explanation) -> list[str]:
    """Each option's verdict and why (or each blank's, place's, row's), numbered as shown."""
    lines = []
    group = ""
    for line in e.options:
        if isinstance(item, BowtieItem) and line.group != group:
            group = line.group
            lines.append(BOWTIE_TITLES[group] + ":")
        why = f" {indent(line.why, '     ')}" if line.why else ""
        lines.append(
            f"  {BOWTIE_PREFIX.get(line.group, '')}{line.number}. {indent(line.text, '     ')}"
        )
        lines.append(f"     {line.words}.{why}")
    return lines + [key_line(key) for key in e.keys]


def key_line(key: KeyLine) -> str:
    """'  Blank 1: you wrote "SP142": Not correct.' (the right answer was said just before)."""
    if key.kind == "statement":
        return f"  You answered {key.given.lower()}: {key.words}."
    if key.kind == "blank":
        given = f'you wrote "{safe(key.given)}"' if key.given else "left empty"
        return f"  {key.label}: {given}: {key.words}."
    if key.kind == "place":
        return f"  {key.label} {indent(key.given)}: {key.words}."
    given = indent(key.given) if key.given else "no answer"
    return f"  {key.number}. {indent(key.label)}: {given}: {key.words}."
