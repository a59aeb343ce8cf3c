"""Run an :class:`~zmq.auth.Authenticator` in a background thread.

The thread answers ZAP requests until it is told to stop through an inproc PAIR pipe;
configuration calls (``allow``, ``configure_plain``, ...) are made on the authenticator
from any thread and take effect for the next request.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, List, Optional

import zmq
from zmq.auth.base import Authenticator

_TERMINATE = b"TERMINATE"
_START_TIMEOUT = 10.0


class AuthenticationThread(threading.Thread):
    """The thread behind :class:`ThreadAuthenticator`: polls the authenticator's ZAP
    socket and the control ``pipe`` (a PAIR socket) until ``TERMINATE`` arrives."""

    #: the Poller over the pipe and the ZAP socket, once running
    poller: Optional[zmq.Poller] = None

    def __init__(self, authenticator: Authenticator, pipe: zmq.Socket) -> None:
        super().__init__(daemon=True)
        self.authenticator = authenticator
        self.log = authenticator.log
        self.pipe = pipe
        self.started = threading.Event()

    def run(self) -> None:
        """Serve ZAP requests until told to stop or the context is terminated."""
        # handle_zap_message is a coroutine (a CURVE callback may be awaitable): each
        # request runs to completion on this thread's own event loop
        loop = asyncio.new_event_loop()
        try:
            self._serve(loop)
        finally:
            loop.close()
            self.pipe.close()

    def _serve(self, loop: asyncio.AbstractEventLoop) -> None:
        zap = self.authenticator.zap_socket
        assert zap is not None
        self.poller = poller = zmq.Poller()
        poller.register(self.pipe, zmq.POLLIN)
        poller.register(zap, zmq.POLLIN)
        self.started.set()
        while True:
            try:
                events = dict(poller.poll())
            except zmq.ContextTerminated:
                zap.close()  # term() waits for every socket: it cannot wait for stop()
                return
            if self.pipe in events and self._handle_pipe_message(self.pipe.recv_multipart()):
                return
            if zap in events:
                loop.run_until_complete(self.authenticator.handle_zap_message(zap.recv_multipart()))

    def _handle_pipe_message(self, msg: List[bytes]) -> bool:
        """True when ``msg`` tells the thread to stop."""
        if msg[0] == _TERMINATE:
            return True
        self.log.error("Invalid auth command from API: %r", msg)
        return False


class ThreadAuthenticator(Authenticator):
    """An :class:`~zmq.auth.Authenticator` whose ZAP requests are answered in a background
    thread.

    Use ``start()``, configure (``allow``, ``configure_curve``, ...), and ``stop()`` when
    done::

        auth = ThreadAuthenticator(ctx)
        auth.start()
        auth.configure_curve(domain="*", location="public_keys")

    Parameters
    ----------
    context, encoding, log
        As for :class:`~zmq.auth.Authenticator`.
    """

    pipe: Optional[zmq.Socket]
    pipe_endpoint: str = ""
    thread: Optional[AuthenticationThread]

    def __init__(
        self,
        context: Optional[zmq.Context] = None,
        encoding: str = "utf-8",
        log: Any = None,
    ) -> None:
        super().__init__(context=context, encoding=encoding, log=log)
        self.pipe = None
        self.pipe_endpoint = f"inproc://zmq.auth.thread-{id(self)}"
        self.thread = None

    def start(self) -> None:
        """Bind the ZAP socket and start answering requests in the background."""
        super().start()
        self.pipe = self.context.socket(zmq.PAIR, socket_class=zmq.Socket)
        self.pipe.linger = 1
        self.pipe.bind(self.pipe_endpoint)
        thread_end = self.context.socket(zmq.PAIR, socket_class=zmq.Socket)
        thread_end.linger = 1
        thread_end.connect(self.pipe_endpoint)
        self.thread = AuthenticationThread(self, thread_end)
        self.thread.start()
        if not self.thread.started.wait(_START_TIMEOUT):
            raise RuntimeError("Authenticator thread failed to start")

    def stop(self) -> None:
        """Stop the thread (waiting for it) and close the sockets."""
        if self.pipe is not None:
            if self.is_alive():
                self.pipe.send(_TERMINATE)
                assert self.thread is not None
                self.thread.join()
            self.pipe.close()
            self.pipe = None
        self.thread = None
        super().stop()

    def is_alive(self) -> bool:
        """Whether the authentication thread is running."""
        return self.thread is not None and self.thread.is_alive()

    def __del__(self) -> None:
        # a forgotten authenticator must not leave its thread serving a dead object
        if getattr(self, "pipe", None) is not None:
            try:
                self.stop()
            except zmq.ZMQError:
                pass


__all__ = ["ThreadAuthenticator"]
