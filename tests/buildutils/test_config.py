"""Choosing libzmq: precedence, version policy, one-line reasons, the no-libzmq message."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from buildutils import config
from buildutils.bundled.fetch import BundleError
from buildutils.config import ConfigError
from buildutils.discover import Rejected
from buildutils.model import LibzmqBuild, ProbeResult

from .conftest import make_prefix

HAVE_USR_ZMQ = Path("/usr/include/zmq.h").exists()
needs_usr_zmq = pytest.mark.skipif(not HAVE_USR_ZMQ, reason="needs libzmq dev files in /usr")


@pytest.fixture
def bundled_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], str]]:
    """Record fallbacks to the bundled libzmq instead of building one (minutes of compiling)."""
    calls: list[tuple[list[str], str]] = []

    def fake(
        build_temp: str, compiler: object, reasons: list[str], origin: str, draft: bool = False
    ) -> LibzmqBuild:
        calls.append((list(reasons), origin + (" (draft)" if draft else "")))
        return LibzmqBuild(kind="bundled", reasons=reasons, origin=origin)

    monkeypatch.setattr(config, "use_bundled", fake)
    return calls


def fake_pkg_config(tmp_path: Path, prefix: str) -> str:
    """A pkg-config program describing the system libzmq but naming ``prefix``."""
    script = tmp_path / "fake-pkg-config"
    script.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        "  --cflags) echo '' ;;\n"
        "  --libs) echo '-lzmq' ;;\n"
        f"  --variable=prefix) echo '{prefix}' ;;\n"
        "esac\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


@pytest.mark.parametrize(
    ("option", "env", "expected"),
    [
        ("/opt/a", {"ZMQ_PREFIX": "/opt/b"}, ("--zmq", "/opt/a")),
        (None, {"ZMQ_PREFIX": "/opt/b"}, ("ZMQ_PREFIX", "/opt/b")),
        (None, {"ZMQ_PREFIX": "bundled"}, ("ZMQ_PREFIX", "bundled")),
        ("bundled", {"ZMQ_PREFIX": "/opt/b"}, ("--zmq", "bundled")),
        (None, {"ZMQ_PREFIX": ""}, ("discover", None)),
        (None, {}, ("discover", None)),
    ],
)
def test_explicit_choice(
    option: str | None, env: dict[str, str], expected: tuple[str, str | None]
) -> None:
    assert config.explicit_choice(option, env) == expected


@needs_usr_zmq
def test_option_beats_env(tmp_path: Path, no_pkg_config_env: dict[str, str]) -> None:
    env = {**no_pkg_config_env, "ZMQ_PREFIX": str(tmp_path / "does-not-exist")}
    build = config.resolve_zmq("/usr", str(tmp_path / "build"), env=env)
    assert (build.origin, build.prefix, build.kind) == ("--zmq", "/usr", "system")
    assert build.probe is not None and build.probe.runtime_version[:2] >= (3, 0)
    assert build.reasons == []


@needs_usr_zmq
def test_env_beats_pkg_config(tmp_path: Path) -> None:
    env = {**os.environ, "ZMQ_PREFIX": "/usr", "PKG_CONFIG": fake_pkg_config(tmp_path, "/pc")}
    build = config.resolve_zmq(None, str(tmp_path / "build"), env=env)
    assert (build.origin, build.prefix) == ("ZMQ_PREFIX", "/usr")


@needs_usr_zmq
def test_pkg_config_beats_standard_prefixes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ZMQ_PREFIX"}
    env["PKG_CONFIG"] = fake_pkg_config(tmp_path, "/from-pkg-config")
    build = config.resolve_zmq(None, str(tmp_path / "build"), env=env)
    assert (build.origin, build.prefix) == ("pkg-config", "/from-pkg-config")


@needs_usr_zmq
def test_standard_prefix_without_pkg_config(
    tmp_path: Path, no_pkg_config_env: dict[str, str]
) -> None:
    build = config.resolve_zmq(None, str(tmp_path / "build"), env=no_pkg_config_env)
    assert build.origin == "standard prefix"
    assert build.prefix in ("/usr/local", "/usr")
    assert build.runtime_library_dirs == []  # system dirs need no rpath


@needs_usr_zmq
def test_zmq_prefix_usr_uses_multiarch_dir(
    tmp_path: Path, no_pkg_config_env: dict[str, str]
) -> None:
    build = config.resolve_zmq(
        None, str(tmp_path / "b"), env={**no_pkg_config_env, "ZMQ_PREFIX": "/usr"}
    )
    assert build.include_dirs == ["/usr/include"]
    (libdir,) = build.library_dirs
    assert Path(libdir, "libzmq.so").exists() or Path(libdir, "libzmq.dylib").exists()


def test_zmq_prefix_bundled(tmp_path: Path, bundled_calls: list[tuple[list[str], str]]) -> None:
    build = config.resolve_zmq(None, str(tmp_path), env={"ZMQ_PREFIX": "bundled"})
    assert build.kind == "bundled"
    assert bundled_calls == [([], "ZMQ_PREFIX=bundled")]


def test_option_bundled(tmp_path: Path, bundled_calls: list[tuple[list[str], str]]) -> None:
    config.resolve_zmq("bundled", str(tmp_path), env={"ZMQ_PREFIX": "/usr"})
    assert bundled_calls == [([], "--zmq=bundled")]


def test_draft_request_builds_the_bundled_libzmq_with_it(
    tmp_path: Path, bundled_calls: list[tuple[list[str], str]]
) -> None:
    config.resolve_zmq("bundled", str(tmp_path), env={"ZMQ_DRAFT_API": "1"})
    config.resolve_zmq("bundled", str(tmp_path), env={}, draft=True)
    config.resolve_zmq("bundled", str(tmp_path), env={"ZMQ_DRAFT_API": "0"})
    assert [origin for _, origin in bundled_calls] == ["--zmq=bundled (draft)"] * 2 + [
        "--zmq=bundled"
    ]


@needs_usr_zmq
def test_draft_request_rejects_a_libzmq_without_it(
    tmp_path: Path, bundled_calls: list[tuple[list[str], str]]
) -> None:
    """Debian's libzmq has no draft API: asking for it falls back to the bundled one."""
    build = config.resolve_zmq("/usr", str(tmp_path / "b"), env={"ZMQ_DRAFT_API": "1"})
    if build.kind == "system":  # a libzmq built with --enable-drafts is used as it is
        assert build.probe is not None and build.probe.capabilities["draft"]
        assert config.DRAFT_MACRO in build.define_macros
        return
    ((reasons, origin),) = bundled_calls
    assert origin == "fallback (draft)"
    assert reasons == [
        "libzmq at /usr: built without the draft API, which ZMQ_DRAFT_API=1 asks for"
    ]


