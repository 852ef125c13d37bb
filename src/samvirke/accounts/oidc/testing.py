"""Test support for the eID login: the network edge, and only that.

`InProcessTransport` lets the relying party's real HTTP calls (discovery, key set, token,
userinfo) reach the real development identity provider inside the same process, the way
Django's test client reaches views, so the whole flow runs without sockets. It can also
rewrite the token endpoint's answer, which is how tests play a malicious or broken
provider (a tampered ID token, a token from another key, a replay).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator

import httpx
from django.test.client import ClientHandler

from samvirke.accounts.oidc import client as oidc_client


def _wsgi_app(environ, start_response):
    # ClientHandler, unlike WSGIHandler, does not close the test's database connection
    # at the end of the request, so the test's transaction survives.
    response = ClientHandler(enforce_csrf_checks=True)(environ)
    headers = [(k, v) for k, v in response.items()]
    headers += [("Set-Cookie", c.output(header="").strip()) for c in response.cookies.values()]
    start_response(f"{response.status_code} {response.reason_phrase}", headers)
    if getattr(response, "streaming", False):
        return list(response.streaming_content)
    return [response.content]


TokenRewrite = Callable[[dict], dict]


class InProcessTransport(httpx.BaseTransport):
    """httpx transport into this Django app. `rewrite_token(body) -> body` may change the
    token endpoint's JSON; `fail_with` makes every request fail like a dead network."""

    def __init__(
        self,
        *,
        rewrite_token: TokenRewrite | None = None,
        fail_with: type[httpx.TransportError] | None = None,
    ):
        self._inner = httpx.WSGITransport(app=_wsgi_app)
        self.rewrite_token = rewrite_token
        self.fail_with = fail_with
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail_with is not None:
            raise self.fail_with("simulated network failure", request=request)
        response = self._inner.handle_request(request)
        if self.rewrite_token is not None and request.url.path.endswith("/token/"):
            response.read()
            if response.status_code == 200:
                body = self.rewrite_token(json.loads(response.content))
                return httpx.Response(200, json=body, request=request)
        return response


@contextlib.contextmanager
def provider_transport(transport: httpx.BaseTransport) -> Iterator[httpx.BaseTransport]:
    previous = oidc_client.transport
    oidc_client.transport = transport
    try:
        yield transport
    finally:
        oidc_client.transport = previous
