"""The CFFI backend (out-of-line API mode): the default on PyPy, ``PYZMQ_BACKEND=cffi``
on CPython. The compiled part is ``_cffi_zmq`` (see buildutils/build_cffi.py).

Exports exactly ``zmq.backend._contract.PUBLIC_API``.
"""

from importlib import import_module

from zmq.backend._contract import PUBLIC_API

try:
    import_module(f"{__name__}._cffi_zmq")  # the compiled part; it imports _cffi_backend
except ImportError as e:
    raise ImportError(
        f"the zmq CFFI backend cannot load its extension ({e}): it needs the cffi package "
        "at run time (pip install cffi) and zmq.backend.cffi._cffi_zmq built for this "
        "interpreter (pip install ., or python setup.py build_ext --inplace)"
    ) from e

from .context import Context as Context
from .devices import device as device
from .devices import monitored_queue as monitored_queue
from .devices import proxy as proxy
from .devices import proxy_steerable as proxy_steerable
from .message import Frame as Frame
from .message import Message as Message
from .poll import zmq_poll as zmq_poll
from .socket import Socket as Socket
from .utils import IPC_PATH_MAX_LEN as IPC_PATH_MAX_LEN
from .utils import curve_keypair as curve_keypair
from .utils import curve_public as curve_public
from .utils import has as has
from .utils import strerror as strerror
from .utils import zmq_errno as zmq_errno
from .utils import zmq_version_info as zmq_version_info

__all__ = list(PUBLIC_API)
