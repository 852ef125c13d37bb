"""One shape for every extension point: a plugin is a small class with an `identifier`
and a translatable `verbose_name`, registered in the registry of its kind with
`@registry.register("identifier")`. Settings and command-line options name a plugin by
its identifier; code looks it up with `registry["identifier"]`.

The shape follows Open Forms' plugin registry. A kind of plugin is a base class (say
`NotificationChannel(Plugin)`) and one `Registry` instance next to it in the app that
owns the extension point:

    notification_channels: Registry[NotificationChannel] = Registry(_("notification channel"))

    @notification_channels.register("email")
    class EmailChannel(NotificationChannel):
        verbose_name = _("E-mail")

        def deliver(self, ...): ...

The registry holds the plugin *classes*: some kinds are configured once per use (an eID
provider kind is instantiated once per configured provider), others are stateless and
are instantiated where they are used. A second plugin under an identifier already taken
is refused at import time, so two apps cannot silently replace each other's plugin; a
test that needs a plugin of its own registers it for the duration of a `with` block
(`registry.temporarily(...)`). docs/plugins.md lists every registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ClassVar, Generic, TypeVar

from django.utils.functional import Promise

IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class RegistryError(Exception):
    """A plugin registry was used wrongly: a bad or duplicate identifier."""


class DuplicatePluginError(RegistryError):
    """Two plugins claim one identifier in the same registry."""


class UnknownPluginError(RegistryError, KeyError):
    """No plugin is registered under the identifier asked for."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return str(self.args[0]) if self.args else ""


class Plugin:
    """The base class of every plugin. A kind of plugin subclasses it with the methods
    its callers use (`deliver`, `scan`, ...); each plugin subclasses that."""

    identifier: ClassVar[str] = ""
    """Set by `Registry.register`: the name settings and options use for this plugin."""

    verbose_name: ClassVar[str | Promise] = ""
    """What an operator reads in lists and messages; translatable (gettext_lazy)."""

    @classmethod
    def is_enabled(cls) -> bool:
        """Whether the plugin can be used in this installation (a plugin that needs a
        setting or a program may say no when it is missing). Enabled by default."""
        return True


P = TypeVar("P", bound=Plugin)


class Registry(Generic[P]):
    """The plugins of one kind, by identifier, in the order they were registered."""

    def __init__(self, name: str | Promise) -> None:
        self.name = name  # "notification channel": used in error messages
        self._plugins: dict[str, type[P]] = {}

    def register(self, identifier: str) -> Callable[[type[P]], type[P]]:
        """A class decorator: `@registry.register("email")`. Sets the class's
        `identifier`; refuses an identifier already taken."""

        def decorator(plugin: type[P]) -> type[P]:
            self._add(identifier, plugin, replace=False)
            return plugin

        return decorator

    def _add(self, identifier: str, plugin: type[P], *, replace: bool) -> None:
        if not IDENTIFIER.match(identifier):
            raise RegistryError(
                f"{identifier!r} is not a valid {self.name} identifier: use lower-case "
                "letters, digits, '-' and '_'."
            )
        if not (isinstance(plugin, type) and issubclass(plugin, Plugin)):
            raise RegistryError(f"A {self.name} must be a subclass of Plugin, not {plugin!r}.")
        if not plugin.verbose_name:
            raise RegistryError(f"The {self.name} {plugin.__qualname__} needs a verbose_name.")
        existing = self._plugins.get(identifier)
        if existing is not None and existing is not plugin and not replace:
            raise DuplicatePluginError(
                f"The {self.name} {identifier!r} is already registered "
                f"({existing.__module__}.{existing.__qualname__}); "
                f"{plugin.__module__}.{plugin.__qualname__} cannot take it too."
            )
        plugin.identifier = identifier
        self._plugins[identifier] = plugin

    def __getitem__(self, identifier: str) -> type[P]:
        try:
            return self._plugins[identifier]
        except KeyError:
            known = ", ".join(self._plugins) or "none"
            raise UnknownPluginError(
                f"No {self.name} is registered as {identifier!r} (known: {known})."
            ) from None

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._plugins

    def __iter__(self) -> Iterator[type[P]]:
        return iter(list(self._plugins.values()))

    def __len__(self) -> int:
        return len(self._plugins)

    def identifiers(self) -> list[str]:
        return list(self._plugins)

    def enabled(self) -> list[type[P]]:
        """The plugins that say they can be used in this installation."""
        return [plugin for plugin in self._plugins.values() if plugin.is_enabled()]

    def choices(self) -> list[tuple[str, str]]:
        """(identifier, verbose name) of the enabled plugins, for a form or a help text."""
        return [(plugin.identifier, str(plugin.verbose_name)) for plugin in self.enabled()]

    @contextmanager
    def temporarily(
        self, identifier: str, plugin: type[P], *, replace: bool = False
    ) -> Iterator[type[P]]:
        """Registers `plugin` for the duration of a `with` block (for tests); with
        `replace=True` it stands in for the plugin already registered there. Afterwards
        the registry is as it was."""
        previous = self._plugins.get(identifier)
        previous_identifier = plugin.__dict__.get("identifier")
        self._add(identifier, plugin, replace=replace)
        try:
            yield plugin
        finally:
            if previous is None:
                del self._plugins[identifier]
            else:
                self._plugins[identifier] = previous
                previous.identifier = identifier
            if previous is not plugin:
                if previous_identifier is None:
                    del plugin.identifier
                else:
                    plugin.identifier = previous_identifier

    def __repr__(self) -> str:
        return f"<Registry of {self.name}: {', '.join(self._plugins) or 'empty'}>"
