"""Archive targets (where an export goes) as plugins. The export is always written as
files into a directory first, checked against the schemas; a target says where that
directory is and hands its contents on.

`directory` writes straight into a directory on this machine, from which an operator
moves the export to the archive (the municipality's own archive, an IKA or Arkivverket).
A target that delivers to an archive system's API registers in `archive_targets` the same
way: it stages into a temporary directory and uploads in `deliver`. See docs/plugins.md.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samvirke.archive.errors import ArchiveErrorCode
from samvirke.core.registry import Plugin, Registry


class ArchiveTarget(Plugin):
    """Where an archive export goes. `destination` is what the operator gave
    (`--output`): a path for the directory target, a name of a configured archive
    system for others."""

    def destination_check(self, *, destination: str) -> None:
        """Raises ValidationError (with a code) when nothing can be delivered there;
        called before any work is done."""

    @contextmanager
    def staging(self, *, destination: str) -> Iterator[Path]:
        """An empty directory to write the export into. On an exception the
        destination is left as it was found."""
        raise NotImplementedError
        yield  # pragma: no cover  (makes this a generator, as the subclasses' are)

    def deliver(self, *, directory: Path, destination: str) -> str:
        """Hands the finished export on; returns where it went, for the audit event and
        the operator's message."""
        raise NotImplementedError


archive_targets: Registry[ArchiveTarget] = Registry(gettext_lazy("archive target"))


@archive_targets.register("directory")
class DirectoryTarget(ArchiveTarget):
    """Writes the export into an empty (or new) directory on this machine."""

    verbose_name = gettext_lazy("A directory on this machine")

    def destination_check(self, *, destination: str) -> None:
        path = Path(destination)
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise ValidationError(
                _("The output directory %(path)s is not empty; an export needs an empty one.")
                % {"path": path},
                code=ArchiveErrorCode.OUTPUT_NOT_EMPTY,
            )

    @contextmanager
    def staging(self, *, destination: str) -> Iterator[Path]:
        path = Path(destination)
        created = not path.exists()
        path.mkdir(parents=True, exist_ok=True)
        try:
            yield path
        except BaseException:
            _empty(path, remove=created)
            raise

    def deliver(self, *, directory: Path, destination: str) -> str:
        return str(directory)  # written in place: already there


def _empty(output_dir: Path, *, remove: bool) -> None:
    """Leaves the directory as it was found: removed if the export made it, else empty."""
    if not output_dir.exists():
        return
    if remove:
        shutil.rmtree(output_dir, ignore_errors=True)
        return
    for child in output_dir.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
