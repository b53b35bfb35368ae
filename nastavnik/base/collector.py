"""Python's cyclic garbage collector, paused around work that makes tens of thousands of objects
that all live to its end (a class list import, a matching run)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: each full collection walked every one of the
    objects again (a tenth of an import's write). Reference counting still frees what is
    dropped; the collector comes back after (process-wide: other threads go without it too)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
