"""The items of an async Poller: which wait on a core, which on a descriptor.

Shared by the Pollers of zmq._future (asyncio, tornado futures) and zmq.green; each
adapter keeps its loop's own way of watching a descriptor.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Tuple

from zmq.backend import Socket as SocketBase
from zmq.constants import POLLIN

__all__ = ["watch_poll_items"]

_POLLIN = int(POLLIN)


def watch_poll_items(
    items: Iterable[Tuple[Any, int]],
    join: Callable[[Any, int], bool],
    watch: Callable[[Any, int], None],
) -> None:
    """Arrange for every ``(item, flags)`` registered with an async Poller to wake it.

    ``join(item, flags)`` adds a :class:`zmq._evcore.Watcher` to a socket the adapter's own core
    serves (its FD is that core's) and returns True, or returns False for any other
    item, which ``watch(item, flags)`` then watches: any other zmq socket for POLLIN on
    its ZMQ_FD (readable on every state change, whatever the flags asked), anything else
    (a descriptor, or an object with ``fileno()``) for the flags asked.
    """
    for item, flags in items:
        if not join(item, flags):
            watch(item, _POLLIN if isinstance(item, SocketBase) else flags)
