"""Personal links for neighbours: `/neighbour-notice/<selector>.<secret>/`.

The selector (8 characters) finds the neighbour; the secret (128 random bits) proves the
link. Only the secret's SHA-256 hash is stored, so neither the database nor a backup
gives a link away, and the hash is compared in constant time. The link is short enough to
type from a printed letter."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

SELECTOR_BYTES = 6  # 8 URL-safe characters
SECRET_BYTES = 16  # 22 URL-safe characters, 128 bits
SEPARATOR = "."


@dataclass(frozen=True)
class IssuedToken:
    selector: str
    secret: str
    secret_hash: str

    @property
    def token(self) -> str:
        return f"{self.selector}{SEPARATOR}{self.secret}"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_issue() -> IssuedToken:
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return IssuedToken(
        selector=secrets.token_urlsafe(SELECTOR_BYTES),
        secret=secret,
        secret_hash=secret_hash(secret),
    )


def token_split(token: str) -> tuple[str, str] | None:
    selector, separator, secret = (token or "").partition(SEPARATOR)
    if not separator or not selector or not secret or len(token) > 100:
        return None
    return selector, secret


def secret_matches(secret: str, stored_hash: str) -> bool:
    """Constant-time comparison of the secret's hash with the stored one."""
    return hmac.compare_digest(secret_hash(secret), stored_hash or "")
