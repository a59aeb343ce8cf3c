"""MessageTracker lives in the leaf zmq._tracker (below the backends) and is pyzmq's
zmq.sugar.tracker.MessageTracker for users: same object, name, pickles and types."""

from __future__ import annotations

import importlib.util
import pickle
import site
import subprocess
import sys
import sysconfig

import pytest
from subprocess_support import ZMQ_PARENT, child_env

import zmq
import zmq._tracker
import zmq.sugar.tracker


def test_one_class_under_pyzmqs_path() -> None:
    # (objects: type checkers see the stub's class and the leaf's as two types)
    leaf_class: object = zmq._tracker.MessageTracker
    leaf_finished: object = zmq._tracker._FINISHED_TRACKER
    assert zmq.MessageTracker is zmq.sugar.tracker.MessageTracker is leaf_class
    assert zmq.sugar.tracker._FINISHED_TRACKER is leaf_finished
    assert zmq.MessageTracker.__module__ == "zmq.sugar.tracker"
    assert repr(zmq.sugar.tracker._FINISHED_TRACKER).startswith(
        "<zmq.sugar.tracker.MessageTracker object at"
    )


def test_trackers_pickle_by_pyzmqs_path() -> None:
    data = pickle.dumps(zmq.sugar.tracker._FINISHED_TRACKER)
    assert b"zmq.sugar.tracker" in data and b"zmq._tracker" not in data
    copy = pickle.loads(data)
    assert isinstance(copy, zmq.MessageTracker) and copy.done


def test_backends_make_the_same_class() -> None:
    frame = zmq.Frame(b"x" * 100_000, track=True)
    assert type(frame.tracker) is zmq.sugar.tracker.MessageTracker


def site_dirs() -> set[str]:
    paths = sysconfig.get_paths()
    return {paths["purelib"], paths["platlib"], *site.getsitepackages()}


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="needs mypy (dev extra)")
@pytest.mark.timeout(300)
def test_the_type_stub_matches_the_class(tmp_path: object) -> None:
    """zmq/sugar/tracker.pyi (type checkers' view, under pyzmq's name) against run time."""
    proc = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "zmq.sugar.tracker", "--ignore-missing-stub"],
        # a source tree goes on MYPYPATH; an installed package is found by mypy itself
        # (which refuses site-packages on MYPYPATH)
        env=child_env({"MYPYPATH": None if ZMQ_PARENT in site_dirs() else ZMQ_PARENT}),
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
