"""The request a piece of code runs in: id, client address and user, kept in a context
variable so that services and log lines can name them without passing a request around."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str | None = None
    client_address: str | None = None
    user: Any = field(default=None)


_context: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "samvirke_request_context",
    default=RequestContext(),  # noqa: B039 - frozen, immutable
)


def current_context() -> RequestContext:
    return _context.get()


def set_context(context: RequestContext) -> contextvars.Token:
    return _context.set(context)


def update_context(**changes: Any) -> None:
    _context.set(replace(_context.get(), **changes))


def reset_context(token: contextvars.Token) -> None:
    _context.reset(token)
