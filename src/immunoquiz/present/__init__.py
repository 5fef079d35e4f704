"""How an item is shown to one learner, for every client (TUI, plain mode, web pages).

- `layout(item, seed)` -> `Layout`: the order of options, rows, entries and
  bow-tie groups, as bank indices. The same seed always gives the same layout,
  whichever client asks and in whatever order it asks for the lists. An exam
  uses one seed per session and item (the same for every learner); study uses
  a fresh seed per showing.
- `incomplete(item, response)`: the one-line hint when an answer has no choice
  where the item needs one (no answer without a choice).
- `explain(item, response, score, layout)` -> `Explanation`: per option the
  verdict and the reason (per blank, place, row or statement for the types
  without options), and the score in words, after an answer.

Headless: no client imports; nothing here shuffles anything by itself.
"""

from immunoquiz.present.complete import incomplete
from immunoquiz.present.explain import Explanation, KeyLine, OptionLine, explain, score_words
from immunoquiz.present.layout import BOWTIE_GROUPS, Layout, layout

__all__ = [
    "BOWTIE_GROUPS",
    "Explanation",
    "KeyLine",
    "Layout",
    "OptionLine",
    "explain",
    "incomplete",
    "layout",
    "score_words",
]
