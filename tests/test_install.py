"""The install as a new user meets it: the web face is in the default dependencies (not an
extra), and the demo's own steps (``make demo-steps``, what ``make demo`` runs after the
install) leave a store that ``entente serve --db demo.duckdb`` answers on ``/``. The demo
prints a short record and ends by saying how to open the pages."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from importlib.metadata import requires
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("package", ["fastapi", "uvicorn", "jinja2"])
def test_install_web_face_is_a_default_dependency(package):
    """Declared without an extra's marker, so a plain `pip install entente` brings it."""
    plain = {re.split(r"[<>=!~ ;\[]", r, maxsplit=1)[0].lower() for r in requires("entente") or []
             if "extra ==" not in r}
    assert package in plain


@pytest.mark.parametrize("package", ["fastapi", "uvicorn", "jinja2"])
def test_install_web_extra_is_kept_as_an_alias(package):
    web = {re.split(r"[<>=!~ ;\[]", r, maxsplit=1)[0].lower() for r in requires("entente") or []
           if 'extra == "web"' in r}
    assert package in web


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """``make demo-steps`` into a fresh folder, as ``make demo`` runs it after the install."""
    if shutil.which("make") is None:
        pytest.fail("make is missing: the README's two commands need it")
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    done = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "demo-steps", f"BIN={BIN}",
                           f"DEMO_DB={db}"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return db, done.stdout


def test_install_demo_prints_a_short_record_and_how_to_open_the_pages(demo):
    db, out = demo
    assert "# event: CONSULT SRB -> CSTO 2017-09-25 Moscow" in out          # the summary first
    assert "null" not in out.split("# event:")[-1].split("┏")[0]             # the record without empty fields
    assert len(out.splitlines()) < 150
    last = [line for line in out.splitlines() if line.strip()][-2:]
    assert f"entente serve --db {db}" in last[0] and "http://127.0.0.1:8000/" in last[1]


def test_install_demo_store_is_served(demo):
    """`entente serve --db demo.duckdb`, in its own process as a user starts it, answers `/`
    with the demo's events and the time-series view."""
    from entente.web.server import free_port

    db, _ = demo
    port = free_port()
    server = subprocess.Popen([str(BIN / "entente"), "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except httpx.TransportError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"the server did not answer: {server.stderr.read()[-2000:]}") from None
                time.sleep(0.2)
        assert page.status_code == 200
        assert 'data-type="CONSULT"' in page.text and "SRB" in page.text
        series = httpx.get(f"http://127.0.0.1:{port}/api/timeseries", params={"actor": "SRB", "with": "CSTO"})
        assert series.status_code == 200 and series.json()["total"] >= 1
    finally:
        server.terminate()
        server.wait(timeout=10)
