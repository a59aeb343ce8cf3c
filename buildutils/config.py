"""Choose the libzmq to build against: ``--zmq``, ``ZMQ_PREFIX``, pkg-config, standard prefixes.

:func:`resolve_zmq` is the one entry point. Each system candidate is probed
(:mod:`buildutils.probe`); a rejected candidate leaves a one-line reason. If the explicit
choice is rejected, or nothing usable is found, the build falls back to the bundled libzmq
(:func:`buildutils.bundled.build.prepare`); if that fails too it stops with
:class:`ConfigError`, a one-paragraph message listing every reason and how to fix it.

The draft API (``ZMQ_DRAFT_API=1`` or ``build_ext --zmq-draft``): a system libzmq is
accepted only if it was built with it (``zmq_has("draft")``), else the bundled libzmq is
built with it. Without that request, a system libzmq that has the draft API is still used
with it (the backends see its declarations).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable, Optional

from buildutils import compiler as cc
from buildutils import discover, msg, probe
from buildutils.bundled import build as bundled
from buildutils.bundled.fetch import BundleError
from buildutils.discover import Rejected
from buildutils.model import DRAFT_ENV, DRAFT_MACRO, MIN_VERSION, LibzmqBuild, draft_requested

BUNDLED = "bundled"


class ConfigError(Exception):
    """No usable libzmq; the message says what was tried and how to fix it."""


def explicit_choice(option: Optional[str], env: Mapping[str, str]) -> tuple[str, Optional[str]]:
    """(origin, value): ``--zmq`` beats ``ZMQ_PREFIX``; ("discover", None) if neither is set."""
    if option:
        return "--zmq", option
    if env.get("ZMQ_PREFIX"):
        return "ZMQ_PREFIX", env["ZMQ_PREFIX"]
    return "discover", None


def prefix_candidate(prefix: str, arches: list[str], origin: str) -> LibzmqBuild:
    """A build description for an install prefix (include/ + a lib dir), or Rejected."""
    prefix = os.path.abspath(os.path.expanduser(prefix))
    if not os.path.isdir(prefix):
        raise Rejected(f"libzmq at {prefix}: no such directory")
    include = str(Path(prefix) / "include")
    if not (Path(include) / "zmq.h").is_file():
        raise Rejected(f"libzmq at {prefix}: no include/zmq.h")
    libdir = discover.find_library_dir(prefix, arches)
    return LibzmqBuild(
        kind="system",
        prefix=prefix,
        include_dirs=[include],
        library_dirs=[libdir],
        libraries=["zmq"],
        runtime_library_dirs=discover.rpath_for([libdir], arches),
        origin=origin,
    )


def pkg_config_candidate(env: Mapping[str, str], arches: list[str]) -> Optional[LibzmqBuild]:
    """libzmq as pkg-config describes it; None if pkg-config or its libzmq.pc is missing."""
    cflags = discover.pkg_config(env, "--cflags")
    libs = discover.pkg_config(env, "--libs")
    if cflags is None or libs is None:
        return None
    flags = discover.parse_pkg_config(cflags, libs)
    return LibzmqBuild(
        kind="system",
        prefix=discover.pkg_config(env, "--variable=prefix") or None,
        include_dirs=flags.include_dirs,
        library_dirs=flags.library_dirs,
        libraries=flags.libraries or ["zmq"],
        runtime_library_dirs=discover.rpath_for(flags.library_dirs, arches),
        define_macros=flags.define_macros,
        extra_compile_args=flags.extra_compile_args,
        extra_link_args=flags.extra_link_args,
        origin="pkg-config",
    )


def describe(build: LibzmqBuild) -> str:
    return build.prefix or "(pkg-config, default paths)"


def check(build: LibzmqBuild, workdir: str, compiler: Any, need_draft: bool = False) -> LibzmqBuild:
    """Probe ``build``; set ``build.probe`` or raise Rejected with a one-line reason."""
    where = f"libzmq at {describe(build)}"
    try:
        result = probe.probe_libzmq(build, workdir, compiler)
    except cc.ProbeError as e:
        raise Rejected(f"{where}: {e}") from None
    for label, version in (("", result.runtime_version), ("header ", result.header_version)):
        if version[:2] < MIN_VERSION:
            v = ".".join(map(str, version))
            minimum = ".".join(map(str, MIN_VERSION))
            raise Rejected(f"{where}: {label}version {v} is older than {minimum}")
    if need_draft and not result.capabilities.get("draft"):
        raise Rejected(f"{where}: built without the draft API, which {DRAFT_ENV}=1 asks for")
    build.probe = result
    if result.capabilities.get("draft"):
        # libzmq exports the draft API: let the backends' C code see its declarations.
        build.define_macros.append(DRAFT_MACRO)
    return build


def discovery_candidates(
    env: Mapping[str, str], arches: list[str]
) -> list[Callable[[], Optional[LibzmqBuild]]]:
    """Lazily built candidates in discovery order: pkg-config, then standard prefixes."""
    thunks: list[Callable[[], Optional[LibzmqBuild]]] = [lambda: pkg_config_candidate(env, arches)]
    for p in discover.standard_prefixes(env):
        if os.path.isdir(p):
            thunks.append(functools.partial(prefix_candidate, p, arches, "standard prefix"))
    return thunks


def resolve_zmq(
    option: Optional[str],
    build_temp: str,
    compiler: Any = None,
    env: Optional[Mapping[str, str]] = None,
    draft: bool = False,
) -> LibzmqBuild:
    """Pick, probe and return the libzmq to build against (see module docstring).

    ``draft`` (or ``ZMQ_DRAFT_API=1`` in ``env``) requires libzmq's draft API."""
    env = os.environ if env is None else env
    draft = draft or draft_requested(env)
    compiler = compiler or cc.make_compiler()
    arches = discover.multiarch(compiler)
    origin, value = explicit_choice(option, env)
    workdir = str(Path(build_temp) / "probe")
    reasons: list[str] = []
    if value == BUNDLED:
        return use_bundled(build_temp, compiler, reasons, f"{origin}={BUNDLED}", draft=draft)
    if value is not None:
        thunks: list[Callable[[], Optional[LibzmqBuild]]] = [
            lambda: prefix_candidate(value, arches, origin)
        ]
    else:
        thunks = discovery_candidates(env, arches)
    for thunk in thunks:
        try:
            build = thunk()
            if build is None:
                continue
            chosen = check(build, workdir, compiler, need_draft=draft)
        except Rejected as e:
            reasons.append(str(e))
            msg.info(f"rejected: {e}")
            continue
        chosen.reasons = reasons
        return chosen
    if not reasons:
        reasons.append(
            "no libzmq found by pkg-config or in " + ", ".join(discover.standard_prefixes(env))
        )
    return use_bundled(build_temp, compiler, reasons, "fallback", draft=draft)