def test_old_libzmq_is_rejected_in_one_line(tmp_path: Path, old_prefix: Path) -> None:
    candidate = config.prefix_candidate(str(old_prefix), [], "--zmq")
    assert candidate.runtime_library_dirs == [str(old_prefix / "lib")]  # non-system: rpath
    with pytest.raises(Rejected) as err:
        config.check(candidate, str(tmp_path / "probe"), None)
    assert str(err.value) == f"libzmq at {old_prefix}: version 2.2.0 is older than 3.0"


def test_old_header_with_new_library_is_rejected(tmp_path: Path) -> None:
    prefix = make_prefix(
        tmp_path / "mixed",
        """
        #define ZMQ_VERSION_MAJOR 2
        #define ZMQ_VERSION_MINOR 1
        #define ZMQ_VERSION_PATCH 11
        void zmq_version(int *major, int *minor, int *patch);
        """,
        "void zmq_version(int *a, int *b, int *c) { *a = 4; *b = 3; *c = 4; }\n",
    )
    with pytest.raises(Rejected, match=r": header version 2\.1\.11 is older than 3\.0$"):
        config.check(config.prefix_candidate(str(prefix), [], "--zmq"), str(tmp_path / "p"), None)


def test_rejected_explicit_choice_falls_back_to_bundled(
    tmp_path: Path, old_prefix: Path, bundled_calls: list[tuple[list[str], str]]
) -> None:
    build = config.resolve_zmq(str(old_prefix), str(tmp_path / "build"), env={})
    assert build.kind == "bundled"
    ((reasons, origin),) = bundled_calls
    assert origin == "fallback"
    assert reasons == [f"libzmq at {old_prefix}: version 2.2.0 is older than 3.0"]


def test_prefix_without_library(tmp_path: Path, bundled_calls: list[tuple[list[str], str]]) -> None:
    prefix = make_prefix(tmp_path / "headers-only", "#define ZMQ_VERSION_MAJOR 4\n", None)
    config.resolve_zmq(None, str(tmp_path / "b"), env={"ZMQ_PREFIX": str(prefix)})
    ((reasons, _),) = bundled_calls
    assert len(reasons) == 1
    assert reasons[0].startswith(f"libzmq at {prefix}: no libzmq library in lib, lib64")


def test_prefix_without_header_or_directory(tmp_path: Path) -> None:
    with pytest.raises(Rejected, match=r": no include/zmq\.h$"):
        config.prefix_candidate(str(tmp_path), [], "--zmq")
    with pytest.raises(Rejected, match=r": no such directory$"):
        config.prefix_candidate(str(tmp_path / "missing"), [], "--zmq")


