"""Sources in Moodle's general feedback: written after the explanation in a marked block
that the importer recognises, so a round trip gives explanation and sources back apart.

    <explanation>

    Sources:
    [keynote522] Schmid P et al. N Engl J Med 2020;382:810-821 <https://doi.org/...>
"""

from __future__ import annotations

import re

from immunoquiz.records import dataclass

HEADING = "Sources:"
_LINE = re.compile(r"\[([a-z0-9][a-z0-9-]*)\] (.+?)(?: <(\S+)>)?")


@dataclass(frozen=True)
class Cited:
    key: str
    cite: str
    url: str | None = None


def with_sources(explanation: str, cited: list[Cited]) -> str:
    if not cited:
        return explanation
    lines = [
        f"[{c.key}] {' '.join(c.cite.split())}" + (f" <{c.url}>" if c.url else "") for c in cited
    ]
    return f"{explanation}\n\n{HEADING}\n" + "\n".join(lines)


def split_sources(feedback: str) -> tuple[str, list[Cited]]:
    """(explanation, sources) of a general feedback; no block -> (feedback, [])."""
    at = feedback.rfind(f"\n\n{HEADING}\n")
    if at < 0:
        return feedback, []
    cited: list[Cited] = []
    for line in feedback[at + len(HEADING) + 3 :].split("\n"):
        found = _LINE.fullmatch(line.strip())
        if not found:
            return feedback, []
        cited.append(Cited(found.group(1), found.group(2), found.group(3)))
    return feedback[:at].rstrip(), cited
