"""The probe: real compiles, links and runs; output parsing; one-line failures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from buildutils import compiler, model, probe
from buildutils.compiler import ProbeError
from buildutils.model import LibzmqBuild


def test_parse_probe_output() -> None:
    result = probe.parse_probe_output("runtime 4.3.4\nheader 4.3.5\nhas curve 1\nhas draft 0\n\n")
    assert result.runtime_version == (4, 3, 4)
    assert result.header_version == (4, 3, 5)
    assert result.capabilities == {"curve": True, "draft": False}
    assert result.version_str == "4.3.4"


def test_parse_probe_output_without_zmq_has() -> None:
    result = probe.parse_probe_output("runtime 3.2.5\nheader 3.2.5\n")
    assert result.capabilities == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("header 4.3.4\n", "lacks the runtime version"),
        ("", "lacks the runtime and header version"),
        ("runtime 4.3.4\nheader 4.3.4\nSegfault here\n", "unexpected probe output line"),
        ("runtime 4.x.4\nheader 4.3.4\n", "unexpected probe output line"),
    ],
)
def test_parse_probe_output_rejects_garbage(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        probe.parse_probe_output(text)


def test_first_error_line() -> None:
    out = (
        "gcc -c x.c -o x.o\n"
        "x.c:2:10: fatal error: zmq.h: No such file or directory\n"
        "    2 | #include <zmq.h>\n"
        "compilation terminated.\n"
    )
    assert compiler.first_error_line(out, "?") == "fatal error: zmq.h: No such file or directory"
    ld = "/usr/bin/ld: cannot find -lnothere: No such file or directory\ncollect2: error: ld\n"
    assert (
        compiler.first_error_line(ld, "?")
        == "/usr/bin/ld: cannot find -lnothere: No such file or directory"
    )
    assert compiler.first_error_line("all good\n", "fallback") == "fallback"


def test_compile_and_run(tmp_path: Path) -> None:
    src = '#include <stdio.h>\nint main(void) { printf("V=%d\\n", VALUE); return 0; }\n'
    out = compiler.compile_and_run(src, tmp_path, define_macros=[("VALUE", "42")])
    assert out == "V=42\n"


def _one_line(err: pytest.ExceptionInfo[ProbeError]) -> str:
    text = str(err.value)
    assert "\n" not in text and "Traceback" not in text
    return text


def test_compile_failure_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ProbeError) as err:
        compiler.compile_and_run('#error "this header is broken"\n', tmp_path)
    text = _one_line(err)
    assert text.startswith("compile failed: ")
    assert "this header is broken" in text


def test_link_failure_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ProbeError) as err:
        compiler.compile_and_run(
            "int main(void) { return 0; }\n", tmp_path, libraries=["zmq_no_such_lib"]
        )
    text = _one_line(err)
    assert text.startswith("link failed: ")
    assert "zmq_no_such_lib" in text


def test_run_failure_is_one_line(tmp_path: Path) -> None:
    src = '#include <stdio.h>\nint main(void) { fprintf(stderr, "boom\\n"); return 3; }\n'
    with pytest.raises(ProbeError) as err:
        compiler.compile_and_run(src, tmp_path)
    assert _one_line(err) == "probe exited with status 3: boom"


def test_crash_is_reported_as_signal(tmp_path: Path) -> None:
    src = "#include <signal.h>\nint main(void) { raise(SIGABRT); return 0; }\n"
    with pytest.raises(ProbeError) as err:
        compiler.compile_and_run(src, tmp_path)
    assert re.fullmatch(r"probe exited with status signal \d+", _one_line(err))


def test_probe_system_libzmq(tmp_path: Path) -> None:

    result = probe.probe_libzmq(LibzmqBuild(kind="system", libraries=["zmq"]), tmp_path)
    header = Path("/usr/include/zmq.h").read_text()
    expected = tuple(
        int(re.search(rf"#define ZMQ_VERSION_{part} (\d+)", header).group(1))  # type: ignore[union-attr]
        for part in ("MAJOR", "MINOR", "PATCH")
    )
    assert result.header_version == expected
    assert result.runtime_version[:2] >= (3, 0)
    assert set(result.capabilities) == set(model.CAPABILITIES)


@pytest.mark.parametrize(
    "platform, var, expected",
    [
        ("linux", "LD_LIBRARY_PATH", ["/opt/zmq/lib"]),
        ("darwin", "DYLD_LIBRARY_PATH", ["/opt/zmq/lib"]),
        ("win32", "PATH", ["/opt/zmq/lib", "/opt/zmq/bin"]),
    ],
)
def test_run_program_puts_library_dirs_on_the_loader_path(
    monkeypatch: pytest.MonkeyPatch, platform: str, var: str, expected: list[str]
) -> None:
    import os
    import subprocess

    seen: dict[str, str] = {}

    def fake_run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        env = kwargs["env"]
        assert isinstance(env, dict)
        seen.update(env)
        return subprocess.CompletedProcess(cmd, 0, "4 3 4\n", "")

    monkeypatch.setattr(compiler.sys, "platform", platform)
    monkeypatch.setattr(compiler.subprocess, "run", fake_run)
    monkeypatch.setenv(var, "/already/there")
    assert compiler.run_program("probe-exe", ["/opt/zmq/lib"]) == "4 3 4\n"
    assert seen[var].split(os.pathsep) == [*expected, "/already/there"]
