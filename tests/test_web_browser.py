"""The pages in a real headless Chromium (Debian's ``chromium``, driven by Playwright; no
browser download): after ingesting the Kazinform story, the events page shows its CONSULT
of 2017-09-25, the network an edge SRB-CSTO, the article page highlights Aleksandar Vulin
and clicking the CONSULT marks its sentence; markup in an article renders as text."""
from __future__ import annotations

import re
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


# -- from 390 px to wide screens; the time series, the CSV, the network, the map --------------

WIDTHS = [1440, 390]


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """A store with a crowded network: a coalition of 40 members, a few large actors with many
    partners (the hairball of the default picture), and events placed only in a country."""
    from conftest import make_event, make_record
    from entente.store import Store

    members = [f"M{i:02d}" for i in range(40)]
    big = ["USA", "RUS", "GBR", "FRA", "CHN"]
    db = tmp_path_factory.mktemp("crowded") / "crowded.duckdb"
    with Store(db) as store:
        events = [make_event("SUPPORT", [m], ["COALITION"], date=f"2016-0{1 + i % 9}-1{i % 10}") for i, m in
                  enumerate(members)]
        events += [make_event("CONSULT", [a], [b], date="2017-03-0" + str(1 + k % 9)) for k, (a, b) in
                   enumerate((a, b) for a in big for b in big + members[:8] if a != b)]
        events += [make_event("ASSAULT", ["RUS"], ["UKR"], date="2022-02-24", place=("Kharkiv", "UKR")),
                   make_event("ASSAULT", ["RUS"], ["UKR"], date="2022-02-24", place=("Kyiv", "UKR")),
                   make_event("ACCUSE", ["UKR"], ["RUS"], date="2022-02-24")]   # a second quad that day
        store.write_record(make_record("crowd-a", events, title="A long headline " + "word" * 30))
        # the same attack told from another city: one event, placed only in the country
        store.write_record(make_record("crowd-b", [make_event("ASSAULT", ["RUS"], ["UKR"], date="2022-02-24",
                                                              place=("Odesa", "UKR"))]))
        store.load_countries([type("C", (), {"code": "UKR", "name": "Ukraine", "capital": "Kyiv", "lat": 50.45,
                                             "lon": 30.52})()])
    return db


@pytest.fixture(scope="module")
def crowded_server(crowded):
    with BackgroundServer(create_app(crowded, settings={"api_token": "", "sql_enabled": False})) as running:
        yield running


