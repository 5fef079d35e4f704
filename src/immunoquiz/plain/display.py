"""How plain mode labels what an item shows; the order itself is `present.Layout`.

Numbers the learner types refer to the layout; `Display` (a `present.Layout`)
maps them back to the bank's own indices, which are what responses (and the
review log) hold. Plain mode never shuffles by itself.
"""

from __future__ import annotations

from immunoquiz.present import Layout

LETTERS = "abcdefghijklmnopqrstuvwxyz"  # string.ascii_lowercase (its import compiles a pattern)
# Labels of the bow-tie lists: c1 (conditions), a1 (actions), p1 (parameters).
BOWTIE_PREFIX = {"conditions": "c", "actions": "a", "parameters": "p"}

Display = Layout

__all__ = ["BOWTIE_PREFIX", "LETTERS", "Display"]
