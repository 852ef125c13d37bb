"""The rate limits' counting (samvirke.core.ratelimit): rates from the settings, fixed
windows in the shared cache, the client address behind a trusted proxy."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from samvirke.core import ratelimit
from samvirke.core.ratelimit import Rate
from samvirke.core.tests import ratelimits as ratelimit_clock


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """All requests of a test in one window of the limits (see core.tests.ratelimits)."""
    ratelimit_clock.freeze(monkeypatch)


def test_rates_are_parsed():
    assert Rate.parse("10/m") == Rate(10, 60)
    assert Rate.parse("30/15m") == Rate(30, 900)
    assert Rate.parse("5/s") == Rate(5, 1)
    assert Rate.parse("100/2h") == Rate(100, 7200)
    with pytest.raises(ImproperlyConfigured):
        Rate.parse("ten a minute")


def test_the_settings_name_every_scope_with_its_default():
    assert django_settings.SAMVIRKE_RATE_LIMITS == ratelimit.DEFAULT_RATES


def test_an_unknown_scope_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        ratelimit.rate_limit_hit("no_such_scope", "10.0.0.1")


def test_hits_over_the_rate_are_limited_per_address(settings):
    settings.SAMVIRKE_RATE_LIMITS = {"access_request": "3/m"}
    verdicts = [ratelimit.rate_limit_hit("access_request", "10.0.0.1") for _ in range(5)]
    assert [v.limited for v in verdicts] == [False, False, False, True, True]
    assert 1 <= verdicts[-1].retry_after <= 60
    # another address, or another scope, counts on its own
    assert not ratelimit.rate_limit_hit("access_request", "10.0.0.2").limited
    assert not ratelimit.rate_limit_hit("eid_callback", "10.0.0.1").limited


def test_peek_does_not_count(settings):
    settings.SAMVIRKE_RATE_LIMITS = {"api_auth_failure": "2/m"}
    for _ in range(5):
        assert not ratelimit.rate_limit_peek("api_auth_failure", "10.0.0.1").limited
    ratelimit.rate_limit_hit("api_auth_failure", "10.0.0.1")
    assert not ratelimit.rate_limit_peek("api_auth_failure", "10.0.0.1").limited
    ratelimit.rate_limit_hit("api_auth_failure", "10.0.0.1")
    assert ratelimit.rate_limit_peek("api_auth_failure", "10.0.0.1").limited


def test_a_switched_off_scope_never_limits(settings):
    settings.SAMVIRKE_RATE_LIMITS = {"access_request": "off"}
    assert not any(
        ratelimit.rate_limit_hit("access_request", "10.0.0.1").limited for _ in range(50)
    )


def test_parallel_hits_let_exactly_the_rate_through(settings):
    """The count is atomic in the cache (add, then incr): threads racing on one address
    never let more than the rate through."""
    settings.SAMVIRKE_RATE_LIMITS = {"access_request": "25/m"}
    results: list[bool] = []
    lock = threading.Lock()

    def hit():
        for _ in range(10):
            limited = ratelimit.rate_limit_hit("access_request", "10.0.0.9").limited
            with lock:
                results.append(limited)

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(False) == 25
    assert results.count(True) == 55


def test_the_cache_holds_no_readable_address(settings):
    settings.SAMVIRKE_RATE_LIMITS = {"access_request": "3/m"}
    key = ratelimit._key("access_request", "192.0.2.44", 1)
    assert "192.0.2.44" not in key


def _request(remote="198.51.100.7", **meta):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **meta)


def test_the_client_address_is_remote_addr_unless_a_proxy_is_trusted(settings):
    settings.SAMVIRKE_CLIENT_IP_HEADER = ""
    settings.SAMVIRKE_TRUST_X_FORWARDED_FOR = False
    request = _request(HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert ratelimit.client_address(request) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_address_it_saw_counts_not_what_the_client_wrote(settings):
    settings.SAMVIRKE_CLIENT_IP_HEADER = ""
    settings.SAMVIRKE_TRUST_X_FORWARDED_FOR = True
    settings.SAMVIRKE_TRUSTED_PROXY_COUNT = 1
    # the client wrote "1.2.3.4" itself; the load balancer appended the real address
    request = _request(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert ratelimit.client_address(request) == "203.0.113.5"
    settings.SAMVIRKE_TRUSTED_PROXY_COUNT = 2
    request = _request(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5, 10.0.0.2")
    assert ratelimit.client_address(request) == "203.0.113.5"


def test_a_named_proxy_header_is_used_and_garbage_in_it_ignored(settings):
    settings.SAMVIRKE_CLIENT_IP_HEADER = "X-Real-IP"
    assert ratelimit.client_address(_request(HTTP_X_REAL_IP="203.0.113.9")) == "203.0.113.9"
    assert ratelimit.client_address(_request(HTTP_X_REAL_IP="<script>")) == "198.51.100.7"


def _production_caches(**env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CACHE_URL", "CACHE_BACKEND", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        {
            "SECRET_KEY": "production-test-" + "k" * 60,
            "ALLOWED_HOSTS": "samvirke.example.no",
            "DATABASE_URL": "postgres://samvirke:secret@db.internal:5432/samvirke",
            **env,
        },
    )
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import samvirke.conf.production as s; print(s.CACHES['default']['BACKEND'])",
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def test_production_counts_in_redis_and_will_not_start_without_a_shared_cache():
    result = _production_caches(REDIS_URL="redis://cache.internal:6379/0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"
    result = _production_caches()
    assert result.returncode != 0
    assert "REDIS_URL must be set" in result.stderr