def _open(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    return context, pg, errors


PAGES = ["/", "/?actor=SRB&with=CSTO&order=newest", "/timeseries?actor=SRB&with=CSTO", "/network", "/map",
         "/actors", "/actors/SRB", "/articles", f"/articles/{KAZINFORM_ID}", "/named-events", "/named-events/1",
         "/search?q=CSTO+forum", "/search"]


@pytest.mark.parametrize("width", WIDTHS)
def test_web_browser_no_page_scrolls_sideways(server, crowded_server, browser, width):
    context, pg, errors = _open(browser, width)
    wide = []
    for base, path in [(server, p) for p in PAGES] + [(crowded_server, "/network"), (crowded_server, "/"),
                                                      (crowded_server, "/articles/crowd-a")]:
        pg.goto(base.url + path)
        if pg.locator("svg.network[data-network]").count():
            playwright_api.expect(pg.locator("svg.network[data-drawn]")).to_be_attached()
        scroll, view = pg.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > view:
            wide.append((path, scroll))
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert wide == [], f"pages wider than {width} px: {wide}"


@pytest.mark.parametrize("width", WIDTHS)
def test_web_browser_article_text_and_events_readable(server, browser, width):
    context, pg, errors = _open(browser, width)
    pg.goto(server.url + f"/articles/{KAZINFORM_ID}")
    text = pg.locator("article.text").bounding_box()
    events = pg.locator("ol.event-list").bounding_box()
    font = pg.evaluate("parseFloat(getComputedStyle(document.querySelector('article.text')).fontSize)")
    assert font >= 14
    assert text["width"] >= min(width - 40, 600) * 0.85 or text["width"] >= 330   # whole lines, not a word a line
    assert text["width"] / font >= 20
    if width < 900:
        assert events["y"] >= text["y"] + text["height"] - 1          # the events under the text
        assert events["width"] >= 300
    else:
        assert events["x"] >= text["x"] + text["width"] - 1          # beside it
    button = pg.locator('.event-button[data-type="CONSULT"]').first
    button.scroll_into_view_if_needed()
    playwright_api.expect(button).to_be_in_viewport()
    button.click()
    playwright_api.expect(pg.locator("article.text .sent.marked").first).to_be_in_viewport()
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.mark.parametrize("width", WIDTHS)
def test_web_browser_timeseries_of_a_dyad_draws_its_series(server, crowded_server, browser, width):
    context, pg, errors = _open(browser, width)
    # two quads on one day are stacked in its bucket (the crowded store: an attack and an accusation)
    pg.goto(crowded_server.url + "/timeseries?actor=RUS&with=UKR")
    playwright_api.expect(pg.locator("svg.timeseries")).to_be_visible()
    bars = pg.locator("svg.timeseries a.bucket rect.bar")
    assert bars.count() >= 2
    heights = pg.eval_on_selector_all("svg.timeseries a.bucket rect.bar", "rs => rs.map(r => r.getBBox().height)")
    assert all(h > 0 for h in heights)
    assert pg.locator("svg.timeseries a.bucket rect.bar.material-conflict").count() >= 1
    assert pg.locator("svg.timeseries a.bucket rect.bar.verbal-conflict").count() >= 1
    # the founding story's dyad, as extracted
    pg.goto(server.url + "/timeseries?actor=SRB&with=CSTO")
    series = pg.locator("svg.timeseries")
    playwright_api.expect(series).to_be_visible()
    assert int(series.get_attribute("data-total")) >= 4
    assert pg.locator("svg.timeseries a.bucket rect.bar").count() >= 1
    assert pg.locator("svg.timeseries rect.bar.cooperation").count() >= 1
    assert pg.locator("svg.timeseries circle.intensity-point").count() >= 1
    assert pg.locator("table.series tbody tr").first.inner_text().startswith("2017-09-25")
    pg.locator("svg.timeseries a.bucket").first.click()                 # a bar opens its events
    pg.wait_for_url("**/?actor=SRB&with=CSTO&since=2017-09-25&until=2017-09-25")
    assert pg.locator("table.events tbody tr[data-event]").count() >= 4
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def test_web_browser_csv_download_has_the_filtered_events_and_sentences(server, browser):
    import csv as csv_module

    context, pg, errors = _open(browser, 1440)
    pg.goto(server.url + "/?actor=SRB&type=CONSULT,SUPPORT")
    shown = pg.locator("table.events tbody tr[data-event]").count()
    with pg.expect_download() as download:
        pg.locator("a.csv").click()
    rows = list(csv_module.DictReader(open(download.value.path(), encoding="utf-8", newline="")))
    assert len(rows) == shown >= 2
    assert {r["event"] for r in rows} <= {"CONSULT", "SUPPORT"}
    assert all("SRB" in r["actor"] + ";" + r["recipient"] for r in rows)
    assert all(r["sentence"] and r["trigger"] in r["sentence"] for r in rows)
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.mark.parametrize("width", WIDTHS)
def test_web_browser_every_visible_network_node_can_be_clicked(crowded_server, browser, width):
    """The default picture of a crowded network: every circle drawn is the topmost thing at its
    centre (no circle or label covers another actor), and labels drawn do not overlap."""
    context, pg, errors = _open(browser, width)
    pg.goto(crowded_server.url + "/network")
    playwright_api.expect(pg.locator("svg.network[data-drawn]")).to_be_attached()
    codes = pg.eval_on_selector_all("svg.network g.node", "gs => gs.map(g => g.getAttribute('data-code'))")
    assert 20 <= len(codes) <= 30 and "COALITION" in codes
    missed = pg.evaluate("""() => Array.from(document.querySelectorAll('svg.network g.node')).filter(g => {
        const box = g.querySelector('circle').getBoundingClientRect();
        const x = box.left + box.width / 2, y = box.top + box.height / 2;
        window.scrollTo(0, Math.max(0, y - window.innerHeight / 2));
        const b = g.querySelector('circle').getBoundingClientRect();
        const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
        return !hit || hit.closest('g.node') !== g;
      }).map(g => g.getAttribute('data-code'))""")
    assert missed == []
    boxes = pg.eval_on_selector_all("svg.network text.label:not(.hover-only)",
                                    "ts => ts.map(t => { const b = t.getBBox(); return [b.x, b.y, b.width, b.height]; })")
    assert len(boxes) >= 10
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                   if a[0] < b[0] + b[2] - 0.5 and b[0] < a[0] + a[2] - 0.5 and a[1] < b[1] + b[3] - 0.5
                   and b[1] < a[1] + a[3] - 0.5]
    assert overlapping == []
    hub = pg.locator('svg.network g.node[data-code="GBR"]')
    hub.click()
    pg.wait_for_url("**/network?actor=GBR")
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def test_web_browser_map_zooms_and_marks_country_level_events(crowded_server, browser):
    context, pg, errors = _open(browser, 1440)
    pg.goto(crowded_server.url + "/map")
    ring = pg.locator('svg.map circle.place.country-level[data-country-level="true"]')
    playwright_api.expect(ring).to_have_count(1)
    assert "placed only in the country" in ring.locator("title").text_content()
    before = pg.locator("svg.map").get_attribute("viewBox")
    pg.locator('button[data-zoom="in"]').click()
    after = pg.locator("svg.map").get_attribute("viewBox")
    assert float(after.split()[2]) == pytest.approx(float(before.split()[2]) / 2, rel=0.01)
    assert float(ring.get_attribute("r")) < float(ring.get_attribute("data-r"))   # the same size on screen
    pg.locator('button[data-zoom="reset"]').click()
    assert pg.locator("svg.map").get_attribute("viewBox").split()[2] == before.split()[2].rstrip("0").rstrip(".") \
        or float(pg.locator("svg.map").get_attribute("viewBox").split()[2]) == float(before.split()[2])
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def test_web_browser_actor_field_offers_names(server, browser):
    context, pg, errors = _open(browser, 1440)
    pg.goto(server.url + "/")
    field = pg.locator('form.filters input[name="actor"]')
    field.fill("Serb")
    playwright_api.expect(field).to_have_attribute("data-options", re.compile(r"[1-9]"))
    assert "SRB" in pg.eval_on_selector_all("#actor-names option", "os => os.map(o => o.value)")
    field.fill("Serbia")
    pg.locator("form.filters button[type=submit]").click()
    pg.wait_for_url("**/?actor=Serbia")                                  # empty fields left out
    assert pg.locator("table.events tbody tr[data-event]").count() >= 4
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def test_web_browser_api_docs_render_offline_under_the_csp(server, browser):
    """/api/docs draws every operation from the vendored Swagger UI with nothing fetched from
    anywhere but this server, and the Content-Security-Policy blocks nothing it needs."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    outside: list[str] = []

    def only_here(route):
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_here)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.goto(server.url + "/api/docs")
    operations = page.locator(".opblock")
    playwright_api.expect(operations.first).to_be_visible(timeout=20_000)
    assert operations.count() >= 10
    playwright_api.expect(page.locator(".opblock-summary-path", has_text="/api/events").first).to_be_visible()
    context.close()
    assert not outside, f"fetched from elsewhere: {outside}"
    assert not problems, problems
