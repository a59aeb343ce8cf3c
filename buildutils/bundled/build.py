"""Build the bundled libzmq (and libsodium for CURVE) into static archives for the extensions.

The top of the ``buildutils.bundled`` subpackage: :func:`prepare` is what
:mod:`buildutils.config` calls when no usable system libzmq exists or ``bundled`` was asked
for. Steps: locate + verify + unpack the tarballs (:mod:`~buildutils.bundled.fetch`, patches
from :mod:`~buildutils.bundled.patch`), find the compiler's target
(:mod:`~buildutils.bundled.checks`, :mod:`~buildutils.bundled.target`: gcc-style or MSVC,
Unix or Windows), configure both libraries from compiler checks
(:mod:`~buildutils.bundled.libzmq_config`, :mod:`~buildutils.bundled.libsodium_config`),
compile every file in parallel with object caching (:mod:`~buildutils.bundled.compile`),
archive, and probe the result like a system libzmq (unless it was built for another machine:
cross builds describe it from its header).

Switches (environment): ``ZMQ_BUNDLED_CURVE=libsodium`` (default) or ``tweetnacl`` (libzmq's
own CURVE code, no libsodium); ``ZMQ_BUNDLED_BUILD_DIR`` to unpack and compile in one
persistent directory (object cache shared by builds from different source copies); tarball
locations are documented in :mod:`~buildutils.bundled.fetch`. ``ZMQ_DRAFT_API=1`` (or
``draft=True``) compiles libzmq with its draft API (``ZMQ_BUILD_DRAFT_API``), in its own
object directory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Optional

from buildutils import msg
from buildutils.bundled import fetch as bundle_fetch
from buildutils.bundled import libsodium_config, libzmq_config
from buildutils.bundled import patch as bundle_patch
from buildutils.bundled.checks import detect_target
from buildutils.bundled.compile import CompileFailed, Source, archive, compile_sources, lang_of
from buildutils.bundled.fetch import BundleError, Located
from buildutils.bundled.target import Target
from buildutils.compiler import ProbeError
from buildutils.model import CAPABILITIES, DRAFT_MACRO, LibzmqBuild, ProbeResult, draft_requested
from buildutils.probe import probe_libzmq

ROOT = Path(__file__).resolve().parents[2]  # the source tree: buildutils/bundled/build.py
BUNDLED_DIR = ROOT / "bundled"
CURVE_ENV = "ZMQ_BUNDLED_CURVE"
CURVE_CHOICES = ("libsodium", "tweetnacl")
#: Where to unpack and compile instead of bundled/ + build_temp (shared between builds).
BUILD_DIR_ENV = "ZMQ_BUNDLED_BUILD_DIR"
#: Marker inside an unpacked tree: which tarball and patches produced it.
MARKER = ".pyzmq-source"
#: License files copied from the unpacked trees into the package (zmq/_licenses/).
LICENSE_NAMES = ("COPYING", "COPYING.LESSER", "LICENSE", "LICENSE.txt", "LICENSE.md")
LICENSES_SUBDIR = "_licenses"


def curve_choice(env: Mapping[str, str]) -> str:
    value = (env.get(CURVE_ENV) or "libsodium").strip().lower()
    if value not in CURVE_CHOICES:
        raise BundleError(f"{CURVE_ENV}={value!r}: expected one of {', '.join(CURVE_CHOICES)}")
    return value


def _writable(directory: Path) -> bool:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(directory, os.W_OK)


def _marker_text(located: Located) -> str:
    t = located.tarball
    patches = bundle_patch.patches_for(t.project, t.version)
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in patches)).hexdigest()
    return f"{t.sha256}\npatches {digest}\n"


def ensure_unpacked(located: Located, src_root: Path) -> Path:
    """The patched source tree of ``located`` under ``src_root``, unpacked only if needed."""
    t = located.tarball
    dest = src_root / f"{t.project}-{t.version}"
    marker = _marker_text(located)
    try:
        if (dest / MARKER).read_text() == marker:
            return dest
    except OSError:
        pass

    def patch(tree: Path) -> None:
        for name in bundle_patch.apply_all(tree, t.project, t.version):
            msg.info(f"{t.project} {t.version}: applied patch {name}")
        (tree / MARKER).write_text(marker)

    msg.info(f"unpacking {located.path} into {dest}")
    return bundle_fetch.unpack(located, dest, patch)


def _locate_and_unpack(
    project: str, src_root: Path, env: Mapping[str, str]
) -> tuple[Located, Path]:
    located = bundle_fetch.locate(project, BUNDLED_DIR, env)
    t = located.tarball
    msg.info(f"bundled {project} {t.version} ({located.how}): {located.path}, sha256 verified")
    return located, ensure_unpacked(located, src_root)


def write_if_changed(path: Path, text: str) -> None:
    """Keep the mtime of an unchanged generated file (so cached objects stay valid)."""
    try:
        if path.read_text() == text:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def sodium_sources(
    tree: Path, answers: Mapping[str, bool], isa_flags: Mapping[str, str]
) -> list[Source]:
    """libsodium's sources with per-library ISA flags, read from its Makefile.am."""
    libdir = tree / "src" / "libsodium"
    conditions = {
        "HAVE_TI_MODE": answers.get("HAVE_TI_MODE", False),
        "HAVE_AMD64_ASM": answers.get("HAVE_AMD64_ASM", False),
        "HAVE_AVX_ASM": answers.get("HAVE_AVX_ASM", False),
    }
    am = libsodium_config.parse_makefile_am((libdir / "Makefile.am").read_text(), conditions)
    libs = [
        "libsodium_la",
        *(name.replace(".la", "_la") for name in am.get("libsodium_la_LIBADD", [])),
    ]
    sources: list[Source] = []
    for lib in libs:
        flags: list[str] = []
        for word in am.get(f"{lib}_CPPFLAGS", []) + am.get(f"{lib}_CFLAGS", []):
            m = re.fullmatch(r"@CFLAGS_([A-Z0-9]+)@", word)
            if m:
                flags += isa_flags.get(m.group(1), "").split()
        for rel in am.get(f"{lib}_SOURCES", []):
            if rel.endswith((".c", ".S")):
                path = libdir / rel
                sources.append(Source(path, lang_of(path), tuple(flags)))
    return sources


