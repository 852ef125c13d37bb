"""`samvirke migrate` and `createcachetable` connect as MIGRATE_DATABASE_URL's owner when
it is set (and only then), and refuse an owner URL that names another database."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.commands import createcachetable, migrate
from django.db import connections
from django.test import override_settings

from samvirke.core.owner_connection import as_owner


def owner_of(name: str | None = None) -> dict:
    current = connections["default"].settings_dict
    return {
        "ENGINE": current["ENGINE"],
        "NAME": current["NAME"] if name is None else name,
        "USER": "samvirke_owner",
        "PASSWORD": "owner-secret",
        "HOST": "db.internal",
        "PORT": 5433,
    }


def users_seen_by(command_module, name: str) -> list[tuple[str, str]]:
    seen = []

    def fake_handle(self, *args, **options):
        settings_dict = connections["default"].settings_dict
        seen.append((settings_dict["USER"], settings_dict["PASSWORD"]))

    with mock.patch.object(command_module.Command, "handle", fake_handle):
        call_command(name, stdout=io.StringIO())
    return seen


@pytest.mark.parametrize(
    ("module", "name"), [(migrate, "migrate"), (createcachetable, "createcachetable")]
)
def test_the_schema_commands_connect_as_the_owner_when_one_is_set(module, name):
    before = dict(connections["default"].settings_dict)
    with override_settings(SAMVIRKE_MIGRATE_DATABASE=owner_of()):
        assert users_seen_by(module, name) == [("samvirke_owner", "owner-secret")]
    # and put the application's credentials back after
    assert connections["default"].settings_dict["USER"] == before["USER"]
    assert connections["default"].settings_dict["HOST"] == before["HOST"]
    assert users_seen_by(module, name) == [(before["USER"], before["PASSWORD"])]


def test_an_owner_url_for_another_database_is_refused():
    with (
        override_settings(SAMVIRKE_MIGRATE_DATABASE=owner_of("another_database")),
        pytest.raises(ImproperlyConfigured, match="same database"),
        as_owner(),
    ):
        pass


def test_without_an_owner_nothing_changes():
    before = dict(connections["default"].settings_dict)
    with as_owner() as owner:
        assert owner is False
        assert connections["default"].settings_dict == before
