"""Questions as Moodle's importer stores them: the meeting point of the two readers.

Field names follow Moodle's question objects (`questiontext`, `fraction`, `single`,
`subquestions`...) so a conformance case can state Moodle's own result field by field.
Texts are kept raw with their Moodle text format; turning them into plain text is the
mapping's job.
"""

from __future__ import annotations

from immunoquiz.records import dataclass, field

# Moodle's text formats, by the names the GIFT markers use.
MOODLE, HTML, PLAIN, MARKDOWN = "moodle", "html", "plain", "markdown"
# Where the GIFT reader cut a missing-word gap. Moodle writes "_____" there; a private
# character lets the mapping find the gap even when the author's text has underscores.
GAP = "\ue000"


# The ordering qtype's set_layout_select_count_grading: names as files write them ->
# the option Moodle stores (unknown names keep the defaults).
SELECT_TYPES = {"ALL": "ALL", "EXACT": "ALL", "RANDOM": "RANDOM", "REL": "RANDOM"}
SELECT_TYPES |= {"CONTIGUOUS": "CONTIGUOUS", "CONTIG": "CONTIGUOUS"}
GRADING_TYPES = {"ABS": "ABSOLUTE_POSITION", "ABSOLUTE": "ABSOLUTE_POSITION"}
GRADING_TYPES |= {"REL": "RELATIVE_NEXT_EXCLUDE_LAST", "RELATIVE": "RELATIVE_NEXT_EXCLUDE_LAST"}
GRADING_TYPES |= {
    name: name
    for name in (
        "ALL_OR_NOTHING",
        "ABSOLUTE_POSITION",
        "RELATIVE_NEXT_EXCLUDE_LAST",
        "RELATIVE_NEXT_INCLUDE_LAST",
        "RELATIVE_ONE_PREVIOUS_AND_NEXT",
        "RELATIVE_ALL_PREVIOUS_AND_NEXT",
        "LONGEST_ORDERED_SUBSET",
        "LONGEST_CONTIGUOUS_SUBSET",
        "RELATIVE_TO_CORRECT",
    )
}


def select_type(name: str) -> str:
    return SELECT_TYPES.get(name.strip().upper(), "RANDOM")


def grading_type(name: str) -> str:
    return GRADING_TYPES.get(name.strip().upper(), "RELATIVE_NEXT_EXCLUDE_LAST")


@dataclass
class Text:
    text: str
    format: str = MOODLE


@dataclass
class Answer:
    text: Text
    fraction: float
    feedback: Text = field(default_factory=lambda: Text(""))


@dataclass
class SubQuestion:
    """A match pair (`text` empty for an extra answer) or an embedded Cloze blank."""

    text: Text
    answer: str = ""
    # Embedded answers (multianswer) only: the blank's kind and its answers.
    qtype: str = ""
    single: bool = True
    answers: list[Answer] = field(default_factory=list)


@dataclass
class MoodleQuestion:
    qtype: str
    name: str
    questiontext: Text
    line: int
    col: int = 1
    generalfeedback: Text = field(default_factory=lambda: Text(""))
    answers: list[Answer] = field(default_factory=list)
    single: bool = True
    correctanswer: bool | None = None  # truefalse
    feedbacktrue: Text = field(default_factory=lambda: Text(""))
    feedbackfalse: Text = field(default_factory=lambda: Text(""))
    subquestions: list[SubQuestion] = field(default_factory=list)
    usecase: bool = False  # shortanswer: case matters
    gradingtype: str = ""  # ordering
    selecttype: str = ""  # ordering
    selectcount: int = 0  # ordering
    category: str = ""  # the $CATEGORY in force
    tags: list[str] = field(default_factory=list)
    idnumber: str = ""

    @property
    def shown_text(self) -> str:
        """The question text as Moodle stores it (with its "_____" for a gap)."""
        return self.questiontext.text.replace(GAP, "_____")


@dataclass
class Refused:
    """A question Moodle's importer itself would refuse, or that has no counterpart."""

    line: int
    reason: str
    col: int = 1


@dataclass
class ReadResult:
    questions: list[MoodleQuestion] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
