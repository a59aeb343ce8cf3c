"""Devices that own their sockets: the sockets are created where the device runs (the
calling thread, a background thread or a child process), from queued bind/connect/option
requests, so a Socket never crosses threads."""

from __future__ import annotations

import multiprocessing
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Tuple, Type, Union

import zmq
from zmq.backend import device

# names pyzmq's module has (programs import them from here)
from zmq.constants import ENOTSOCK, ETERM, PUSH, QUEUE  # noqa: F401

# (method name, argument) requests applied to one socket, in the order they were made
_Request = Tuple[str, Tuple[Any, ...]]


def _reserve_port(addr: str, taken: List[str], *args: int, **kwargs: int) -> int:
    """A currently free port on interface ``addr`` that is not one of the endpoints in
    ``taken`` (found by binding and closing a socket here, before the device runs; as
    with any reservation, another process could take it in between).

    The probe binds the ``taken`` endpoints first, so the random search cannot return
    one of them and fails with ZMQBindError once the range holds no other free port."""
    ctx = zmq.Context()
    try:
        with ctx.socket(zmq.PUB) as probe:
            for endpoint in taken:
                try:
                    probe.bind(endpoint)
                except zmq.ZMQError:
                    pass  # already taken by someone else: excluded all the same
            return probe.bind_to_random_port(addr, *args, **kwargs)
    finally:
        ctx.term()


