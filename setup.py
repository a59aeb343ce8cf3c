"""Build wiring only; the logic lives in buildutils/ (see docs/ARCHITECTURE.md).

libzmq: ``python setup.py build_ext --zmq=PREFIX|bundled`` or ``ZMQ_PREFIX=...`` for pip;
otherwise pkg-config, then standard prefixes, then the bundled libzmq.
"""

import sys

if sys.version_info < (3, 9):  # noqa: UP036  (this guard must run before anything else)
    # %-formatting, not an f-string: this line must still parse on old interpreters
    sys.exit("zmq requires Python 3.9 or newer; this is Python %s." % sys.version.split()[0])  # noqa: UP031

import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import setuptools  # type: ignore[import-untyped, unused-ignore]
from setuptools import Distribution, setup  # type: ignore[import-untyped, unused-ignore]

from buildutils.build_ext import build_ext, make_extensions


class BinaryDistribution(Distribution):
    """Always run build_ext: it also writes zmq/_build_info.py beside the extensions."""

    def has_ext_modules(self) -> bool:
        return True


LICENSE = "BSD-3-Clause"


def license_metadata(setuptools_version: str) -> dict[str, str]:
    """The license as an SPDX expression (PEP 639) for setuptools 77 and newer, which
    deprecate every other form; as the plain License field for older ones, which reject
    the expression and are what distributions build with (without build isolation)."""
    major = int(setuptools_version.split(".")[0])
    return {"license_expression": LICENSE} if major >= 77 else {"license": LICENSE}


setup(
    **license_metadata(setuptools.__version__),
    distclass=BinaryDistribution,
    ext_modules=make_extensions(None, ""),
    cmdclass={"build_ext": build_ext},
)
