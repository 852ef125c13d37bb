"""Fixtures for the integration tests: API clients (the API's own fixtures) and a real
HTTP receiver on 127.0.0.1 for webhooks."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from samvirke.api.tests.conftest import session_client, token_client  # noqa: F401


@pytest.fixture(autouse=True)
def _local_http_webhooks(settings):
    """The test receiver listens on plain http on 127.0.0.1, as in development."""
    settings.SAMVIRKE_WEBHOOKS_ALLOW_LOCAL_HTTP = True


class Receiver:
    """What the test HTTP server received, and the statuses it answers with in turn."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        self.url = ""

    def next_status(self) -> int:
        return self.statuses.pop(0) if self.statuses else 200


@pytest.fixture
def receiver():
    """A real HTTP server on 127.0.0.1 in a thread: the network edge of the webhooks."""
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            state.requests.append(
                {"path": self.path, "headers": dict(self.headers.items()), "body": body}
            )
            status = state.next_status()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"ok": status < 300}).encode())

        def log_message(self, format, *args):  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/samvirke"
    yield state
    server.shutdown()
    server.server_close()
