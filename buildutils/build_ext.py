"""The ``build_ext`` command: resolve libzmq, generate constants, build the backends.

Order inside :meth:`build_ext.run`:

1. resolve libzmq (``--zmq`` / ``ZMQ_PREFIX`` / discovery / bundled; ``--zmq-draft`` or
   ``ZMQ_DRAFT_API=1`` for the draft API) with a compiler set
   up exactly like the one that compiles the extensions, and print the choice;
2. generate ``zmq/constants.py`` and the backends' constant files from its zmq.h;
3. :func:`make_extensions` for that libzmq; cythonize the Cython one;
4. compile (setuptools), then write ``zmq/_build_info.py`` and print a summary.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import shutil
from pathlib import Path
from typing import Any, Optional

from setuptools import Extension  # type: ignore[import-untyped, unused-ignore]
from setuptools.command.build_ext import (  # type: ignore[import-untyped, unused-ignore]
    build_ext as _build_ext,
)

from buildutils import buildinfo, config, constants, msg, probe
from buildutils.config import LibzmqBuild

ROOT = Path(__file__).resolve().parent.parent
CYTHON_NAME = "zmq.backend.cython._zmq"
CYTHON_PYX = Path("zmq", "backend", "cython", "_zmq.pyx")
CFFI_NAME = "zmq.backend.cffi._cffi_zmq"
CYTHON_DIRECTIVES = {"language_level": "3", "embedsignature": True}
IS_PYPY = platform.python_implementation() == "PyPy"


def _cffi_builder() -> Optional[Any]:
    """``buildutils.build_cffi`` if it exists (it is optional while being written)."""
    try:
        return importlib.import_module("buildutils.build_cffi")
    except ModuleNotFoundError as e:
        if e.name != "buildutils.build_cffi":
            raise
        return None


def cython_extension(libzmq: Optional[LibzmqBuild]) -> Extension:
    backend = Path("zmq", "backend")
    lz = libzmq or LibzmqBuild(kind="system")
    return Extension(
        CYTHON_NAME,
        sources=[str(CYTHON_PYX)],
        language="c",
        include_dirs=[*lz.include_dirs, str(backend), str(backend / "cython")],
        library_dirs=list(lz.library_dirs),
        libraries=list(lz.libraries),
        runtime_library_dirs=list(lz.runtime_library_dirs),
        extra_objects=list(lz.extra_objects),
        define_macros=list(lz.define_macros),
        extra_compile_args=list(lz.extra_compile_args),
        extra_link_args=list(lz.extra_link_args),
    )


def make_extensions(libzmq: Optional[LibzmqBuild], build_temp: str) -> list[Extension]:
    """The extension list: Cython on CPython (if its source exists), CFFI when available.

    With ``libzmq=None`` (setup.py time) the entries are placeholders with the right
    names; ``build_ext.run`` replaces them once libzmq is resolved.
    """
    exts: list[Extension] = []
    if not IS_PYPY:
        if (ROOT / CYTHON_PYX).exists():
            exts.append(cython_extension(libzmq))
        elif libzmq is not None:
            msg.warn(f"{CYTHON_PYX} does not exist yet: skipping the Cython backend")
    cffi = _cffi_builder()
    if cffi is not None:
        exts.append(
            cffi.cffi_extension(libzmq, build_temp)
            if libzmq is not None
            else Extension(CFFI_NAME, sources=[])
        )
    return exts


def backend_of(ext: Extension) -> str:
    return "cython" if ext.name == CYTHON_NAME else "cffi"


class build_ext(_build_ext):
    extensions: list[Extension]
    user_options = [
        *_build_ext.user_options,
        (
            "zmq=",
            None,
            "libzmq install prefix, or 'bundled' (default: $ZMQ_PREFIX, then discovery)",
        ),
        (
            "zmq-draft",
            None,
            "build with libzmq's draft API (as ZMQ_DRAFT_API=1): a system libzmq must have "
            "it, else the bundled one is built with it",
        ),
    ]
    boolean_options = [*_build_ext.boolean_options, "zmq-draft"]

    def initialize_options(self) -> None:
        super().initialize_options()
        self.zmq: Optional[str] = None
        self.zmq_draft: bool = False

    def _compiler(self) -> Any:
        """A compiler configured like the one ``build_ext.run`` creates for the build."""
        cc = probe.make_compiler(self.compiler, force=bool(self.force))
        if self.include_dirs:
            cc.set_include_dirs(self.include_dirs)
        return cc

    def run(self) -> None:
        from distutils.errors import DistutilsSetupError

        compiler = self._compiler()
        try:
            libzmq = config.resolve_zmq(
                self.zmq, self.build_temp, compiler, draft=bool(self.zmq_draft)
            )
        except config.ConfigError as e:
            raise DistutilsSetupError(str(e)) from None
        msg.info(libzmq.summary())
        if self._libzmq_changed(libzmq):
            # the extensions' sources may be unchanged: setuptools would keep old binaries
            msg.info("libzmq settings differ from the last build here: rebuilding everything")
            self.force = True
        self._generate_constants(libzmq, compiler)
        self._configure(make_extensions(libzmq, self.build_temp))
        super().run()
        if libzmq.kind == "bundled":
            from buildutils import bundle

            package = ROOT / "zmq" if self.inplace else Path(self.build_lib) / "zmq"
            bundle.install_licenses(self.build_temp, str(package))
        info = buildinfo.collect(libzmq, [backend_of(e) for e in self.extensions], compiler)
        self._write_outputs(info)
        for line in buildinfo.summary(info).splitlines():
            msg.info(line)

    def _libzmq_changed(self, libzmq: LibzmqBuild) -> bool:
        """Record how libzmq is compiled and linked; True if the last build differed."""
        settings = json.dumps(
            [
                libzmq.include_dirs,
                libzmq.library_dirs,
                libzmq.libraries,
                libzmq.extra_objects,
                libzmq.runtime_library_dirs,
                libzmq.define_macros,
                libzmq.extra_compile_args,
                libzmq.extra_link_args,
            ]
        )
        stamp = Path(self.build_temp) / "libzmq-settings.json"
        try:
            changed = stamp.read_text() != settings
        except OSError:  # first build here, or one from before the stamp existed
            changed = True
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(settings)
        return changed

    def _generate_constants(self, libzmq: LibzmqBuild, compiler: Any) -> None:
        hv = constants.read_header(
            libzmq.include_dirs,
            Path(self.build_temp) / "constants",
            compiler=compiler,
            define_macros=libzmq.define_macros,
            extra_compile_args=libzmq.extra_compile_args,
            header=libzmq.header() or "zmq.h",
        )
        draft = any(name == config.DRAFT_MACRO[0] for name, _ in libzmq.define_macros)
        constants.write_all(hv, ROOT, draft)
        undefined = sum(1 for c in constants.names.CONSTANTS if c.macro and not hv.in_header(c))
        msg.info(f"constants generated from {hv.header} ({undefined} names missing there)")

    def _configure(self, real: list[Extension]) -> None:
        """Copy the real extensions' settings into the placeholders from setup.py.

        Updating in place keeps the attributes setuptools attached to them in
        ``finalize_options`` (output file names, stub flags).
        """
        placeholders = {e.name: e for e in self.extensions}
        for ext in real:
            if any(str(s).endswith(".pyx") for s in ext.sources):
                from Cython.Build import cythonize  # only needed for the Cython backend

                (ext,) = cythonize(
                    [ext],
                    compiler_directives=dict(CYTHON_DIRECTIVES),
                    include_path=[str(ROOT / "zmq" / "backend" / "cython")],
                    force=bool(self.force),
                    quiet=not self.verbose,
                    annotate=False,
                )
            target = placeholders.get(ext.name)
            if target is None:
                raise RuntimeError(f"extension {ext.name} was not declared in setup.py")
            target.__dict__.update({k: v for k, v in vars(ext).items() if not k.startswith("_")})
        self.extensions = [placeholders[e.name] for e in real]

    def _write_outputs(self, info: dict[str, Any]) -> None:
        """Build info into the tree; generated .py files also into build_lib if not inplace."""
        src = buildinfo.write(ROOT / buildinfo.BUILD_INFO_FILE, info)
        if self.inplace:
            return
        for rel, path in (
            (buildinfo.BUILD_INFO_FILE, src),
            (constants.PY_FILE, ROOT / constants.PY_FILE),
        ):
            dest = Path(self.build_lib) / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)

    def get_outputs(self) -> list[str]:
        outputs: list[str] = super().get_outputs()
        if not self.inplace:
            for rel in (buildinfo.BUILD_INFO_FILE, constants.PY_FILE):
                outputs.append(os.path.join(self.build_lib, rel))
        return outputs
