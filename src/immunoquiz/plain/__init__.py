"""Plain line mode: numbered text out, one typed line per answer in. No Textual, no ANSI."""

from immunoquiz.plain.runner import Console, run_plain
from immunoquiz.plain.syntax import help_text

__all__ = ["Console", "help_text", "run_plain"]
