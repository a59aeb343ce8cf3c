"""pkg-config parsing, multiarch library dirs, standard prefixes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from buildutils import discover, model
from buildutils.discover import Rejected


def test_parse_pkg_config_debian_output() -> None:
    flags = discover.parse_pkg_config(
        "-isystem /usr/include/mit-krb5 -I/usr/include/pgm-5.3 -I/usr/include/libxml2",
        "-lzmq",
    )
    assert flags.include_dirs == ["/usr/include/pgm-5.3", "/usr/include/libxml2"]
    assert flags.libraries == ["zmq"]
    assert flags.library_dirs == []
    assert flags.extra_compile_args == ["-isystem", "/usr/include/mit-krb5"]
    assert flags.extra_link_args == []


def test_parse_pkg_config_prefix_with_everything() -> None:
    flags = discover.parse_pkg_config(
        "-I/opt/zmq/include -I '/opt/with space/include' -DZMQ_STATIC -DLEVEL=2 -pthread",
        "-L/opt/zmq/lib -L /opt/extra -lzmq -lsodium -pthread -Wl,--as-needed",
    )
    assert flags.include_dirs == ["/opt/zmq/include", "/opt/with space/include"]
    assert flags.define_macros == [("ZMQ_STATIC", None), ("LEVEL", "2")]
    assert flags.extra_compile_args == ["-pthread"]
    assert flags.library_dirs == ["/opt/zmq/lib", "/opt/extra"]
    assert flags.libraries == ["zmq", "sodium"]
    assert flags.extra_link_args == ["-pthread", "-Wl,--as-needed"]


def test_parse_pkg_config_empty() -> None:
    flags = discover.parse_pkg_config("", "")
    assert (flags.include_dirs, flags.libraries, flags.extra_compile_args) == ([], [], [])


def test_pkg_config_runs_the_configured_program(tmp_path: Path) -> None:
    script = tmp_path / "fake-pkg-config"
    script.write_text('#!/bin/sh\necho "args: $*"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    env = {"PATH": os.environ["PATH"], "PKG_CONFIG": str(script)}
    assert discover.pkg_config(env, "--cflags") == "args: --cflags libzmq"


def test_pkg_config_missing_or_failing(tmp_path: Path) -> None:
    assert discover.pkg_config({"PKG_CONFIG": str(tmp_path / "nope")}, "--libs") is None
    assert (
        discover.pkg_config({"PKG_CONFIG": "false", "PATH": os.environ["PATH"]}, "--libs") is None
    )


def test_multiarch_library_dir_found_for_usr() -> None:
    arches = discover.multiarch()
    libdir = discover.find_library_dir("/usr", arches)
    assert any((Path(libdir) / f).exists() for f in discover.LIBRARY_FILES)
    if Path("/usr/lib/x86_64-linux-gnu/libzmq.so").exists():  # Debian/Ubuntu amd64
        assert "x86_64-linux-gnu" in arches
        assert libdir == "/usr/lib/x86_64-linux-gnu"
        assert libdir in discover.system_library_dirs(arches)


def test_prefix_without_library_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    with pytest.raises(Rejected) as info:
        discover.find_library_dir(str(tmp_path), ["x86_64-linux-gnu"])
    reason = str(info.value)
    assert "\n" not in reason
    assert reason == (
        f"libzmq at {tmp_path}: no libzmq library in lib, lib64, lib/x86_64-linux-gnu"
    )


@pytest.mark.parametrize("where", ["lib", "lib64", "lib/aarch64-linux-gnu"])
def test_library_dir_variants(tmp_path: Path, where: str) -> None:
    d = tmp_path / where
    d.mkdir(parents=True)
    (d / "libzmq.so").write_bytes(b"")
    assert discover.find_library_dir(str(tmp_path), ["aarch64-linux-gnu"]) == str(d)


def test_standard_prefixes_order() -> None:
    assert discover.standard_prefixes({}) == [
        "/usr/local",
        "/usr",
        "/opt/homebrew",
        "/usr/local/opt/zeromq",
    ]
    env = {"CONDA_PREFIX": "/opt/conda", "HOMEBREW_PREFIX": "/home/linuxbrew/.linuxbrew"}
    assert discover.standard_prefixes(env) == [
        "/usr/local",
        "/usr",
        "/opt/conda",
        "/home/linuxbrew/.linuxbrew",
        "/usr/local/opt/zeromq",
    ]
    assert discover.standard_prefixes({"CONDA_PREFIX": "/usr"}).count("/usr") == 1


def test_find_header(tmp_path: Path) -> None:
    (tmp_path / "include").mkdir()
    (tmp_path / "include" / "zmq.h").write_text("")
    assert model.find_header([], str(tmp_path)) == str(tmp_path / "include" / "zmq.h")
    assert model.find_header([str(tmp_path / "include")], None) == str(
        tmp_path / "include" / "zmq.h"
    )


def test_rpath_only_for_non_system_dirs(monkeypatch: pytest.MonkeyPatch) -> None:
    arches = ["x86_64-linux-gnu"]
    dirs = ["/usr/lib/x86_64-linux-gnu", "/usr/lib", "/opt/zmq/lib"]
    assert discover.rpath_for(dirs, arches) == ["/opt/zmq/lib"]
    monkeypatch.setattr(discover.sys, "platform", "win32")
    assert discover.rpath_for(dirs, arches) == []
