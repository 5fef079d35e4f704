"""Text between formats: Moodle HTML and auto-format -> plain text, plain text -> HTML.

Imported text is data: HTML is parsed (never rendered), scripts and styles are
dropped, images leave their alt text, control characters go. The HTML we write is
built so that `html_to_text(text_to_html(t)) == t` for any bank text without tabs
(the round-trip test relies on it).
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

from immunoquiz.banks.interop.moodle import HTML, MOODLE, Text

# Control characters other than newline and tab: the bank loader refuses them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 ul ol li table tr pre blockquote section article "
    "header footer dl dt dd hr figure figcaption address".split()
)
_DROP = frozenset({"script", "style", "head", "title", "template"})
_PARA = "\ue001"  # a paragraph boundary, resolved once the whole text is read
_SPACES = re.compile(r"[ \t\r\n\f]+")
_TAG_OR_ENTITY = re.compile(r"<[A-Za-z/!]|&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")


class _Flattener(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.dropping += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt and alt.strip():
                self.out.append(f"[{alt.strip()}]")
        elif tag == "li":
            self.out.append(_PARA + "- ")
        elif tag in _BLOCK:
            self.out.append(_PARA)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _DROP:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.dropping = max(0, self.dropping - 1)
        elif tag in _BLOCK:
            self.out.append(_PARA)

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(_SPACES.sub(" ", data))


def html_to_text(source: str) -> str:
    """Plain text of an HTML fragment: paragraphs become blank lines, <br> a newline."""
    parser = _Flattener()
    parser.feed(source)
    parser.close()
    text = "".join(parser.out)
    text = re.sub(r" *\n *", "\n", text)  # spaces around a <br> are the markup's, not the text's
    text = re.sub(rf"[ \n]*{_PARA}[{_PARA} \n]*", _PARA, text)
    text = text.strip(" \n" + _PARA).replace(_PARA, "\n\n")
    return clean(text.replace("\xa0", " "))


def clean(text: str) -> str:
    """Text a bank may hold: no control characters, no CR, trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def to_plain(value: Text) -> str:
    """A Moodle text in any format as the plain text a learner should read."""
    if value.format == HTML:
        return html_to_text(value.text)
    if value.format == MOODLE and _TAG_OR_ENTITY.search(value.text):
        # Moodle auto-format: HTML is allowed and a newline is a line break.
        return html_to_text(value.text.replace("\n", "<br>"))
    return clean(value.text)  # plain, markdown: already readable as written


def text_to_html(text: str) -> str:
    """HTML showing `text` exactly: escaped, newlines as <br>, significant spaces kept."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == " ":
            before = text[i - 1] if i else "\n"
            after = text[i + 1] if i + 1 < len(text) else "\n"
            out.append("&nbsp;" if before in " \n" or after in " \n" else " ")
        elif ch == "\n":
            out.append("<br>")
        else:
            out.append(html.escape(ch, quote=False))
    return "".join(out)


def slugify(text: str, limit: int = 60) -> str:
    """A bank id or tag made from free text: lowercase ASCII letters, digits, hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] or slug[:limit]
    return slug.strip("-")
