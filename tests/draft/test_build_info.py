"""Whether the draft API is on is visible: zmq.DRAFT_API, the build info, python -m zmq."""

from __future__ import annotations

from subprocess_support import run_python

import zmq
from zmq._build_info import BUILD_INFO


def test_draft_flags_agree() -> None:
    assert zmq.PYZMQ_DRAFT_API is BUILD_INFO["draft_api"]
    assert zmq.DRAFT_API == (BUILD_INFO["draft_api"] and zmq.has("draft"))


def test_python_m_zmq_says_whether_drafts_are_on() -> None:
    result = run_python("import runpy; runpy.run_module('zmq', run_name='__main__')")
    assert result.returncode == 0, result.stderr
    expected = "draft API: on" if zmq.DRAFT_API else "draft API: off"
    assert expected in result.stdout, result.stdout


def test_draft_build_is_visible(draft: None) -> None:
    assert BUILD_INFO["draft_api"] is True
    assert BUILD_INFO["capabilities"]["draft"] is True
    assert zmq.SERVER == 12 and zmq.DISH == 15 and zmq.SocketType.CHANNEL == 20
