"""Version of this package (the pyzmq API level it implements) and of the linked libzmq."""

from __future__ import annotations

from typing import Tuple

from zmq.backend import zmq_version_info

__all__ = [
    "zmq_version",
    "zmq_version_info",
    "pyzmq_version",
    "pyzmq_version_info",
    "__version__",
    "__revision__",
]

#: kept equal to pyproject.toml's version (tests/sugar/test_version.py checks)
__version__ = "27.3.0.1"
#: no VCS revision is recorded in releases
__revision__ = ""

version_info: Tuple[int, ...] = tuple(int(part) for part in __version__.split("."))
VERSION_MAJOR, VERSION_MINOR, VERSION_PATCH = version_info[:3]
#: what follows MAJOR.MINOR.PATCH in __version__: ".1", our own release of that API level
VERSION_EXTRA: str = __version__[len(f"{VERSION_MAJOR}.{VERSION_MINOR}.{VERSION_PATCH}") :]


def pyzmq_version() -> str:
    """This package's version string, the pyzmq API level it implements plus our own
    release number, e.g. ``"27.3.0.1"``.

    Returns
    -------
    str
    """
    return f"{__version__}+{__revision__[:7]}" if __revision__ else __version__


def pyzmq_version_info() -> Tuple[int, ...]:
    """This package's version as a tuple of ints, e.g. ``(27, 3, 0, 1)``.

    Returns
    -------
    tuple of int
    """
    return version_info


def zmq_version() -> str:
    """The version of the linked libzmq, e.g. ``"4.3.4"``.

    Returns
    -------
    str
    """
    return "{}.{}.{}".format(*zmq_version_info())
