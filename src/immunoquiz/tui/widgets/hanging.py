"""One widget for "head + text with a hanging indent": option rows, verdicts, key rows.

A row built from a Horizontal of two or three Statics costs two or three
widgets; lists of options, verdicts and keys have many rows, and widgets are
what Textual spends its time on. This renders the same picture as one widget.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget


class Hanging(Widget):
    """`head` in the first `indent` cells, `body` wrapped beside it, continuation indented."""

    DEFAULT_CSS = """
    Hanging { height: auto; width: 1fr; }
    """

    def __init__(
        self,
        head: Content | str,
        body: Content | str,
        *,
        indent: int,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.head = Content(head) if isinstance(head, str) else head
        self.body = Content(body) if isinstance(body, str) else body
        self.indent = indent
        self._cache: tuple[int, list[Content]] | None = None

    def set_parts(
        self, head: Content | str | None = None, body: Content | str | None = None
    ) -> None:
        """Change the head and/or body; relayout only if the body changed."""
        if head is not None:
            self.head = Content(head) if isinstance(head, str) else head
        if body is not None:
            self.body = Content(body) if isinstance(body, str) else body
        self._cache = None
        self.refresh(layout=body is not None)

    def lines(self, width: int) -> list[Content]:
        if self._cache is not None and self._cache[0] == width:
            return self._cache[1]
        room = max(1, width - self.indent)
        body = self.body.wrap(room) or [Content("")]
        head = self.head.truncate(self.indent)
        head = head.pad_right(self.indent - head.cell_length)
        pad = Content(" " * self.indent)
        out = [(head if n == 0 else pad) + line for n, line in enumerate(body)]
        self._cache = (width, out)
        return out

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_region.width or self.size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))
