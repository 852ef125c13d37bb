"""Signing webhook payloads with HMAC-SHA256, and checking a signature as a receiver does.

The signed string is the timestamp, a full stop and the raw body:
`f"{timestamp}.".encode() + body`. The timestamp travels in `X-Samvirke-Timestamp` and the
signature in `X-Samvirke-Signature: sha256=<hex>`, so a receiver that also refuses old
timestamps cannot be fooled by a replayed request."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SIGNATURE_HEADER = "X-Samvirke-Signature"
TIMESTAMP_HEADER = "X-Samvirke-Timestamp"
EVENT_HEADER = "X-Samvirke-Event"
DELIVERY_HEADER = "X-Samvirke-Delivery"
EVENT_ID_HEADER = "X-Samvirke-Event-Id"
SECRET_PREFIX = "whsec_"
# a receiver should refuse timestamps further than this from its own clock
TOLERANCE_SECONDS = 300


def secret_new() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    """The header value: `sha256=` and the hex HMAC of `timestamp.body`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signature_valid(
    secret: str,
    *,
    body: bytes,
    timestamp: str,
    header: str,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does (docs/api.md shows the same in a few lines): recompute the
    signature over the raw body, compare in constant time, refuse stale timestamps."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, sent_at, body), header or "")
