"""Screenshots of every page at 1280x800, for the README: docs/screenshots/<page>.png.

    python scripts/screenshots.py                 # builds a demo store from the dev articles
    python scripts/screenshots.py --db my.duckdb  # or shoots an existing store

The demo store is ingested from ../shared/gold/dev/articles.jsonl when it is there, else
from the Kazinform story in tests/data. The pages are served on a free local port and
driven by Debian's Chromium through Playwright (``make browser`` installs it).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
DEV_ARTICLES = ROOT.parent / "shared" / "gold" / "dev" / "articles.jsonl"
FIXTURE = ROOT / "tests" / "data" / "kazinform-2017-09-27-csto-serbia.jsonl"
OUT = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def demo_store(folder: Path) -> Path:
    from entente.engines.local import ingest
    from entente.store import Store

    source = DEV_ARTICLES if DEV_ARTICLES.exists() else FIXTURE
    db = folder / "demo.duckdb"
    with Store(db) as store:
        summary = ingest([source], store, workers=1)
    print(f"demo store from {source}: {summary.new} articles, {summary.events} events, "
          f"{len(summary.failures)} failed", file=sys.stderr)
    for failure in summary.failures:
        print(f"  not ingested: {failure}", file=sys.stderr)
    return db


def pages(reader) -> list[tuple[str, str, str | None]]:
    """(file name, address, CSS selector of an event button to click first) of every page."""
    from entente.store import queries

    article = reader.execute("SELECT id FROM articles ORDER BY (id LIKE 'kazinform%') DESC, n_events DESC, id"
                             " LIMIT 1").fetchone()
    actor = next(iter(queries.actors(reader)), None)
    named = next(iter(queries.named_events(reader)), None)
    shots = [("events", "/", None), ("network", "/network", None), ("map", "/map", None),
             ("actors", "/actors", None), ("articles", "/articles", None), ("named-events", "/named-events", None)]
    if actor:
        shots.append(("actor", f"/actors/{quote(actor['code'])}", None))
    if article:
        shots.append(("article", f"/articles/{quote(article[0])}", ".event-button"))
    if named:
        shots.append(("named-event", f"/named-events/{named['id']}", None))
    return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="store to shoot (default: a demo store built here)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from entente.web.app import create_app
    from entente.web.server import BackgroundServer

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or demo_store(Path(tmp))
        app = create_app(db, settings={"api_token": "", "sql_enabled": False})
        args.out.mkdir(parents=True, exist_ok=True)
        with BackgroundServer(app) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            with app.state.web.shared.reading() as reader:
                shots = pages(reader)
            for name, address, click in shots:
                page.goto(server.url + address)
                if page.locator("svg.network[data-network]").count():   # laid out in the browser
                    page.locator("svg.network[data-drawn]").wait_for(state="attached")
                if click and page.locator(click).count():
                    page.locator(click).first.click()
                    page.wait_for_timeout(400)
                path = args.out / f"{name}.png"
                page.screenshot(path=str(path))
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
            browser.close()
        app.state.web.shared.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
