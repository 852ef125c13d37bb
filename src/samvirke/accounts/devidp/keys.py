"""The development identity provider's signing key: one RSA key, generated on first use and
kept in a file under VAR_DIR (or SAMVIRKE_DEV_IDP_KEY_FILE), so tokens stay valid across
restarts and every gunicorn worker signs with the same key.

Workers race only once: each writes a candidate to its own temporary file and hard-links it
into place; the link fails for all but the first, and everybody then reads the winner.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from pathlib import Path

from django.conf import settings
from joserfc.jwk import KeySet, RSAKey

_lock = threading.Lock()
_loaded: dict[str, RSAKey] = {}


def key_file() -> Path:
    configured = getattr(settings, "SAMVIRKE_DEV_IDP_KEY_FILE", "") or os.environ.get(
        "SAMVIRKE_DEV_IDP_KEY_FILE", ""
    )
    if configured:
        return Path(configured)
    return Path(settings.VAR_DIR) / "dev-idp" / "signing-key.jwk.json"


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, auto_kid=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".signing-key-")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(key.as_dict(private=True), handle)
        os.chmod(tmp, 0o600)
        with contextlib.suppress(FileExistsError):  # another worker was first: use theirs
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


def signing_key() -> RSAKey:
    path = key_file()
    cached = _loaded.get(str(path))
    if cached is not None:
        return cached
    with _lock:
        if not path.exists():
            _create(path)
        key = RSAKey.import_key(json.loads(path.read_text()))
        key.ensure_kid()
        _loaded[str(path)] = key
        return key


def public_key_set() -> dict:
    key = signing_key()
    public = key.as_dict(private=False)
    public.setdefault("use", "sig")
    public.setdefault("alg", "RS256")
    public["kid"] = key.kid
    return {"keys": [public]}


def verification_keys() -> KeySet:
    return KeySet.import_key_set(public_key_set())
