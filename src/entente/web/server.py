"""Run the web app in a background thread on a free local port (tests, screenshots, the
load benchmark):

    with BackgroundServer(create_app("entente.duckdb")) as server:
        httpx.get(server.url + "/api/events")
"""
from __future__ import annotations

import socket
import threading
import time

import uvicorn


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class BackgroundServer:
    """uvicorn serving ``app`` in a daemon thread until :meth:`stop` (or the ``with`` ends)."""

    def __init__(self, app, host: str = "127.0.0.1", port: int | None = None, **config):
        self.host, self.port = host, port or free_port(host)
        config.setdefault("log_level", "warning")
        self.server = uvicorn.Server(uvicorn.Config(app, host=self.host, port=self.port, lifespan="off", **config))
        self.thread = threading.Thread(target=self.server.run, name=f"entente-web-{self.port}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> "BackgroundServer":
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the web server did not start on {self.url}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def __enter__(self) -> "BackgroundServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
