"""Real builds with the bundled libzmq: sdist -> empty dir -> fresh venv, then use it.

Needs accepted libzmq + libsodium tarballs in ``$ZMQ_BUNDLED_CACHE_DIR`` (``ci/fetch_bundled.sh``
puts Debian's orig tarballs there). They are copied into a fresh cache for each run, so the
build finds them through the cache lookup. Objects are cached across runs in
``$ZMQ_BUNDLED_CACHE_DIR/build`` (``ZMQ_BUNDLED_BUILD_DIR``) to keep this suite short.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import venv
from pathlib import Path

import pytest

from buildutils.bundled import fetch as bundle_fetch
from buildutils.bundled.build import prepare
from buildutils.compiler import compile_and_run, make_compiler

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]
BUILD_TIMEOUT = 900
#: What the fresh venv needs to build without isolation and to run the suites.
VENV_TOOLS = (
    "setuptools",
    "wheel",
    "Cython",
    "packaging",
    "cffi",
    "pytest",
    "pytest-timeout",
    "pytest-asyncio",
    "tornado",  # zmq.eventloop, in tests/sugar/test_api_compat.py
)


def pinned_tools() -> list[str]:
    """VENV_TOOLS at the versions this interpreter runs (the suite's config fits those)."""
    from importlib import metadata

    pins = []
    for name in VENV_TOOLS:
        try:
            pins.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pins.append(name)
    return pins


#: Variables that would change what a child build or test run does.
SCRUBBED = (
    "ZMQ_PREFIX",
    "PYZMQ_BACKEND",
    "ZMQ_BUNDLED_CURVE",
    "ZMQ_BUNDLED_LIBZMQ_TARBALL",
    "ZMQ_BUNDLED_LIBSODIUM_TARBALL",
    "ZMQ_BUNDLED_DOWNLOAD_URL",
    "PYTHONPATH",
)


@pytest.fixture(scope="module")
def tarball_cache(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Env for child builds: a fresh cache holding copies of the accepted tarballs."""
    source = bundle_fetch.cache_dir(os.environ)
    fresh = tmp_path_factory.mktemp("tarball-cache")
    for project in ("libzmq", "libsodium"):
        try:
            found = bundle_fetch.locate(project, Path("/nonexistent"), os.environ, False)
        except bundle_fetch.BundleError as e:
            if os.environ.get("CI"):
                raise
            pytest.skip(f"run ci/fetch_bundled.sh first: {e}")
        shutil.copyfile(found.path, fresh / f"copied-{found.path.name}")
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env[bundle_fetch.CACHE_ENV] = str(fresh)
    env["ZMQ_BUNDLED_BUILD_DIR"] = str(source / "build")
    return env


@pytest.fixture(scope="module")
def sdist_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, unpacked into an otherwise empty directory."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "setup.py", "-q", "sdist", "-d", str(dist)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=BUILD_TIMEOUT,
    )
    (archive,) = dist.glob("*.tar.gz")
    empty = tmp_path_factory.mktemp("from-sdist")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        # the top-level bundled/ holds no sources (buildutils/bundled/ is our build code)
        assert not any(
            n.partition("/")[2].startswith("bundled/")
            and not n.endswith(("README.md", ".gitignore"))
            for n in names
        )
        if hasattr(tarfile, "data_filter"):
            tar.extractall(empty, filter="data")
        else:
            tar.extractall(empty)
    (tree,) = empty.iterdir()
    return tree


def build_log(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-6000:]
    return out


def zmq_lines(log: str) -> list[str]:
    return [line.strip() for line in log.splitlines() if "[zmq-build]" in line]


def extension_paths(root: Path) -> list[str]:
    found = glob.glob(str(root / "**" / "zmq" / "**" / "*.so"), recursive=True)
    assert found, f"no extension under {root}"
    return found


def linked_libraries(so: str) -> str:
    return subprocess.run(["ldd", so], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def bundled_venv(
    tmp_path_factory: pytest.TempPathFactory, sdist_tree: Path, tarball_cache: dict[str, str]
) -> tuple[Path, str]:
    """A fresh venv with the sdist installed using ZMQ_PREFIX=bundled; (python, build log)."""
    where = tmp_path_factory.mktemp("venv")
    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    env = dict(tarball_cache, ZMQ_PREFIX="bundled")
    build_log([str(python), "-m", "pip", "install", "-q", *pinned_tools()], where, env)
    log = build_log(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-v",
            "--no-build-isolation",
            "--no-deps",
            str(sdist_tree),
        ],
        sdist_tree,
        env,
    )
    return python, log


def run_in(python: Path, code: str, cwd: Path, **extra: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(extra)
    proc = subprocess.run(
        [str(python), "-c", textwrap.dedent(code)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_build_says_bundled_and_why(bundled_venv: tuple[Path, str]) -> None:
    lines = zmq_lines(bundled_venv[1])
    assert any(
        "bundled libzmq" in ln and "(cache)" in ln and "sha256 verified" in ln for ln in lines
    )
    assert any(
        ln.startswith("[zmq-build] using bundled libzmq") and "ZMQ_PREFIX=bundled" in ln
        for ln in lines
    )


def test_installed_copy_is_bundled_with_curve(
    bundled_venv: tuple[Path, str], tmp_path: Path
) -> None:
    out = run_in(
        bundled_venv[0],
        """
        import os, zmq
        print(zmq.__file__)
        print(zmq.zmq_version(), zmq.has("curve"))
        print(sorted(os.listdir(os.path.join(os.path.dirname(zmq.__file__), "_licenses"))))
        """,
        tmp_path,
    )
    path, version, licenses = out.splitlines()
    assert path.startswith(str(bundled_venv[0].parent.parent))
    assert version.endswith(" True")
    assert "libzmq-COPYING.LESSER" in licenses or "libzmq-LICENSE" in licenses
    assert "libsodium-LICENSE" in licenses


def test_extensions_do_not_link_libzmq_or_libsodium(bundled_venv: tuple[Path, str]) -> None:
    sos = extension_paths(bundled_venv[0].parent.parent / "lib")
    assert len(sos) >= 2  # both backends carry their own copy
    for so in sos:
        libs = linked_libraries(so)
        assert "libzmq" not in libs and "libsodium" not in libs, (so, libs)


CURVE_ROUND_TRIP = """
import zmq
server_public, server_secret = zmq.curve_keypair()
client_public, client_secret = zmq.curve_keypair()
with zmq.Context() as ctx:
    server = ctx.socket(zmq.REP)
    server.curve_server = True
    server.curve_secretkey = server_secret
    server.curve_publickey = server_public
    server.linger = 0
    port = server.bind_to_random_port("tcp://127.0.0.1")
    client = ctx.socket(zmq.REQ)
    client.curve_serverkey = server_public
    client.curve_publickey = client_public
    client.curve_secretkey = client_secret
    client.linger = 0
    client.rcvtimeo = server.rcvtimeo = 10000
    client.connect(f"tcp://127.0.0.1:{port}")
    client.send(b"ping over curve")
    assert server.recv() == b"ping over curve"
    server.send(b"pong")
    assert client.recv() == b"pong"
    assert zmq.has("curve")
    print(zmq.backend.__impl__ if hasattr(zmq.backend, "__impl__") else "", "curve ok")
"""


@pytest.mark.parametrize("backend", ["cython", "cffi"])
def test_curve_round_trip(bundled_venv: tuple[Path, str], tmp_path: Path, backend: str) -> None:
    out = run_in(bundled_venv[0], CURVE_ROUND_TRIP, tmp_path, PYZMQ_BACKEND=backend)
    assert out.strip().endswith("curve ok")


def test_core_suites_pass_against_installed_copy(
    bundled_venv: tuple[Path, str], sdist_tree: Path, tmp_path: Path
) -> None:
    """The sdist's own tests (same snapshot as the code) against the installed copy."""
    tests = sdist_tree / "tests"
    suites = [str(tests / d) for d in ("backend", "sugar") if (tests / d).is_dir()]
    assert suites
    check_import = tmp_path / "test_imported_copy.py"
    check_import.write_text(
        "import zmq\n\n\ndef test_installed_copy_is_tested():\n"
        f"    assert zmq.__file__.startswith({str(bundled_venv[0].parent.parent)!r})\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    pytest_args = ["-q", "-p", "no:cacheprovider", "-m", "not slow", "--import-mode=importlib"]
    config = ["--rootdir", str(sdist_tree), "-c", str(sdist_tree / "pyproject.toml")]
    proc = subprocess.run(
        [str(bundled_venv[0]), "-m", "pytest", *pytest_args, *config, str(check_import), *suites],
        cwd=tmp_path,  # outside the source tree: the installed zmq is the one imported
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    tail = (proc.stdout + proc.stderr)[-4000:]
    assert proc.returncode == 0, tail
    assert " passed" in tail


def wheel_from_sdist(sdist_tree: Path, tmp_path: Path, env: dict[str, str]) -> tuple[str, Path]:
    """``pip wheel`` a pristine copy of the unpacked sdist; (build log, unpacked wheel)."""
    tree = tmp_path / "tree"
    shutil.copytree(sdist_tree, tree, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "wheel", "-v", "--no-build-isolation", "--no-deps"]
    log = build_log([*pip, "-w", str(wheels), str(tree)], tree, env)
    (wheel,) = wheels.glob("pyzmq-*.whl")
    unpacked = tmp_path / "unpacked"
    shutil.unpack_archive(wheel, unpacked, "zip")
    return log, unpacked


FAKE_HEADER = """\
#define ZMQ_VERSION_MAJOR 2
#define ZMQ_VERSION_MINOR 2
#define ZMQ_VERSION_PATCH 0
void zmq_version(int *major, int *minor, int *patch);
"""


def test_sdist_wheel_falls_back_from_old_prefix(
    sdist_tree: Path, tarball_cache: dict[str, str], tmp_path: Path
) -> None:
    """ZMQ_PREFIX pointing at a libzmq 2.2 install: rejected with the reason, bundled used."""
    prefix = tmp_path / "zmq-2.2"
    (prefix / "include").mkdir(parents=True)
    (prefix / "lib").mkdir()
    (prefix / "include" / "zmq.h").write_text(FAKE_HEADER)
    stub = tmp_path / "stub.c"
    stub.write_text("void zmq_version(int *a, int *b, int *c) { *a = 2; *b = 2; *c = 0; }\n")
    subprocess.run(
        [
            os.environ.get("CC", "cc"),
            "-shared",
            "-fPIC",
            "-o",
            str(prefix / "lib" / "libzmq.so"),
            str(stub),
        ],
        check=True,
    )
    log, unpacked = wheel_from_sdist(
        sdist_tree, tmp_path, dict(tarball_cache, ZMQ_PREFIX=str(prefix))
    )
    lines = zmq_lines(log)
    assert any(f"libzmq at {prefix}: version 2.2.0 is older than 3.0" in ln for ln in lines), lines
    assert any(ln.startswith("[zmq-build] using bundled libzmq") for ln in lines), lines
    for so in extension_paths(unpacked):
        assert "libzmq" not in linked_libraries(so)
    assert list((unpacked / "zmq" / "_licenses").iterdir())


def test_sdist_wheel_with_system_libzmq(sdist_tree: Path, tmp_path: Path) -> None:
    """The same sdist against the system libzmq (pkg-config): the extensions link it."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    log, unpacked = wheel_from_sdist(sdist_tree, tmp_path, env)
    assert any(ln.startswith("[zmq-build] using system libzmq") for ln in zmq_lines(log))
    for so in extension_paths(unpacked):
        assert "libzmq.so" in linked_libraries(so)
    assert not (unpacked / "zmq" / "_licenses").exists()


CURVE_C = r"""
#include <stdio.h>
#include <string.h>
#include <zmq.h>
int main(void) {
    char public_key[41], secret_key[41], derived[41];
    if (!zmq_has("curve") || zmq_curve_keypair(public_key, secret_key) != 0) return 1;
    if (zmq_curve_public(derived, secret_key) != 0 || strcmp(derived, public_key) != 0) return 2;
    printf("curve ok %s\n", public_key);
    return 0;
}
"""


def test_tweetnacl_switch_builds_curve_without_libsodium(
    tarball_cache: dict[str, str], tmp_path: Path
) -> None:
    """ZMQ_BUNDLED_CURVE=tweetnacl: libzmq's own CURVE code, no libsodium anywhere."""
    env = dict(tarball_cache, ZMQ_BUNDLED_CURVE="tweetnacl")
    build = prepare(str(tmp_path / "build"), make_compiler(), env=env)
    assert build.libsodium is None
    assert build.probe is not None and build.probe.capabilities["curve"]
    assert not any("sodium" in obj for obj in build.extra_objects)
    out = compile_and_run(
        CURVE_C,
        tmp_path / "curve",
        include_dirs=build.include_dirs,
        libraries=build.libraries,
        extra_objects=build.extra_objects,
        define_macros=build.define_macros,
    )
    assert out.startswith("curve ok ") and len(out.split()[-1]) == 40
