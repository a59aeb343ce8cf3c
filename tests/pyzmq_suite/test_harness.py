"""tools/pyzmq_suite.py: how outcomes are read and how the verdict is reached.

The real runs (pyzmq's suite against ours and against pyzmq) happen in ci/test.sh; these
tests check the bookkeeping that decides whether such a run passes.
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_tool() -> Any:
    spec = importlib.util.spec_from_file_location("pyzmq_suite", ROOT / "tools" / "pyzmq_suite.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["pyzmq_suite"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


suite = _load_tool()


def line(test: str, when: str, outcome: str, xfail: bool = False, reason: str = "") -> str:
    fields = {"id": test, "when": when, "outcome": outcome, "xfail": xfail}
    return json.dumps({**fields, "reason": reason} if reason else fields)


def test_outcomes_fold_the_phases_of_each_test() -> None:
    lines = [
        *(line("t::ok", w, "passed") for w in ("setup", "call", "teardown")),
        line("t::fails", "setup", "passed"),
        line("t::fails", "call", "failed"),
        line("t::fails", "teardown", "passed"),
        line("t::bad_setup", "setup", "failed"),
        line("t::bad_setup", "teardown", "passed"),
        line("t::bad_teardown", "setup", "passed"),
        line("t::bad_teardown", "call", "passed"),
        line("t::bad_teardown", "teardown", "failed"),
        line("t::skipped", "setup", "skipped", reason="requires numpy"),
        line("t::not_cffi", "setup", "skipped", reason="Doesn't work on CFFI backend"),
        line("t::xfail", "setup", "passed"),
        line("t::xfail", "call", "skipped", xfail=True),
        line("t::xpass", "setup", "passed"),
        line("t::xpass", "call", "passed", xfail=True),
        line("t_mod.py", "collect", "failed"),
        "",
    ]
    assert suite.outcomes_from_lines(lines) == {
        "t::ok": "passed",
        "t::fails": "failed",
        "t::bad_setup": "error",
        "t::bad_teardown": "error",
        "t::skipped": "skipped",
        "t::not_cffi": suite.SKIPPED_FOR_CFFI,
        "t::xfail": "xfailed",
        "t::xpass": "xpassed",
        "t_mod.py": "error",
    }


def diff(test: str, *configs: str) -> Any:
    return suite.Difference(test, "why", frozenset(configs or suite.CONFIGS))


PYZMQ = {
    "a.py::one": "passed",
    "a.py::two": "passed",
    "a.py::p[x]": "passed",
    "a.py::p[y]": "passed",
    "b.py::flaky_there": "failed",
    "b.py::skipped_there": "skipped",
}


def test_every_test_passing_on_pyzmq_must_pass_here() -> None:
    ours = {**PYZMQ, "a.py::two": "failed", "b.py::flaky_there": "passed"}
    del ours["a.py::one"]  # never ran: its module failed to import, say
    verdict = suite.compare(ours, PYZMQ, suite.Lists(), "cython")
    assert verdict.must_pass == ["a.py::one", "a.py::p[x]", "a.py::p[y]", "a.py::two"]
    assert verdict.failures == {"a.py::one": "not run", "a.py::two": "failed"}
    assert verdict.extra == ["b.py::flaky_there"]
    assert not verdict.ok


def test_listed_differences_excuse_failures_by_id_or_prefix() -> None:
    ours = {**PYZMQ, "a.py::two": "failed", "a.py::p[x]": "failed", "a.py::p[y]": "error"}
    lists = suite.Lists(differences=(diff("a.py::two"), diff("a.py::p")))
    verdict = suite.compare(ours, PYZMQ, lists, "cffi")
    assert verdict.ok
    assert sorted(verdict.listed) == ["a.py::p[x]", "a.py::p[y]", "a.py::two"]
    # a prefix matches whole id components only
    assert not diff("a.py::on").matches("a.py::one")
    assert diff("a.py").matches("a.py::one") and diff("a.py::p").matches("a.py::p[x]")


def test_a_difference_applies_only_to_its_configs() -> None:
    ours = {**PYZMQ, "a.py::two": "failed"}
    only_pypy = suite.Lists(differences=(diff("a.py::two", "pypy"),))
    assert suite.compare(ours, PYZMQ, only_pypy, "pypy").ok
    verdict = suite.compare(ours, PYZMQ, only_pypy, "cython")
    assert verdict.failures == {"a.py::two": "failed"} and verdict.stale == []


def test_stale_differences_fail_the_check() -> None:
    passing = diff("a.py::one")  # passes here now
    not_on_pyzmq = diff("b.py::skipped_there")  # nothing to compare with
    lists = suite.Lists(differences=(passing, not_on_pyzmq))
    verdict = suite.compare(dict(PYZMQ), PYZMQ, lists, "cython")
    assert verdict.failures == {}
    assert verdict.stale == [passing, not_on_pyzmq]
    assert not verdict.ok


def test_tests_flaky_on_pyzmq_are_reported_but_not_required() -> None:
    ours = {**PYZMQ, "a.py::one": "failed"}
    lists = suite.Lists(flaky=(diff("a.py::one"),))
    verdict = suite.compare(ours, PYZMQ, lists, "pypy")
    assert verdict.ok and "a.py::one" not in verdict.must_pass
    assert verdict.flaky_failing == {"a.py::one": "failed"}
    typo = suite.Lists(flaky=(diff("a.py::nonexistent"),))
    verdict = suite.compare(dict(PYZMQ), PYZMQ, typo, "pypy")
    assert verdict.unknown == list(typo.flaky) and not verdict.ok


def test_skips_for_a_cffi_backend_count_only_where_cffi_is_tested() -> None:
    ours = {**PYZMQ, "a.py::one": suite.SKIPPED_FOR_CFFI, "a.py::two": "skipped"}
    for config in ("cffi", "pypy"):
        verdict = suite.compare(ours, PYZMQ, suite.Lists(), config)
        assert verdict.not_for_cffi == ["a.py::one"]
        assert verdict.failures == {"a.py::two": "skipped"}  # any other skip is a failure
    verdict = suite.compare(ours, PYZMQ, suite.Lists(), "cython")
    assert verdict.failures == {"a.py::one": suite.SKIPPED_FOR_CFFI, "a.py::two": "skipped"}


def test_summary_gives_both_counts() -> None:
    ours = {**PYZMQ, "a.py::two": "failed"}
    verdict = suite.compare(ours, PYZMQ, suite.Lists(differences=(diff("a.py::two"),)), "cffi")
    text = suite.summary("cffi", suite.Run(ours, 12.3), suite.Run(dict(PYZMQ), 4.0), verdict)
    assert text.startswith("pyzmq-suite cffi: OK - passed: ours 3, pyzmq 4 ")
    assert "1 listed differences, 0 unexpected failures, 0 stale entries" in text
    assert "12 s ours, 4 s pyzmq" in text


def test_checked_in_differences_are_well_formed() -> None:
    lists = suite.load_lists()
    entries = [*lists.differences, *lists.flaky]
    assert len({d.test for d in entries}) == len(entries), "a test is listed twice"
    for d in entries:
        assert d.test.startswith("tests/") and d.reason and "\n" not in d.reason
        assert d.configs <= set(suite.CONFIGS)


def test_entries_without_a_reason_or_with_unknown_configs_are_refused(tmp_path: Path) -> None:
    for body in (
        '[[difference]]\ntest = "tests/x.py::y"\n',
        '[[difference]]\ntest = "tests/x.py::y"\nreason = "r"\nconfigs = ["jython"]\n',
    ):
        path = tmp_path / "d.toml"
        path.write_text(body)
        with pytest.raises(SystemExit):
            suite.load_lists(path)


def _tarball(path: Path, names: list[str]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name in names:
            info = tarfile.TarInfo(name)
            info.size = 1
            tar.addfile(info, io.BytesIO(b"x"))


def test_extract_takes_the_tests_and_their_config_only(tmp_path: Path) -> None:
    top = f"pyzmq-{suite.PYZMQ_VERSION}/"
    sdist = tmp_path / "sdist.tar.gz"
    _tarball(
        sdist,
        [
            top + "tests/test_a.py",
            top + "pytest.ini",
            top + "zmq/__init__.py",  # pyzmq itself must not shadow the zmq under test
            top + "tests/../../escape.py",
        ],
    )
    dest = tmp_path / "work"
    dest.mkdir()
    suite.extract_tests(sdist, dest)
    found = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    assert found == ["pytest.ini", "tests/test_a.py"]


def test_a_sdist_with_the_wrong_checksum_is_refused(tmp_path: Path, monkeypatch: Any) -> None:
    fake = tmp_path / suite.SDIST_NAME
    _tarball(fake, ["pyzmq/tests/test_a.py"])
    monkeypatch.setenv("PYZMQ_SUITE_SDIST", str(fake))
    with pytest.raises(SystemExit, match="sha256"):
        suite.fetch_sdist()