def test_broken_header_gives_compile_reason(tmp_path: Path) -> None:
    prefix = make_prefix(tmp_path / "broken", '#error "not a real zmq.h"\n', "int zmq_x;\n")
    with pytest.raises(Rejected) as err:
        config.check(config.prefix_candidate(str(prefix), [], "--zmq"), str(tmp_path / "p"), None)
    reason = str(err.value)
    assert "\n" not in reason
    assert reason.startswith(f"libzmq at {prefix}: compile failed: ")
    assert "not a real zmq.h" in reason


def test_no_libzmq_message_is_one_actionable_paragraph() -> None:
    text = config.no_libzmq_message(
        ["libzmq at /a: no include/zmq.h", "libzmq at /b: version 2.2.0 is older than 3.0"],
        "no libzmq tarball found",
    )
    assert "\n" not in text
    for needle in (
        "libzmq at /a: no include/zmq.h",
        "version 2.2.0 is older than 3.0",
        "libzmq3-dev",
        "ZMQ_PREFIX=/path",
        "--zmq=bundled",
    ):
        assert needle in text


def test_summary_line() -> None:
    build = LibzmqBuild(
        kind="system",
        prefix="/usr",
        origin="pkg-config",
        probe=ProbeResult((4, 3, 4), (4, 3, 4), {"curve": True, "draft": False}),
    )
    assert build.summary() == "using system libzmq 4.3.4 (pkg-config, prefix /usr; has curve)"


DRAFT_HEADER = """
    #define ZMQ_VERSION_MAJOR 4
    #define ZMQ_VERSION_MINOR 3
    #define ZMQ_VERSION_PATCH 4
    void zmq_version(int *major, int *minor, int *patch);
    int zmq_has(const char *capability);
"""
DRAFT_LIBRARY = """
    #include <string.h>
    void zmq_version(int *a, int *b, int *c) { *a = 4; *b = 3; *c = 4; }
    int zmq_has(const char *what) { return strcmp(what, "draft") == 0 || strcmp(what, "ipc") == 0; }
"""


def test_draft_capable_libzmq_enables_draft_api(tmp_path: Path) -> None:
    prefix = make_prefix(tmp_path / "draft", DRAFT_HEADER, DRAFT_LIBRARY)
    build = config.check(
        config.prefix_candidate(str(prefix), [], "--zmq"), str(tmp_path / "p"), None
    )
    assert build.probe is not None
    assert build.probe.capabilities["draft"] is True and build.probe.capabilities["curve"] is False
    assert ("ZMQ_BUILD_DRAFT_API", "1") in build.define_macros


@needs_usr_zmq
def test_non_system_prefix_gets_rpath(tmp_path: Path) -> None:
    """A prefix outside the loader's default dirs is linked with a RUNPATH to its lib dir."""
    import shutil
    import subprocess

    from buildutils import discover

    system = config.prefix_candidate("/usr", discover.multiarch(), "--zmq")
    prefix = tmp_path / "prefix"
    (prefix / "include").mkdir(parents=True)
    (prefix / "lib").mkdir()
    (prefix / "include" / "zmq.h").symlink_to("/usr/include/zmq.h")
    (prefix / "lib" / "libzmq.so").symlink_to(Path(system.library_dirs[0], "libzmq.so"))
    build = config.check(
        config.prefix_candidate(str(prefix), [], "ZMQ_PREFIX"), str(tmp_path / "p"), None
    )
    assert build.runtime_library_dirs == [str(prefix / "lib")]
    readelf = shutil.which("readelf")
    if readelf is None:
        pytest.skip("readelf (binutils) is not installed")
    dynamic = subprocess.run(
        [readelf, "-d", str(tmp_path / "p" / "probe_libzmq")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(prefix / "lib") in dynamic and ("RUNPATH" in dynamic or "RPATH" in dynamic)


def test_bundle_failure_becomes_one_paragraph(monkeypatch: pytest.MonkeyPatch) -> None:
    def prepare(build_temp: str, compiler: object, draft: bool = False) -> LibzmqBuild:
        raise BundleError("libzmq-4.3.5.tar.gz: sha256 mismatch;\nrefusing to build it")

    monkeypatch.setattr(config.bundled, "prepare", prepare)
    with pytest.raises(ConfigError) as err:
        config.use_bundled("/tmp", None, ["libzmq at /x: no include/zmq.h"], "fallback")
    text = str(err.value)
    assert "\n" not in text
    assert (
        "the bundled libzmq failed: libzmq-4.3.5.tar.gz: sha256 mismatch; refusing to build it"
        in text
    )
    assert "libzmq at /x: no include/zmq.h" in text
