"""Fixtures for the organisations screens: a logged-in back-office session per demo user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission


def grant_admin_access(user) -> None:
    """Staff open the back office through the "Staff" group; a user created outside the
    demo (or before the group existed) gets Wagtail's permission directly."""
    if not user.has_perm("wagtailadmin.access_admin"):
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
            if hasattr(user, cache):
                delattr(user, cache)


@pytest.fixture
def staff_client(client, demo, login):
    """`staff_client("askim.admin")`: the test client logged in to the back office as
    that demo user (second factor verified)."""

    def as_user(username: str):
        user = demo.user[username]
        grant_admin_access(user)
        client.logout()
        login(client, user)
        return client

    return as_user
