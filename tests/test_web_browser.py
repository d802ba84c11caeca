"""The pages in a real headless Chromium (Debian's ``chromium``, driven by Playwright; no
browser download): after ingesting the Kazinform story, the events page shows its CONSULT
of 2017-09-25, the network an edge SRB-CSTO, the article page highlights Aleksandar Vulin
and clicking the CONSULT marks its sentence; markup in an article renders as text."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
import playwright.sync_api as playwright_api  # the [test] extra installs it: missing is an error

from entente.web.app import create_app  # noqa: E402
from entente.web.server import BackgroundServer  # noqa: E402
from test_web_api import KAZINFORM_ID, MARKUP_ID, build_store  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = build_store(tmp_path_factory.mktemp("browser"))
    with BackgroundServer(create_app(db, settings={"api_token": "", "sql_enabled": False})) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Chromium is missing: run `make browser` (installs Debian's chromium)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    errors: list[str] = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def test_web_browser_events_page_shows_consult(server, page):
    page.goto(server.url + "/")
    row = page.locator('table.events tr[data-type="CONSULT"][data-date="2017-09-25"]')
    playwright_api.expect(row.first).to_be_visible()
    playwright_api.expect(row.first).to_contain_text("SRB")
    playwright_api.expect(row.first).to_contain_text("CSTO")
    assert page.locator('svg.timeline circle[data-type="CONSULT"][data-date="2017-09-25"]').count() >= 1


def test_web_browser_events_filters_from_address(server, page):
    page.goto(server.url + "/?type=CONSULT&actor=SRB")
    assert page.locator("table.events tbody tr[data-event]").count() >= 1
    assert page.locator('table.events tbody tr[data-event]:not([data-type="CONSULT"])').count() == 0
    assert page.locator('form.filters input[name="type"]').input_value() == "CONSULT"


def test_web_browser_network_shows_srb_csto_edge(server, page):
    page.goto(server.url + "/network")
    edge = page.locator('svg.network line.edge[data-source="CSTO"][data-target="SRB"], '
                        'svg.network line.edge[data-source="SRB"][data-target="CSTO"]')
    playwright_api.expect(edge.first).to_be_attached()
    page.locator('svg.network g.node[data-code="SRB"]').click()
    page.wait_for_url("**/network?actor=SRB")
    playwright_api.expect(edge.first).to_be_attached()


def test_web_browser_article_marks_consult_sentence(server, page):
    page.goto(server.url + f"/articles/{KAZINFORM_ID}")
    vulin = page.locator("article.text mark.hl-person", has_text="Aleksandar Vulin")
    playwright_api.expect(vulin.first).to_be_visible()
    assert page.locator("article.text .sent.marked").count() == 0
    page.locator('.event-button[data-type="CONSULT"]').first.click()
    marked = page.locator("article.text .sent.marked")
    playwright_api.expect(marked.first).to_be_visible()
    sentence = " ".join(marked.all_inner_texts())
    assert "met with" in sentence and "Aleksandar Vulin" in sentence
    playwright_api.expect(marked.first).to_be_in_viewport()


def test_web_browser_markup_renders_as_text(server, page):
    page.goto(server.url + f"/articles/{MARKUP_ID}")
    text = page.locator("article.text")
    playwright_api.expect(text).to_contain_text("<script>window.__xss = 'script'</script>")
    playwright_api.expect(text).to_contain_text("<img src=x onerror=")
    assert page.locator("article.text img, article.text script").count() == 0
    playwright_api.expect(page.locator("h1")).to_contain_text("<b>Bold</b>")
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_web_browser_map_shows_moscow(server, page):
    page.goto(server.url + "/map")
    playwright_api.expect(page.locator('svg.map circle.place[data-place="Moscow"]')).to_be_attached()


def test_web_browser_lays_out_a_network_of_300_actors(tmp_path_factory, browser):
    """The server sends no positions: the page's script lays 300 actors out from /api/network
    and draws every one inside the picture, with the edges between them."""
    from conftest import make_event, make_record
    from entente.store import Store

    codes = [f"A{i:03d}" for i in range(320)]
    db = tmp_path_factory.mktemp("wide") / "wide.duckdb"
    with Store(db) as store:
        for k in range(0, 320, 40):
            store.write_record(make_record(f"r{k}", [make_event("CONSULT", [codes[i]], [codes[(i + 1) % 320]],
                                                                date="2017-09-25") for i in range(k, k + 40)]))
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    with BackgroundServer(create_app(db, settings={"api_token": "", "sql_enabled": False})) as running:
        page.goto(running.url + "/network?top=300")
        playwright_api.expect(page.locator('svg.network[data-drawn="300"]')).to_be_attached(timeout=20_000)
        centres = page.eval_on_selector_all("svg.network g.node circle", "cs => cs.map(c => [+c.getAttribute('cx'), "
                                            "+c.getAttribute('cy')])")
        assert len(centres) == 300 and all(0 <= x <= 900 and 0 <= y <= 640 for x, y in centres)
        assert len({(round(x), round(y)) for x, y in centres}) > 250            # spread out, not piled up
        assert page.locator("svg.network line.edge").count() >= 250
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