def use_bundled(
    build_temp: str, compiler: Any, reasons: list[str], origin: str, draft: bool = False
) -> LibzmqBuild:
    """The bundled libzmq, built; a ConfigError listing every reason if that fails too."""
    if reasons:
        msg.info("no usable system libzmq: building the bundled one")
    try:
        build = bundled.prepare(build_temp, compiler, draft=draft)
    except BundleError as e:  # its message says what went wrong and what to do
        raise ConfigError(no_libzmq_message(reasons, bundle_error=str(e))) from None
    build.reasons = reasons + build.reasons
    build.origin = build.origin or origin
    return build


def no_libzmq_message(reasons: list[str], bundle_error: str) -> str:
    tried = "; ".join(reasons) if reasons else "nothing else (bundled was asked for)"
    failed = " ".join(bundle_error.split())
    return (
        f"No usable libzmq (>= {MIN_VERSION[0]}.{MIN_VERSION[1]}) was found and the bundled "
        f"libzmq failed: {failed}. "
        f"Tried: {tried}. To fix: install the libzmq development "
        "package (Debian/Ubuntu: apt-get install libzmq3-dev pkg-config; Fedora: zeromq-devel; "
        "Homebrew: zeromq; conda: zeromq), or point the build at an install prefix with "
        "ZMQ_PREFIX=/path (pip) or `python setup.py build_ext --zmq=/path`, or use "
        "ZMQ_PREFIX=bundled / --zmq=bundled with the bundled tarballs at hand (see bundled/README.md)."
    )
