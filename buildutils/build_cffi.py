"""The CFFI backend's extension: ``zmq.backend.cffi._cffi_zmq`` in out-of-line API mode.

:func:`cffi_extension` turns a :class:`buildutils.model.LibzmqBuild` into a setuptools
``Extension``: it writes the C that CFFI generates (the declarations of
``zmq/backend/cffi/_cdefs.h`` plus the constants the build's zmq.h defines, from
:func:`buildutils.header_constants.render_cdefs`, and the helper C of ``_helpers.c``) into
``build_temp`` and compiles it against exactly the same libzmq (include dirs, libraries,
extra objects, macros) as the Cython backend.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from setuptools import Extension  # type: ignore[import-untyped, unused-ignore]

from buildutils.model import LibzmqBuild

MODULE = "zmq.backend.cffi._cffi_zmq"
ROOT = Path(__file__).resolve().parent.parent
CFFI_DIR = ROOT / "zmq" / "backend" / "cffi"
#: Where ``_zerocopy.h`` (shared with the Cython backend) lives.
SHARED_INCLUDE = ROOT / "zmq" / "backend"
#: Helpers that never block, called with the GIL held on CPython (see _helpers.c).
KEEP_GIL = ("zpy_try_send_copy", "zpy_try_recv", "zpy_try_recv_new", "zpy_draft_poller_drain")
_RELEASE = "  Py_BEGIN_ALLOW_THREADS\n"
_ACQUIRE = "  Py_END_ALLOW_THREADS\n"


def cdef_source(constant_cdefs: str) -> str:
    """The complete cdef: the static declarations, then the header's constants."""
    return (CFFI_DIR / "_cdefs.h").read_text() + "\n" + constant_cdefs


def c_source() -> str:
    """The C that set_source() compiles besides CFFI's own wrappers."""
    return (
        "#include <zmq.h>\n"
        "#ifndef ZMQ_MAKE_VERSION\n"
        "#define ZMQ_MAKE_VERSION(major, minor, patch) "
        "((major) * 10000 + (minor) * 100 + (patch))\n"
        "#endif\n"
        '#include "_zerocopy.h"\n'
        '#include "_proxy.h"\n'
        '#include "_draft_poller.h"\n' + (CFFI_DIR / "_helpers.c").read_text()
    )


def make_ffi(libzmq: LibzmqBuild, constant_cdefs: str) -> Any:
    """A ``cffi.FFI`` with the cdefs and the source set (linked as ``libzmq`` says)."""
    import cffi  # only the CFFI backend's build needs it

    ffi = cffi.FFI()
    ffi.cdef(cdef_source(constant_cdefs))
    ffi.set_source(MODULE, c_source(), **extension_kwargs(libzmq))
    return ffi


def extension_kwargs(libzmq: LibzmqBuild) -> dict[str, Any]:
    """Compile and link settings: libzmq's own plus the shared header's directory."""
    return {
        "include_dirs": [*libzmq.include_dirs, str(SHARED_INCLUDE)],
        "library_dirs": list(libzmq.library_dirs),
        "libraries": list(libzmq.libraries),
        "extra_objects": list(libzmq.extra_objects),
        "runtime_library_dirs": list(libzmq.runtime_library_dirs),
        "define_macros": list(libzmq.define_macros),
        "extra_compile_args": list(libzmq.extra_compile_args),
        "extra_link_args": list(libzmq.extra_link_args),
    }


def keep_gil(source: str, names: tuple[str, ...] = KEEP_GIL) -> str:
    """Remove the GIL release from CFFI's CPython wrappers of ``names``.

    A wrapper whose text is not as expected is left as it is (correct, only slower).
    """
    for name in names:
        start = source.find(f"\n_cffi_f_{name}(PyObject *self")
        end = source.find("\n}\n", start)
        if start < 0 or end < 0:
            continue
        body = source[start:end]
        if body.count(_RELEASE) == 1 and body.count(_ACQUIRE) == 1:
            body = body.replace(_RELEASE, "").replace(_ACQUIRE, "")
            source = source[:start] + body + source[end:]
    return source


def cffi_extension(libzmq: LibzmqBuild, build_temp: str, constant_cdefs: str) -> Extension:
    """Emit the CFFI C source into ``build_temp`` and describe its extension."""
    ffi = make_ffi(libzmq, constant_cdefs)
    out = Path(build_temp) / "cffi" / (MODULE.rsplit(".", 1)[1] + ".c")
    out.parent.mkdir(parents=True, exist_ok=True)
    emitted = out.with_suffix(".cffi.c")
    ffi.emit_c_code(str(emitted))
    source = keep_gil(emitted.read_text())
    if not out.exists() or out.read_text() != source:  # unchanged: no rebuild
        out.write_text(source)
    return Extension(MODULE, sources=[str(out)], **extension_kwargs(libzmq))