class Device:
    """A libzmq device (``zmq.device``) between two sockets it creates itself.

    The sockets are made where the device runs (with ``context_factory()``) and
    configured with what was queued by ``bind_in``/``connect_in``/``setsockopt_in`` (and
    the ``_out`` variants), so no socket crosses threads. :meth:`start` runs the device
    in the calling thread (it returns when the device stops); :class:`ThreadDevice` and
    :class:`ProcessDevice` run it in the background.

    Parameters
    ----------
    device_type : int
        ``zmq.QUEUE``, ``zmq.FORWARDER`` or ``zmq.STREAMER``.
    in_type : int
        The socket type of the in-socket (e.g. ``zmq.ROUTER``).
    out_type : int
        The socket type of the out-socket (e.g. ``zmq.DEALER``); negative: the
        in-socket serves as both sides.

    Attributes
    ----------
    daemon : bool
        Whether the background thread/process is a daemon (default True).
    done : bool
        True once the device has stopped.

    Raises
    ------
    TypeError
        If ``in_type`` or ``out_type`` is missing.
    """

    context_factory: Callable[[], zmq.Context] = zmq.Context.instance

    daemon: bool
    done: bool
    launcher: Any = None

    def __init__(
        self,
        device_type: int = zmq.QUEUE,
        in_type: Optional[int] = None,
        out_type: Optional[int] = None,
    ) -> None:
        if in_type is None:
            raise TypeError("in_type must be specified")
        if out_type is None:
            raise TypeError("out_type must be specified")
        self.device_type = device_type
        self.in_type = in_type
        self.out_type = out_type
        self.daemon = True
        self.done = False
        self._requests: Dict[str, List[_Request]] = {}
        # endpoints reserved by *_to_random_port: never handed out twice
        self._reserved: List[str] = []
        self._sockets: List[zmq.Socket] = []
        self._context: Optional[zmq.Context] = None

    # -- queued configuration (applied in the device's own thread/process) --

    def _enqueue(self, role: str, method: str, *args: Any) -> None:
        self._requests.setdefault(role, []).append((method, args))

    def _enqueue_random_port(self, role: str, addr: str, *args: int, **kwargs: int) -> int:
        port = _reserve_port(addr, self._reserved, *args, **kwargs)
        self._reserved.append(f"{addr}:{port}")
        self._enqueue(role, "bind", f"{addr}:{port}")
        return port

    def bind_in(self, addr: str) -> None:
        """Queue ``in_socket.bind(addr)``, done when the device starts.

        Parameters
        ----------
        addr : str
            The endpoint, as for :meth:`zmq.Socket.bind`.
        """
        self._enqueue("in", "bind", addr)

    def bind_in_to_random_port(self, addr: str, *args: int, **kwargs: int) -> int:
        """Reserve a free port now and queue binding ``in_socket`` to it.

        Parameters
        ----------
        addr : str
            ``tcp://`` and an interface, e.g. ``"tcp://127.0.0.1"``.
        *args, **kwargs
            ``min_port``, ``max_port``, ``max_tries``, as for
            :meth:`zmq.Socket.bind_to_random_port`.

        Returns
        -------
        int
            The port.
        """
        return self._enqueue_random_port("in", addr, *args, **kwargs)

    def connect_in(self, addr: str) -> None:
        """Queue ``in_socket.connect(addr)``, done when the device starts.

        Parameters
        ----------
        addr : str
            The endpoint, as for :meth:`zmq.Socket.connect`.
        """
        self._enqueue("in", "connect", addr)

    def setsockopt_in(self, opt: int, value: Any) -> None:
        """Queue ``in_socket.setsockopt(opt, value)``, done when the device starts.

        Parameters
        ----------
        opt : int
            A ``zmq.SocketOption``.
        value : int, bytes or str
            Its value.
        """
        self._enqueue("in", "setsockopt", opt, value)

    def bind_out(self, addr: str) -> None:
        self._enqueue("out", "bind", addr)

    def bind_out_to_random_port(self, addr: str, *args: int, **kwargs: int) -> int:
        return self._enqueue_random_port("out", addr, *args, **kwargs)

    def connect_out(self, addr: str) -> None:
        self._enqueue("out", "connect", addr)

    def setsockopt_out(self, opt: int, value: Any) -> None:
        self._enqueue("out", "setsockopt", opt, value)

    # -- running --

    def _make_socket(self, socket_type: int, *roles: str) -> zmq.Socket:
        """A new socket of ``socket_type`` with the requests of ``roles`` applied: options
        first, then binds, then connects."""
        assert self._context is not None
        sock = self._context.socket(socket_type)
        self._sockets.append(sock)
        requests = [request for role in roles for request in self._requests.get(role, [])]
        for wanted in ("setsockopt", "bind", "connect"):
            for method, args in requests:
                if method == wanted:
                    getattr(sock, method)(*args)
        return sock

    def _setup_sockets(self) -> Tuple[zmq.Socket, ...]:
        self._context = self.context_factory()
        if self.out_type < 0:
            # one socket is both sides: it takes the out-side requests too
            ins = self._make_socket(self.in_type, "in", "out")
            return ins, ins
        return self._make_socket(self.in_type, "in"), self._make_socket(self.out_type, "out")

    def _close_sockets(self) -> None:
        for sock in self._sockets:
            sock.close(linger=0)
        self._sockets = []

    def run_device(self) -> None:
        """Create the sockets and run the device until it stops (called by :meth:`run`)."""
        ins, outs = self._setup_sockets()
        device(self.device_type, ins, outs)

    def run(self) -> None:
        """Run the device here; a terminated context (ETERM) is a normal stop."""
        try:
            self.run_device()
        except zmq.ContextTerminated:
            pass
        finally:
            self.done = True
            self._close_sockets()

    def start(self) -> None:
        """Run the device in the calling thread; returns when it has stopped."""
        self.run()

    def join(self, timeout: Optional[float] = None) -> None:
        """Wait until the device has stopped.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait at most (None: until it stops).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        # a foreground device has stopped by the time start() returns: this loop only
        # runs when another thread called start()
        while not self.done and (deadline is None or time.monotonic() < deadline):
            time.sleep(0.01)

    def __getstate__(self) -> Dict[str, Any]:
        # a ProcessDevice may be pickled into a spawned child: send only the plan
        state = self.__dict__.copy()
        state.update(launcher=None, _context=None, _sockets=[])
        return state


def _document_role(cls: type, role: str) -> None:
    """Give ``cls``'s ``*_<role>`` configuration methods the documentation of the
    ``*_in`` ones, about their own socket."""
    for template in ("bind_in", "connect_in", "setsockopt_in", "bind_in_to_random_port"):
        doc = getattr(Device, template).__doc__.replace("in_socket", f"{role}_socket")
        getattr(cls, template.replace("_in", f"_{role}", 1)).__doc__ = doc


_document_role(Device, "out")


class BackgroundDevice(Device):
    """A Device run by ``_launch_class(target=self.run)`` (a Thread or a Process)."""

    _launch_class: Union[Type[threading.Thread], Callable[..., Any]]

    def start(self) -> None:
        """Start the device in the background and return at once."""
        self.launcher = self._launch_class(target=self.run)
        self.launcher.daemon = self.daemon
        self.launcher.start()

    def join(self, timeout: Optional[float] = None) -> None:
        """Wait for the background thread or process to end.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait at most (None: until it ends).
        """
        if self.launcher is not None:
            self.launcher.join(timeout=timeout)


class ThreadDevice(BackgroundDevice):
    """A Device run in a background thread (sockets from ``Context.instance()``)."""

    _launch_class = threading.Thread


class ProcessDevice(BackgroundDevice):
    """A Device run in a child process (``multiprocessing.Process``) with its own new
    Context."""

    _launch_class = multiprocessing.Process
    context_factory: Callable[[], zmq.Context] = zmq.Context


__all__ = ["Device", "ThreadDevice", "ProcessDevice"]
