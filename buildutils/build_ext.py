"""The ``build_ext`` command: resolve libzmq, read its header, build the backends.

The top layer of ``buildutils``. Order inside :meth:`build_ext.run`:

1. resolve libzmq (``--zmq`` / ``ZMQ_PREFIX`` / discovery / bundled; ``--zmq-draft`` or
   ``ZMQ_DRAFT_API=1`` for the draft API) with a compiler set
   up exactly like the one that compiles the extensions, and print the choice;
2. read which constants its zmq.h defines (:mod:`buildutils.header_constants`);
3. :func:`make_extensions` for that libzmq (the CFFI backend's cdef gets those constants);
   cythonize the Cython one (its C goes into the build directory too);
4. compile (setuptools), then write ``zmq/_build_info.py`` beside the extensions (in the
   build directory; also in the tree for in-place and editable builds) and print a summary.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any, Optional

from setuptools import Extension  # type: ignore[import-untyped, unused-ignore]
from setuptools.command.build_ext import (  # type: ignore[import-untyped, unused-ignore]
    build_ext as _build_ext,
)

from buildutils import build_cffi, buildinfo, config, header_constants, msg
from buildutils.bundled import build as bundled
from buildutils.compiler import make_compiler
from buildutils.model import LibzmqBuild

ROOT = Path(__file__).resolve().parent.parent
CYTHON_NAME = "zmq.backend.cython._zmq"
CYTHON_PYX = Path("zmq", "backend", "cython", "_zmq.pyx")
CYTHON_DIRECTIVES = {"language_level": "3", "embedsignature": True}
IS_PYPY = platform.python_implementation() == "PyPy"


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


def make_extensions(
    libzmq: Optional[LibzmqBuild], build_temp: str, constant_cdefs: str = ""
) -> list[Extension]:
    """The extension list: Cython on CPython, CFFI everywhere.

    With ``libzmq=None`` (setup.py time) the entries are placeholders with the right
    names; ``build_ext.run`` replaces them once libzmq is resolved and its header read
    (``constant_cdefs``: :func:`buildutils.header_constants.render_cdefs`).
    """
    exts: list[Extension] = []
    if not IS_PYPY:
        exts.append(cython_extension(libzmq))
    exts.append(
        build_cffi.cffi_extension(libzmq, build_temp, constant_cdefs)
        if libzmq is not None
        else Extension(build_cffi.MODULE, sources=[])
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
        cc = make_compiler(self.compiler, force=bool(self.force))
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
        hv = self._read_header(libzmq, compiler)
        cdefs = header_constants.render_cdefs(hv, libzmq.draft)
        self._configure(make_extensions(libzmq, self.build_temp, cdefs))
        super().run()
        info = buildinfo.collect(
            libzmq,
            [backend_of(e) for e in self.extensions],
            compiler,
            header_constants.undefined_names(hv),
        )
        self._stamp_packages(libzmq, info)
        for line in buildinfo.summary(info).splitlines():
            msg.info(line)

    def _stamp_packages(self, libzmq: LibzmqBuild, info: dict[str, Any]) -> None:
        """Beside the extensions: the build info, and the bundled libraries' license files
        exactly when they are built in (none left from an earlier build here)."""
        for package in self._package_dirs():
            if libzmq.kind == "bundled":
                bundled.install_licenses(self.build_temp, str(package))
            else:
                bundled.remove_licenses(str(package))
            buildinfo.write(package / buildinfo.BUILD_INFO_FILE.name, info)

    def _package_dirs(self) -> list[Path]:
        """Where the extensions go: the build dir, and the tree for in-place builds."""
        dirs = [Path(self.build_lib) / "zmq"]
        if self.inplace:
            dirs.append(ROOT / "zmq")
        return dirs

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

    def _read_header(self, libzmq: LibzmqBuild, compiler: Any) -> header_constants.HeaderValues:
        hv = header_constants.read_header(
            libzmq.include_dirs,
            Path(self.build_temp) / "constants",
            compiler=compiler,
            define_macros=libzmq.define_macros,
            extra_compile_args=libzmq.extra_compile_args,
            header=libzmq.header() or "zmq.h",
        )
        missing = len(header_constants.undefined_names(hv))
        msg.info(f"constants read from {hv.header} ({missing} names missing there)")
        return hv

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
                    build_dir=str(Path(self.build_temp) / "cython"),  # not beside the .pyx
                    force=bool(self.force),
                    quiet=not self.verbose,
                    annotate=False,
                )
            target = placeholders.get(ext.name)
            if target is None:
                raise RuntimeError(f"extension {ext.name} was not declared in setup.py")
            target.__dict__.update({k: v for k, v in vars(ext).items() if not k.startswith("_")})
        self.extensions = [placeholders[e.name] for e in real]

    def get_outputs(self) -> list[str]:
        outputs: list[str] = super().get_outputs()
        if not self.inplace:
            outputs.append(os.path.join(self.build_lib, buildinfo.BUILD_INFO_FILE))
        return outputs