def build_libsodium(tree: Path, work: Path, compiler: Any, target: Target) -> tuple[str, list[str]]:
    """Compile libsodium; returns (archive, include dirs for code that uses it)."""
    answers, macros, isa_flags = libsodium_config.sodium_settings(compiler, target, work / "checks")
    gen = work / "include"
    version_h = gen / "sodium" / "version.h"
    write_if_changed(version_h, libsodium_config.sodium_version_h(tree))
    inc = tree / "src" / "libsodium" / "include"
    include_dirs = [str(gen), str(gen / "sodium"), str(inc), str(inc / "sodium")]
    objects = compile_sources(
        compiler,
        sodium_sources(tree, answers, isa_flags),
        tree,
        work / "obj",
        macros=macros,
        include_dirs=include_dirs,
        depends=[version_h, tree / MARKER],
        label="libsodium",
    )
    return archive(compiler, objects, "sodium-bundled", work), include_dirs


def zmq_sources(tree: Path, curve: str, wepoll: bool = False) -> list[Source]:
    """Every src/*.cpp except the WebSocket transport, plus tweetnacl when it is the CURVE
    and the bundled wepoll (epoll for Windows) when the I/O threads use it."""
    src = tree / "src"
    files = [p for p in sorted(src.glob("*.cpp")) if not p.name.startswith(("ws_", "wss_"))]
    if curve == "tweetnacl":
        files.append(src / "tweetnacl.c")
    if wepoll:
        files.append(tree / "external" / "wepoll" / "wepoll.c")
    return [Source(p, lang_of(p)) for p in files]


def build_libzmq(
    tree: Path,
    work: Path,
    compiler: Any,
    curve: str,
    sodium_includes: list[str],
    target: Target,
    draft: bool = False,
) -> tuple[str, dict[str, str]]:
    """Compile libzmq with a probed platform.hpp; returns (archive path, its macros)."""
    platform, macros = libzmq_config.zmq_config(compiler, target, work / "checks", curve)
    if draft:
        macros = [*macros, DRAFT_MACRO]
    header = work / "include" / "platform.hpp"
    write_if_changed(header, libzmq_config.render_platform_hpp(platform, f"libzmq {tree.name}"))
    objects = compile_sources(
        compiler,
        zmq_sources(tree, curve, libzmq_config.uses_wepoll(platform)),
        tree,
        work / "obj",
        macros=macros,
        include_dirs=[
            str(header.parent),
            str(tree / "include"),
            str(tree / "src"),
            *sodium_includes,
        ],
        depends=[header, tree / MARKER],
        label="libzmq",
    )
    return archive(compiler, objects, "zmq-bundled", work), platform


def copy_licenses(trees: Mapping[str, Path], dest: Path) -> list[Path]:
    """Copy each tree's license files to ``dest`` as ``<project>-<NAME>``."""
    dest.mkdir(parents=True, exist_ok=True)
    copied = []
    for project, tree in trees.items():
        for name in LICENSE_NAMES:
            if (tree / name).is_file():
                target = dest / f"{project}-{name}"
                shutil.copyfile(tree / name, target)
                copied.append(target)
    return copied


def licenses_dir(build_temp: str) -> Path:
    return Path(build_temp) / "bundled" / "licenses"


def install_licenses(build_temp: str, package_dir: str) -> list[str]:
    """Copy the bundled libraries' license files into ``<package_dir>/_licenses``, and
    only those: a file left there by an earlier build is removed."""
    remove_licenses(package_dir)
    src = licenses_dir(build_temp)
    if not src.is_dir():
        return []
    dest = Path(package_dir) / LICENSES_SUBDIR
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for f in sorted(src.iterdir()):
        shutil.copyfile(f, dest / f.name)
        out.append(str(dest / f.name))
    return out


def remove_licenses(package_dir: str) -> None:
    """Remove ``<package_dir>/_licenses``: setuptools reuses its build directory, so a
    build against a system libzmq would otherwise ship the license files of an earlier
    bundled build there."""
    shutil.rmtree(Path(package_dir) / LICENSES_SUBDIR, ignore_errors=True)


