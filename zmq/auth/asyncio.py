"""Run an :class:`~zmq.auth.Authenticator` as a task on the running asyncio loop."""

from __future__ import annotations

import asyncio
import warnings
from typing import Any, Optional

import zmq
from zmq.asyncio import Socket as AsyncSocket
from zmq.auth.base import Authenticator


class AsyncioAuthenticator(Authenticator):
    """An Authenticator whose ZAP requests are answered by a task of the asyncio event loop.

    Call :meth:`start` while the loop runs (in a coroutine), :meth:`stop` when done.

    Parameters
    ----------
    context, encoding, log
        As for :class:`~zmq.auth.Authenticator`.
    loop : optional
        Deprecated and ignored (DeprecationWarning): the task runs on the loop running
        when :meth:`start` is called.
    """

    def __init__(
        self,
        context: Optional[zmq.Context] = None,
        loop: Any = None,
        encoding: str = "utf-8",
        log: Any = None,
    ) -> None:
        super().__init__(context, encoding, log)
        if loop is not None:
            warnings.warn(
                f"{type(self).__name__}(loop=...) is deprecated and ignored: the task runs"
                " on the loop running when start() is called",
                DeprecationWarning,
                stacklevel=2,
            )
        self._zap_async: Optional[AsyncSocket] = None
        self._task: Optional[asyncio.Future[None]] = None

    async def _serve(self) -> None:
        assert self._zap_async is not None
        while True:
            await self.handle_zap_message(await self._zap_async.recv_multipart())

    def start(self) -> None:
        """Bind the ZAP socket and start answering requests on the running loop."""
        super().start()
        # an asyncio view of the same libzmq socket: its close() drops its event-loop
        # reader at once, before the socket's fd can be reused (a cancelled poll on the
        # plain socket would drop the reader later, possibly from a new socket on that fd)
        assert self.zap_socket is not None
        self._zap_async = AsyncSocket.from_socket(self.zap_socket)
        self._task = asyncio.ensure_future(self._serve())

    def stop(self) -> None:
        """Cancel the task and close the ZAP socket."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._zap_async is not None:
            self._zap_async.close()
            self._zap_async = None
        super().stop()


__all__ = ["AsyncioAuthenticator"]
