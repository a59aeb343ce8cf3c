"""Run Python code in a child process that imports the same ``zmq`` as the tests.

The suite runs against an installed package (a venv, a wheel) as well as an in-place
build. A child started with the source tree as its working directory or on its path
would import the source checkout instead, which has no compiled extensions after
``pip install .``. So children run in a neutral directory with the directory the tests
imported ``zmq`` from put first on PYTHONPATH.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import zmq

#: The directory that holds the ``zmq`` package under test.
ZMQ_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(zmq.__file__)))


def child_env(overrides: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """os.environ with ZMQ_PARENT first on PYTHONPATH; a None override removes a name."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [ZMQ_PARENT, env.get("PYTHONPATH")]))
    for key, value in (overrides or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


#: Run first in every child: a suite started from a background shell job inherits SIGINT
#: ignored, and Python then installs no KeyboardInterrupt handler in its children.
SIGINT_DEFAULT = "import signal as _s; _s.signal(_s.SIGINT, _s.default_int_handler); del _s\n"


def python_cmd(code: str, python_args: Sequence[str] = ()) -> list[str]:
    return [sys.executable, *python_args, "-c", SIGINT_DEFAULT + textwrap.dedent(code)]


def run_python(
    code: str,
    *,
    env: Mapping[str, str | None] | None = None,
    python_args: Sequence[str] = (),
    timeout: float = 60,
    **kwargs: Any,
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with ``python -c`` from a neutral directory; capture text output."""
    return subprocess.run(
        python_cmd(code, python_args),
        env=child_env(env),
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def popen_python(code: str, **kwargs: Any) -> subprocess.Popen[str]:
    """Start ``code`` with ``python -c`` from a neutral directory, pipes in text mode."""
    return subprocess.Popen(
        python_cmd(code),
        env=child_env(),
        cwd=tempfile.gettempdir(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def run_module(module: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m module *args`` from a neutral directory; capture text output."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        env=child_env(),
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
