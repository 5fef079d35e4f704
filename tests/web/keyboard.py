"""Driving a page the way a keyboard user does: Tab from the top, Space, Enter.

Inside a radio group and a closed select the platform's arrow keys pick the value
(Tab reaches the group or the select; arrows are how a keyboard chooses in it).
"""

from __future__ import annotations

from typing import Any

# What a keyboard user can reach; radio groups are one stop, as the browser makes them.
STOPS_JS = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const out = [], groups = new Set();
  for (const el of document.querySelectorAll(sel)) {
    if (el.disabled || !el.checkVisibility({visibilityProperty: true})) continue;
    if (el.type === 'radio') {
      if (groups.has(el.name)) continue;
      groups.add(el.name);
    }
    out.push(window.__stop(el));
  }
  return out;
}"""
DESCRIBE_JS = """() => {
  window.__stop = el => {
    if (!el || el === document.body) return 'body';
    if (el.type === 'radio') return 'radio ' + el.name;
    const what = el.name || el.id || el.getAttribute('href') || el.textContent.trim();
    const value = el.tagName === 'BUTTON' && el.value ? '=' + el.value : '';
    return el.tagName.toLowerCase() + ' ' + what + value;
  };
}"""
FOCUSED_JS = "() => window.__stop(document.activeElement)"


def tab_stops(page: Any) -> list[str]:
    """Every control of the page, in the order Tab should reach them."""
    page.evaluate(DESCRIBE_JS)
    stops: list[str] = page.evaluate(STOPS_JS)
    return stops


def assert_tab_reaches_everything(page: Any) -> None:
    """From the top of a freshly loaded page, Tab visits every control in page order."""
    expected = tab_stops(page)
    walked: list[str] = []
    for _ in range(len(expected)):
        page.keyboard.press("Tab")
        walked.append(page.evaluate(FOCUSED_JS))
    assert walked == expected, f"{page.url}: Tab went {walked}, the page has {expected}"
    page.reload()  # back to the top, nothing operated


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab (onwards from the current focus) until `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{page.url}: Tab never reached {selector}")


def press(page: Any, selector: str, key: str = "Enter") -> None:
    """Tab to a control and press a key on it (Enter for buttons and links, Space to tick)."""
    tab_to(page, selector)
    page.keyboard.press(key)


def type_in(page: Any, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def pick_radio(page: Any, name: str, value: str) -> None:
    """Tab into the radio group `name`, then arrows to `value` (arrows also check it)."""
    tab_to(page, f"input[type=radio][name='{name}']")
    for _ in range(12):
        if page.evaluate("() => document.activeElement.value") == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{page.url}: no option {value} in {name}")


def pick_option(page: Any, name: str, value: str) -> None:
    """Tab to the select `name`, then ArrowDown until it shows `value`."""
    selector = f"select[name='{name}']"
    tab_to(page, selector)
    for _ in range(12):
        if page.input_value(selector) == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{page.url}: no option {value} in {name}")
