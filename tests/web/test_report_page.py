"""The HTML class report in a real headless Chromium, 1280 px wide, as an educator sees it.

The screenshot is kept under the test's tmp folder (report-1280.png) to be looked at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from immunoquiz.cli import main

CLASS = Path(__file__).parent.parent / "data" / "class6"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def page_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    html = tmp_path / "report.html"
    code = main(
        ["report", str(CLASS), "--banks", str(CLASS / "class-demo.yaml"), "--html", str(html)]
    )
    capsys.readouterr()
    assert code == 0
    return html


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
def test_the_report_page_at_1280_px(page_file: Path, tmp_path: Path) -> None:
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            page.screenshot(path=str(tmp_path / "report-1280.png"), full_page=True)

            assert requests == [page_file.as_uri()]  # self-contained: nothing else fetched
            assert page.evaluate("document.documentElement.scrollWidth") <= 1280
            grid = page.locator("table.grid")
            assert grid.locator("tr").count() == 1 + 6  # header + six learners
            sam = grid.locator("tr", has_text="Sam Lee [sam-lee-2]")
            assert sam.locator("td.m-blank").count() == 3  # time ran out after item 4
            first = grid.locator("tr", has_text="Sam Lee [sam-lee]").locator("td").first
            title = first.get_attribute("title") or ""
            assert title.startswith("1. On which cell is the PD-1 receptor mainly expressed?")
            assert "Sam Lee: Tumour cells (0/1)" in title
            key_row = page.locator("#item-1 tr.key")
            assert key_row.inner_text().split("\t")[-1].strip() == "Activated T cells"
            assert page.get_by_text("Open attempts (not counted)").is_visible()
            assert page.get_by_text("Eli Park").is_visible()
            assert page.locator("script").count() == 0
        finally:
            browser.close()
