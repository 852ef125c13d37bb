"""The plugin registry: registering, looking up, refusing duplicates and unknown
identifiers, and registering for the length of a test."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext_lazy as _

from samvirke.core.registry import (
    DuplicatePluginError,
    Plugin,
    Registry,
    RegistryError,
    UnknownPluginError,
)


class Greeter(Plugin):
    """A kind of plugin, as an app would declare it."""

    def greet(self, name: str) -> str:
        raise NotImplementedError


@pytest.fixture
def greeters() -> Registry[Greeter]:
    registry: Registry[Greeter] = Registry(_("greeter"))

    @registry.register("plain")
    class Plain(Greeter):
        verbose_name = _("Plain")

        def greet(self, name: str) -> str:
            return f"Hello {name}"

    @registry.register("shy")
    class Shy(Greeter):
        verbose_name = _("Shy")

        @classmethod
        def is_enabled(cls) -> bool:
            return False

        def greet(self, name: str) -> str:
            return "…"

    return registry


def test_a_registered_plugin_is_found_by_its_identifier(greeters):
    plain = greeters["plain"]
    assert plain.identifier == "plain"
    assert plain().greet("Kari") == "Hello Kari"
    assert "plain" in greeters and "loud" not in greeters
    assert greeters.identifiers() == ["plain", "shy"]  # in the order registered
    assert [p.identifier for p in greeters] == ["plain", "shy"]
    assert len(greeters) == 2


def test_only_enabled_plugins_are_offered_as_choices(greeters):
    assert [p.identifier for p in greeters.enabled()] == ["plain"]
    assert greeters.choices() == [("plain", "Plain")]


def test_an_unknown_identifier_is_a_clear_error(greeters):
    with pytest.raises(UnknownPluginError) as caught:
        greeters["loud"]
    assert str(caught.value) == "No greeter is registered as 'loud' (known: plain, shy)."
    assert isinstance(caught.value, KeyError)  # `in`-less callers may catch KeyError


def test_a_second_plugin_under_a_taken_identifier_is_refused(greeters):
    with pytest.raises(DuplicatePluginError, match="The greeter 'plain' is already registered"):

        @greeters.register("plain")
        class Other(Greeter):
            verbose_name = _("Other")

    assert greeters["plain"].__name__ == "Plain"


def test_registering_the_same_class_again_is_harmless(greeters):
    plain = greeters["plain"]
    greeters.register("plain")(plain)  # a module imported twice under two names
    assert greeters["plain"] is plain


@pytest.mark.parametrize("identifier", ["", "Email", "e mail", "-x", "ø"])
def test_identifiers_are_simple_lower_case_words(greeters, identifier):
    class Odd(Greeter):
        verbose_name = _("Odd")

    with pytest.raises(RegistryError, match="is not a valid greeter identifier"):
        greeters.register(identifier)(Odd)


def test_a_plugin_needs_a_verbose_name_and_the_plugin_base(greeters):
    class Nameless(Greeter):
        pass

    with pytest.raises(RegistryError, match="needs a verbose_name"):
        greeters.register("nameless")(Nameless)
    with pytest.raises(RegistryError, match="must be a subclass of Plugin"):
        greeters.register("str")(str)  # type: ignore[type-var]


def test_a_test_registers_a_plugin_for_a_with_block_only(greeters):
    class Loud(Greeter):
        verbose_name = _("Loud")

        def greet(self, name: str) -> str:
            return f"HELLO {name.upper()}"

    with greeters.temporarily("loud", Loud) as loud:
        assert greeters["loud"] is loud and loud.identifier == "loud"
    assert "loud" not in greeters
    assert Loud.identifier == ""


def test_a_test_may_stand_in_for_a_registered_plugin(greeters):
    plain = greeters["plain"]

    class Stand(Greeter):
        verbose_name = _("Stand-in")

    with pytest.raises(DuplicatePluginError), greeters.temporarily("plain", Stand):
        pass
    with greeters.temporarily("plain", Stand, replace=True):
        assert greeters["plain"] is Stand
    assert greeters["plain"] is plain and plain.identifier == "plain"
    assert Stand.identifier == ""
