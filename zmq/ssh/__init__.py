"""Connect zmq sockets through SSH tunnels (``zmq.ssh.tunnel_connection``)."""

from __future__ import annotations

from zmq.ssh import forward as forward  # a submodule pyzmq's package imports too
from zmq.ssh import tunnel as _tunnel
from zmq.ssh.tunnel import *  # noqa: F403

__all__ = list(_tunnel.__all__)
