"""Screenshots of every page at 1280x800, and of a few at 390x844 (a phone), for the README:
docs/screenshots/<page>.png and docs/screenshots/narrow-<page>.png.

    python scripts/screenshots.py                 # builds a demo store from the dev articles
    python scripts/screenshots.py --db my.duckdb  # or shoots an existing store
    python scripts/screenshots.py --only review,review-queue   # only these pages

The review pages (``review``: an article page as a signed-in reviewer sees it, an edit form
open; ``review-queue``) are shot signed in: the demo store gets a reviewer and one confirmed
event; an existing store needs ``--token`` (a reviewer's token; nothing is written to it).

The demo store is ingested from ../shared/gold/dev/articles.jsonl and news/articles.jsonl when
they are there, else from the Kazinform story in tests/data. The pages are served on a free local port and
driven by Debian's Chromium through Playwright (``make browser`` installs it).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEV_ARTICLES = ROOT.parent / "shared" / "gold" / "dev" / "articles.jsonl"
NEWS_ARTICLES = ROOT.parent / "shared" / "gold" / "news" / "articles.jsonl"
FIXTURE = ROOT / "tests" / "data" / "kazinform-2017-09-27-csto-serbia.jsonl"
OUT = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def demo_store(folder: Path) -> Path:
    from entente.engines.local import ingest
    from entente.store import Store

    sources = [p for p in (DEV_ARTICLES, NEWS_ARTICLES) if p.exists()] or [FIXTURE]
    source = ", ".join(str(p) for p in sources)
    db = folder / "demo.duckdb"
    with Store(db) as store:
        summary = ingest(sources, store, workers=2)
    print(f"demo store from {source}: {summary.new} articles, {summary.events} events, "
          f"{len(summary.failures)} failed", file=sys.stderr)
    for failure in summary.failures:
        print(f"  not ingested: {failure}", file=sys.stderr)
    return db


def demo_reviewer(db: Path) -> str:
    """A reviewer for the demo store, and the first event of the article the pages show
    confirmed (so that the page shows how a review looks); returns the reviewer's token."""
    from entente.store import Store, reviews

    with Store(db) as store:
        token = reviews.add_reviewer(store, "analyst")
        article = first_article(store)
        found = reviews.article_targets(store, article) if article else None
        if found and found["event"]:
            reviews.review(store, "event", found["event"][0]["key"], "confirm", reviewer="analyst")
    return token


def first_article(reader) -> str | None:
    row = reader.execute("SELECT id FROM articles ORDER BY (id LIKE 'kazinform%') DESC, n_events DESC, id"
                         " LIMIT 1").fetchone()
    return row[0] if row else None


def pages(reader) -> list[tuple[str, str, str | None]]:
    """(file name, address, CSS selector of an event button to click first) of every page."""
    from entente.store import queries

    article = first_article(reader)
    actor = next(iter(queries.actors(reader)), None)
    named = next(iter(queries.named_events(reader)), None)
    shots = [("events", "/", None), ("timeseries", "/timeseries?actor=SRB&with=CSTO&interval=month", None),
             ("timeseries-all", "/timeseries?interval=year", None),
             ("network", "/network", None), ("map", "/map", None), ("search", "/search?q=defence+minister", None),
             ("actors", "/actors", None), ("articles", "/articles", None), ("named-events", "/named-events", None)]
    if actor:
        shots.append(("actor", f"/actors/{quote(actor['code'], safe='')}", None))
    if article:
        shots.append(("article", f"/articles/{quote(article, safe='')}", ".event-button"))
    if named:
        shots.append(("named-event", f"/named-events/{named['id']}", None))
    return shots


#: The pages also shot at a phone's width (390 px): (file name, address, selector to click).
NARROW = ("events", "article", "timeseries")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="store to shoot (default: a demo store built here)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", help="comma-separated page names to shoot (default: all)")
    parser.add_argument("--token", help="a reviewer's token of --db, for the review pages")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None

    from playwright.sync_api import sync_playwright

    from entente.web.app import create_app
    from entente.web.server import BackgroundServer

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or demo_store(Path(tmp))
        token = args.token or (None if args.db else demo_reviewer(db))
        app = create_app(db, settings={"api_token": "", "sql_enabled": False})
        args.out.mkdir(parents=True, exist_ok=True)
        with BackgroundServer(app) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            wide = browser.new_page(viewport={"width": 1280, "height": 800})
            narrow = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
            with app.state.web.shared.reading() as reader:
                shots = pages(reader)
            jobs = [(wide, name, address, click) for name, address, click in shots]
            jobs += [(narrow, f"narrow-{name}", address, click) for name, address, click in shots if name in NARROW]
            for page, name, address, click in jobs:
                if only is not None and name not in only:
                    continue
                page.goto(server.url + address)
                if page.locator("svg.network[data-network]").count():   # laid out in the browser
                    page.locator("svg.network[data-drawn]").wait_for(state="attached")
                if click and page.locator(click).count():
                    page.locator(click).first.click()
                    page.wait_for_timeout(400)
                shoot(page, args.out / f"{name}.png")
            if token and (only is None or only & {"review", "review-queue"}):
                review_shots(wide, server.url, token, shots, args.out, only)
            browser.close()
        app.state.web.shared.close()
    return 0


def shoot(page, path: Path) -> None:
    page.screenshot(path=str(path))
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def review_shots(page, url: str, token: str, shots: list, out: Path, only: set | None) -> None:
    """The review pages, signed in: an article with the first event's edit form open, and the queue."""
    page.goto(url + "/review/sign-in?next=/review")
    page.fill("#token", token)
    page.click("form#sign-in button[type=submit]")
    page.wait_for_url(lambda address: urlsplit(address).path == "/review")   # (not the sign-in page's ?next=/review)
    if only is None or "review-queue" in only:
        shoot(page, out / "review-queue.png")
    article = next((address for name, address, _ in shots if name == "article"), None)
    if article and (only is None or "review" in only):
        page.goto(url + article)
        edit = page.locator('ol.event-list button.rv[data-action="edit"]')
        if edit.count() > 1:
            edit.nth(1).click()
            page.locator("form.review-edit").wait_for()
        shoot(page, out / "review.png")


if __name__ == "__main__":
    sys.exit(main())
