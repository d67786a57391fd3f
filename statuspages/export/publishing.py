"""Replacing an export atomically: readers see the old site or the new, never half of each.

``DIR`` is a symlink to a sibling directory ``.DIR.<ulid>``. A new export is written to a
new sibling, then a new symlink is renamed over ``DIR`` (``rename(2)`` is atomic), then
the old sibling is removed. A static server that resolves ``DIR`` per request (nginx
does) serves either tree whole. One export of a directory at a time (an exclusive
``flock`` on ``.DIR.lock``): a second waits, then renders what is current by then, so an
older rendering never replaces a newer one.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from core.models import new_ulid

from .site import ExportError


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    with open(directory.parent / f".{directory.name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _siblings(directory: Path) -> list[Path]:
    return [p for p in directory.parent.glob(f".{directory.name}.*") if p.is_dir() and not p.is_symlink()]


def _ours(directory: Path) -> bool:
    """``directory`` is a symlink an export made (to a sibling ``.<name>.<id>``)."""
    return directory.is_symlink() and os.readlink(directory).startswith(f".{directory.name}.")


def current(directory: Path) -> Path | None:
    """The tree ``directory`` serves now (None: no export yet)."""
    return directory.parent / os.readlink(directory) if _ours(directory) else None


def replace(directory: Path, build: Callable[[Path], object]) -> Path:
    """Run ``build(tree)`` on a new, empty sibling tree, then make ``directory`` serve it.
    ``directory`` must be an export already, absent, or an empty directory; anything else
    is refused, never overwritten."""
    directory = Path(os.path.abspath(directory))
    directory.parent.mkdir(parents=True, exist_ok=True)
    empty_directory = directory.is_dir() and not directory.is_symlink() and not any(directory.iterdir())
    if (directory.exists() or directory.is_symlink()) and not (_ours(directory) or empty_directory):
        raise ExportError(f"{directory} exists and is not an export: refusing to replace it")
    with _locked(directory):
        serving = current(directory)
        for leftover in _siblings(directory):  # of an export that crashed
            if leftover != serving:
                shutil.rmtree(leftover, ignore_errors=True)
        tree = directory.parent / f".{directory.name}.{new_ulid()}"
        tree.mkdir()
        try:
            build(tree)
            link = directory.parent / f".{directory.name}.link"
            link.unlink(missing_ok=True)
            # Relative: the pair can be moved, or copied by rsync -l, and still point right.
            link.symlink_to(tree.name, target_is_directory=True)
            if directory.is_dir() and not directory.is_symlink():
                directory.rmdir()  # empty (checked above): the first export, in place of nothing
            os.replace(link, directory)
        except BaseException:
            shutil.rmtree(tree, ignore_errors=True)
            raise
        if serving is not None and serving != tree:
            shutil.rmtree(serving, ignore_errors=True)
    return tree


def remove(directory: Path) -> bool:
    """Take an export down (its page went private or away); False: there was none."""
    directory = Path(os.path.abspath(directory))
    if not _ours(directory):
        return False
    with _locked(directory):
        serving = current(directory)
        directory.unlink()
        for tree in _siblings(directory):
            if tree == serving or tree.name.startswith(f".{directory.name}."):
                shutil.rmtree(tree, ignore_errors=True)
    return True