def prepare(
    build_temp: str, compiler: Any, env: Optional[Mapping[str, str]] = None, draft: bool = False
) -> LibzmqBuild:
    """Build bundled libzmq (+ libsodium) and describe it as a :class:`LibzmqBuild`.

    ``draft`` (or ``ZMQ_DRAFT_API=1`` in ``env``) builds libzmq's draft API in.

    Every failure (no tarball, hash mismatch, patch or compile error) is a ``BundleError``
    whose message says what to do; ``buildutils.config`` turns it into the build's error.
    """
    try:
        env = os.environ if env is None else env
        return _prepare(build_temp, compiler, env, draft or draft_requested(env))
    except (CompileFailed, bundle_patch.PatchError) as e:
        raise BundleError(str(e)) from None


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Serialise builds sharing ``directory`` (unpacking replaces trees, archives are rewritten)."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as f:
        if sys.platform == "win32":
            import msvcrt

            # LK_LOCK gives up after 10 s of retrying: keep waiting like flock does
            while True:
                try:
                    msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                f.seek(0)
                msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)


def _prepare(build_temp: str, compiler: Any, env: Mapping[str, str], draft: bool) -> LibzmqBuild:
    curve = curve_choice(env)
    if env.get(BUILD_DIR_ENV):
        # A persistent place for sources + objects: rebuilds from fresh copies stay cached.
        work = Path(env[BUILD_DIR_ENV]).expanduser().resolve()
        src_root = work / "src"
    else:
        work = Path(build_temp).resolve() / "bundled"
        src_root = BUNDLED_DIR if _writable(BUNDLED_DIR) else work / "src"
    with _locked(src_root), _locked(work):
        return _build(build_temp, compiler, env, curve, work, src_root, draft)


def _build(
    build_temp: str,
    compiler: Any,
    env: Mapping[str, str],
    curve: str,
    work: Path,
    src_root: Path,
    draft: bool,
) -> LibzmqBuild:
    target = detect_target(compiler, work / "target")
    msg.info(
        f"bundled build target: {target.os} {target.arch or '(arch unknown)'}, "
        f"{'MSVC' if target.msvc else 'gcc-style'} compiler"
        + ("" if target.runs_here() else ", cross build (nothing built is run)")
    )
    suffix = target.dir_suffix()
    zmq_loc, zmq_tree = _locate_and_unpack("libzmq", src_root, env)
    trees = {"libzmq": zmq_tree}
    archives: list[str] = []
    sodium_includes: list[str] = []
    sodium_version = None
    if curve == "libsodium":
        sodium_loc, sodium_tree = _locate_and_unpack("libsodium", src_root, env)
        trees["libsodium"] = sodium_tree
        sodium_version = sodium_loc.tarball.version
        sodium_archive, sodium_includes = build_libsodium(
            sodium_tree, work / f"{sodium_tree.name}{suffix}", compiler, target
        )
        archives.append(sodium_archive)
    zmq_work = work / f"{zmq_tree.name}-{curve}{'-draft' if draft else ''}{suffix}"
    # libzmq first: the linker resolves its libsodium references from the later archive.
    zmq_archive, platform = build_libzmq(
        zmq_tree, zmq_work, compiler, curve, sodium_includes, target, draft
    )
    archives.insert(0, zmq_archive)
    copy_licenses(trees, licenses_dir(build_temp))
    build = LibzmqBuild(
        kind="bundled",
        prefix=None,
        include_dirs=[str(zmq_tree / "include")],
        extra_objects=archives,
        libraries=target.link_libraries(),
        define_macros=[("ZMQ_STATIC", None), *([DRAFT_MACRO] if draft else [])],
        libsodium=sodium_version,
    )
    if not target.runs_here():
        build.probe = unprobed_result(zmq_tree, platform, draft)
        return build
    try:
        build.probe = probe_libzmq(build, str(work / "probe"), compiler)
    except ProbeError as e:
        raise BundleError(f"the bundled libzmq {zmq_loc.tarball.version} does not work: {e}")
    return build


def unprobed_result(tree: Path, platform: Mapping[str, str], draft: bool = False) -> ProbeResult:
    """What the probe would report, for a build that cannot run here: from zmq.h and the
    platform.hpp macros (CURVE is always built; IPC where the target has it)."""
    text = (tree / "include" / "zmq.h").read_text()
    parts = [
        re.search(rf"^#define ZMQ_VERSION_{part}\s+(\d+)", text, re.M)
        for part in ("MAJOR", "MINOR", "PATCH")
    ]
    if not all(parts):
        raise BundleError(f"{tree}/include/zmq.h: cannot read the version")
    major, minor, patch = (int(m.group(1)) if m else 0 for m in parts)
    caps = {name: False for name in CAPABILITIES}
    caps["curve"] = "ZMQ_HAVE_CURVE" in platform
    caps["ipc"] = "ZMQ_HAVE_IPC" in platform
    caps["draft"] = draft
    return ProbeResult((major, minor, patch), (major, minor, patch), caps)
