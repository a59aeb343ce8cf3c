"""ZAP authentication on tornado's IOLoop (deprecated).

Tornado runs on asyncio, so :class:`zmq.auth.asyncio.AsyncioAuthenticator` serves tornado
applications too; this module remains so that code importing it keeps working.
Importing it warns with DeprecationWarning, as pyzmq's does.
"""

from __future__ import annotations

import warnings
from typing import Any, Optional

import zmq
from zmq.auth.asyncio import AsyncioAuthenticator

warnings.warn(
    "zmq.auth.ioloop.IOLoopAuthenticator is deprecated: use "
    "zmq.auth.asyncio.AsyncioAuthenticator (it works with tornado, which runs on asyncio)",
    DeprecationWarning,
    stacklevel=2,
)

__all__ = ["IOLoopAuthenticator"]


class IOLoopAuthenticator(AsyncioAuthenticator):
    """ZAP authentication on the event loop of a tornado IOLoop (deprecated).

    Parameters
    ----------
    context : zmq.Context, optional
        The context of the ZAP socket (``Context.instance()`` if omitted).
    encoding : str
        Encoding of user names and domains.
    log : logging.Logger, optional
        Logger for the authenticator's decisions.
    io_loop : tornado.ioloop.IOLoop, optional
        Deprecated and ignored (passing it warns): the authenticator runs on the
        event loop running when ``start()`` is called.
    """

    def __init__(
        self,
        context: Optional[zmq.Context] = None,
        encoding: str = "utf-8",
        log: Any = None,
        io_loop: Any = None,
    ) -> None:
        loop = None
        if io_loop is not None:
            warnings.warn(
                f"{type(self).__name__}(io_loop=...) is deprecated and ignored: the "
                "authenticator runs on the event loop running when start() is called",
                DeprecationWarning,
                stacklevel=2,
            )
            loop = io_loop.asyncio_loop
        super().__init__(context=context, loop=loop, encoding=encoding, log=log)
