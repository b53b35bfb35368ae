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


def freeze_startup_objects() -> None:
    """Move what a started worker holds for its whole life (modules, models, the URL map) out of
    the collector's reach. A full collection walks every tracked object: with the start-up heap
    in it, a region's dashboard paused for some 100 ms every few dozen requests; frozen, a full
    collection walks only what requests left (3–8 ms). Garbage is collected first, so none is
    kept for ever; what is frozen is never collected, which is what start-up objects need."""
    from django.urls import get_resolver

    # The URL map is loaded, and its reverse lookup built, at the first request: both now.
    get_resolver().reverse_dict  # noqa: B018
    gc.collect()
    gc.freeze()
