"""The extension list and how the Cython extension is configured from a LibzmqBuild."""

from __future__ import annotations

from pathlib import Path

from buildutils import build_ext
from buildutils.build_cffi import MODULE as CFFI_MODULE
from buildutils.model import LibzmqBuild


def test_placeholder_names_match_the_backends(tmp_path: Path) -> None:
    """setup.py's placeholders carry the names the real extensions get in build_ext.run."""
    exts = build_ext.make_extensions(None, str(tmp_path))
    expected = ["cffi"] if build_ext.IS_PYPY else ["cython", "cffi"]
    assert [build_ext.backend_of(e) for e in exts] == expected
    assert exts[-1].name == CFFI_MODULE


def test_cython_extension_uses_libzmq_settings() -> None:
    lz = LibzmqBuild(
        kind="system",
        prefix="/opt/zmq",
        include_dirs=["/opt/zmq/include"],
        library_dirs=["/opt/zmq/lib"],
        libraries=["zmq"],
        runtime_library_dirs=["/opt/zmq/lib"],
        define_macros=[("ZMQ_BUILD_DRAFT_API", "1")],
        extra_compile_args=["-isystem", "/opt/krb5"],
    )
    ext = build_ext.cython_extension(lz)
    assert ext.name == "zmq.backend.cython._zmq"
    assert ext.sources == ["zmq/backend/cython/_zmq.pyx"]
    assert ext.language == "c"
    assert ext.include_dirs == ["/opt/zmq/include", "zmq/backend", "zmq/backend/cython"]
    assert (ext.library_dirs, ext.libraries) == (["/opt/zmq/lib"], ["zmq"])
    assert ext.runtime_library_dirs == ["/opt/zmq/lib"]
    assert ext.define_macros == [("ZMQ_BUILD_DRAFT_API", "1")]
    assert ext.extra_compile_args == ["-isystem", "/opt/krb5"]


def test_bundled_settings_pass_through() -> None:
    lz = LibzmqBuild(
        kind="bundled",
        include_dirs=["/b/include"],
        extra_objects=["/b/libzmq.a", "/b/libsodium.a"],
        libraries=["stdc++", "pthread"],
        define_macros=[("ZMQ_STATIC", None)],
    )
    ext = build_ext.cython_extension(lz)
    assert ext.extra_objects == ["/b/libzmq.a", "/b/libsodium.a"]
    assert ext.libraries == ["stdc++", "pthread"]
    assert ext.define_macros == [("ZMQ_STATIC", None)]


def test_cython_directives() -> None:
    assert build_ext.CYTHON_DIRECTIVES == {"language_level": "3", "embedsignature": True}


def test_zmq_draft_option_is_declared() -> None:
    names = {opt[0] for opt in build_ext.build_ext.user_options}
    assert {"zmq=", "zmq-draft"} <= names
    assert "zmq-draft" in build_ext.build_ext.boolean_options


def test_changed_libzmq_settings_force_a_rebuild(tmp_path: Path) -> None:
    """Switching e.g. to the draft build leaves the extensions' sources unchanged, so
    setuptools alone would keep the binaries built against the previous libzmq."""
    # the check reads only build_temp; no Distribution, whose class differs between the
    # stdlib's distutils and setuptools' copy once both were imported (PyPy 3.9 suite)
    cmd = build_ext.build_ext.__new__(build_ext.build_ext)
    cmd.build_temp = str(tmp_path)
    plain = LibzmqBuild(kind="system", include_dirs=["/usr/include"], libraries=["zmq"])
    draft = LibzmqBuild(
        kind="bundled",
        include_dirs=["/b/include"],
        extra_objects=["/b/libzmq.a"],
        define_macros=[("ZMQ_STATIC", None), ("ZMQ_BUILD_DRAFT_API", "1")],
    )
    assert cmd._libzmq_changed(plain) is True  # no record of an earlier build
    assert cmd._libzmq_changed(plain) is False
    assert cmd._libzmq_changed(draft) is True
    assert cmd._libzmq_changed(draft) is False
    assert cmd._libzmq_changed(plain) is True


def test_build_info_goes_beside_the_extensions(tmp_path: Path) -> None:
    """Into the build dir; into the tree too only for in-place (and editable) builds."""
    cmd = build_ext.build_ext.__new__(build_ext.build_ext)
    cmd.build_lib = str(tmp_path / "lib")
    cmd.inplace = False
    assert cmd._package_dirs() == [tmp_path / "lib" / "zmq"]
    cmd.inplace = True
    assert cmd._package_dirs() == [tmp_path / "lib" / "zmq", build_ext.ROOT / "zmq"]


def test_license_files_only_in_bundled_builds(tmp_path: Path) -> None:
    """setuptools reuses build/lib: a build against a system libzmq after a bundled one
    must not ship the bundled libraries' license files, and a bundled build ships only
    its own."""
    cmd = build_ext.build_ext.__new__(build_ext.build_ext)
    cmd.build_lib = str(tmp_path / "lib")
    cmd.build_temp = str(tmp_path / "temp")
    cmd.inplace = False
    package = tmp_path / "lib" / "zmq"
    built = tmp_path / "temp" / "bundled" / "licenses"
    built.mkdir(parents=True)
    (built / "libzmq-COPYING.LESSER").write_text("LGPL")
    stale = package / "_licenses" / "libsodium-LICENSE"
    stale.parent.mkdir(parents=True)
    stale.write_text("from an earlier build with libsodium")

    cmd._stamp_packages(LibzmqBuild(kind="bundled"), {"kind": "bundled"})
    assert sorted(p.name for p in (package / "_licenses").iterdir()) == ["libzmq-COPYING.LESSER"]
    assert "'kind': 'bundled'" in (package / "_build_info.py").read_text()

    cmd._stamp_packages(LibzmqBuild(kind="system"), {"kind": "system"})
    assert not (package / "_licenses").exists()
    assert "'kind': 'system'" in (package / "_build_info.py").read_text()
