"""Bundled build pieces: patches, compiler probes, libsodium's Makefile.am, object cache."""

from __future__ import annotations

import os
import sys
import tarfile
from pathlib import Path

import pytest

from buildutils.bundled import build as bundle
from buildutils.bundled import checks, libsodium_config, libzmq_config
from buildutils.bundled import fetch as bundle_fetch
from buildutils.bundled import patch as bundle_patch
from buildutils.bundled.compile import Source, compile_sources
from buildutils.bundled.fetch import BundleError
from buildutils.compiler import make_compiler


def test_bundled_dir_is_the_top_level_one() -> None:
    """Tarballs unpack into the source tree's bundled/ (git-ignored there), never into
    the buildutils.bundled package."""
    top = Path(__file__).resolve().parents[2]
    assert bundle.BUNDLED_DIR == top / "bundled"
    assert (bundle.BUNDLED_DIR / "README.md").is_file()


def real_tarball(project: str) -> Path:
    """An accepted tarball from bundled/ or the cache (CI fetches them; see ci/)."""
    try:
        return bundle_fetch.locate(
            project, bundle.BUNDLED_DIR, os.environ, allow_download=False
        ).path
    except BundleError as e:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no local {project} tarball: {e}")


def extract_one(tarball: Path, suffix: str, dest: Path) -> Path:
    """Extract the single member ending in ``suffix`` as ``dest/<path without top dir>``."""
    with tarfile.open(tarball) as tar:
        (member,) = [m for m in tar.getmembers() if m.name.endswith(suffix)]
        data = tar.extractfile(member).read()  # type: ignore[union-attr]
    out = dest / member.name.split("/", 1)[1]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


# --- patches ------------------------------------------------------------------------------

DIFF = """\
A comment before the diff is ignored.

--- a/src/f.txt
+++ b/src/f.txt
@@ -2,3 +2,4 @@
 two
-three
+THREE
+three and a half
 four
"""


def test_patch_applies_and_refuses_mismatch(tmp_path: Path) -> None:
    f = tmp_path / "src" / "f.txt"
    f.parent.mkdir()
    f.write_text("one\ntwo\nthree\nfour\nfive\n")
    assert bundle_patch.apply_to(tmp_path, DIFF) == ["src/f.txt"]
    assert f.read_text() == "one\ntwo\nTHREE\nthree and a half\nfour\nfive\n"
    with pytest.raises(bundle_patch.PatchError, match="does not apply"):
        bundle_patch.apply_to(tmp_path, DIFF)  # already applied: context no longer matches
    with pytest.raises(bundle_patch.PatchError, match="does not exist"):
        bundle_patch.apply_to(tmp_path / "nowhere", DIFF)


def test_patch_for_434_applies_to_its_source(tmp_path: Path) -> None:
    tarball = real_tarball("libzmq")
    version = bundle_fetch.verify(tarball, "libzmq").version
    patches = bundle_patch.patches_for("libzmq", version)
    if version == "4.3.4":
        assert [p.name for p in patches] == [
            "0001-secure-allocator-rebind.patch",
            "0002-wepoll-lowercase-windows-headers.patch",
        ]
    header = extract_one(tarball, "src/secure_allocator.hpp", tmp_path)
    wepoll = extract_one(tarball, "external/wepoll/wepoll.c", tmp_path)
    before = header.read_text()
    assert "#include <WinSock2.h>" in wepoll.read_text()
    assert bundle_patch.apply_all(tmp_path, "libzmq", version) == [p.name for p in patches]
    if version == "4.3.4":
        after = header.read_text()
        assert after != before
        # The tweetnacl allocator (the #else branch) now rebinds to itself.
        tweetnacl_branch = after.split("#else", 1)[1]
        assert "typedef secure_allocator_t<U> other;" in tweetnacl_branch
        # MinGW on a case-sensitive file system finds wepoll's Windows headers.
        includes = [ln for ln in wepoll.read_text().splitlines() if ln.startswith("#include <")]
        assert "#include <winsock2.h>" in includes and "#include <windows.h>" in includes
        assert not any(ln != ln.lower() for ln in includes)


# --- compiler probes ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def zmq_answers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bool]:
    work = tmp_path_factory.mktemp("zmq-checks")
    return checks.run_checks(
        make_compiler(), libzmq_config.ZMQ_CHECKS, work, macros=[("_GNU_SOURCE", None)]
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="expectations are Linux's")
def test_platform_header_probe_on_linux(zmq_answers: dict[str, bool]) -> None:
    macros = libzmq_config.zmq_platform(zmq_answers, "libsodium", 64)
    for name in (
        "ZMQ_IOTHREAD_POLLER_USE_EPOLL",
        "ZMQ_HAVE_EVENTFD",
        "ZMQ_HAVE_IPC",
        "ZMQ_HAVE_SO_KEEPALIVE",
        "ZMQ_HAVE_TCP_KEEPCNT",
        "ZMQ_HAVE_UIO",
        "ZMQ_POLL_BASED_ON_POLL",
        "HAVE_STRNLEN",
        "ZMQ_HAVE_PTHREAD_SETNAME_2",
        "ZMQ_USE_LIBSODIUM",
        "ZMQ_HAVE_CURVE",
    ):
        assert name in macros, name
    # Not Linux's: the probes must say no, not assume yes.
    for name in (
        "ZMQ_IOTHREAD_POLLER_USE_KQUEUE",
        "ZMQ_HAVE_TCP_KEEPALIVE",
        "HAVE_GETHRTIME",
        "ZMQ_HAVE_PTHREAD_SETNAME_1",
        "ZMQ_HAVE_PTHREAD_SETNAME_3",
        "ZMQ_USE_TWEETNACL",
    ):
        assert name not in macros, name
    assert macros["ZMQ_CACHELINE_SIZE"] == "64"
    text = libzmq_config.render_platform_hpp(macros, "test")
    assert text.startswith("// Generated by")
    assert "#define ZMQ_IOTHREAD_POLLER_USE_EPOLL\n" in text


def test_tweetnacl_platform() -> None:
    macros = libzmq_config.zmq_platform({"poll": True}, "tweetnacl", 128)
    assert "ZMQ_USE_TWEETNACL" in macros and "ZMQ_USE_LIBSODIUM" not in macros
    assert "ZMQ_IOTHREAD_POLLER_USE_POLL" in macros and macros["ZMQ_CACHELINE_SIZE"] == "128"
    with pytest.raises(RuntimeError, match="none of epoll"):
        libzmq_config.zmq_platform({}, "tweetnacl")


def test_probe_answers_are_cached(tmp_path: Path) -> None:
    two = (
        checks.Check("yes", "    return 0;"),
        checks.Check("no", "    this is not C;"),
    )
    cc = make_compiler()
    assert checks.run_checks(cc, two, tmp_path) == {"yes": True, "no": False}
    # A forged cache entry with the same key is believed: proof nothing was recompiled.
    cache = tmp_path / "answers.json"
    cache.write_text(cache.read_text().replace('"no": false', '"no": true'))
    assert checks.run_checks(cc, two, tmp_path) == {"yes": True, "no": True}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="expectations are Linux's")
def test_sodium_config_here(tmp_path: Path) -> None:
    answers = checks.run_checks(make_compiler(), libsodium_config.SODIUM_CHECKS, tmp_path)
    macros, flags = libsodium_config.sodium_config(answers)
    names = dict(macros)
    assert names["CONFIGURED"] == "1"
    assert "HAVE_MMAP" in names and "HAVE_GETRANDOM" in names and "HAVE_ATOMIC_OPS" in names
    assert ("NATIVE_LITTLE_ENDIAN" in names) != ("NATIVE_BIG_ENDIAN" in names)
    assert "HAVE_MEMSET_S" not in names  # a C11 Annex K function glibc lacks
    if os.uname().machine == "x86_64":
        for macro in (
            "HAVE_EMMINTRIN_H",
            "HAVE_AVX2INTRIN_H",
            "HAVE_AMD64_ASM",
            "HAVE_AVX_ASM",
            "HAVE_TI_MODE",
            "HAVE_CPUID",
        ):
            assert macro in names, macro
        assert flags["AVX2"] == "-mavx2" and flags["AESNI"] == "-maes -mpclmul"


# --- libsodium's Makefile.am --------------------------------------------------------------

AM = """\
libsodium_la_SOURCES = \\
\ta.c \\
\tb.h
if HAVE_X
libsodium_la_SOURCES += x.S
else
libsodium_la_SOURCES += nox.c
endif
if !MINIMAL
libsodium_la_SOURCES += full.c
endif
libsodium_la_LIBADD = libavx2.la
libavx2_la_CPPFLAGS = $(libsodium_la_CPPFLAGS) \\
\t@CFLAGS_SSE2@ @CFLAGS_AVX2@
libavx2_la_SOURCES = avx2.c  # comment
"""


def test_makefile_am_conditions_and_flags(tmp_path: Path) -> None:
    libdir = tmp_path / "src" / "libsodium"
    libdir.mkdir(parents=True)
    (libdir / "Makefile.am").write_text(AM)
    am = libsodium_config.parse_makefile_am(AM, {"HAVE_X": True})
    assert am["libsodium_la_SOURCES"] == ["a.c", "b.h", "x.S", "full.c"]
    sources = bundle.sodium_sources(tmp_path, {}, {"AVX2": "-mavx2"})
    got = [(s.path.name, s.lang, s.flags) for s in sources]
    assert got == [
        ("a.c", "c", ()),
        ("nox.c", "c", ()),
        ("full.c", "c", ()),
        ("avx2.c", "c", ("-mavx2",)),
    ]


def test_real_sodium_tree_sources_and_version_h(tmp_path: Path) -> None:
    tarball = real_tarball("libsodium")
    t = bundle_fetch.verify(tarball, "libsodium")
    tree = bundle.ensure_unpacked(bundle_fetch.Located(tarball, t, "test"), tmp_path)
    sources = bundle.sodium_sources(
        tree, {"HAVE_AMD64_ASM": True, "HAVE_AVX_ASM": True}, {"AVX2": "-mavx2"}
    )
    by_name = {s.path.name: s for s in sources}
    assert all(s.path.is_file() for s in sources)
    assert by_name["argon2-fill-block-avx2.c"].flags == ("-mavx2",)
    assert any(s.lang == "asm" for s in sources)
    text = libsodium_config.sodium_version_h(tree)
    assert text.startswith("/* Generated") and f'"{t.version}"' in text and "@" not in text


# --- libzmq sources, curve switch, compile cache ------------------------------------------


def test_zmq_sources_skip_websocket(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("zmq.cpp", "ws_engine.cpp", "wss_address.cpp", "tcp.cpp", "tweetnacl.c"):
        (src / name).write_text("")
    assert [s.path.name for s in bundle.zmq_sources(tmp_path, "libsodium")] == [
        "tcp.cpp",
        "zmq.cpp",
    ]
    assert [s.path.name for s in bundle.zmq_sources(tmp_path, "tweetnacl")][-1] == "tweetnacl.c"


def test_curve_choice() -> None:
    assert bundle.curve_choice({}) == "libsodium"
    assert bundle.curve_choice({"ZMQ_BUNDLED_CURVE": "TweetNaCl"}) == "tweetnacl"
    with pytest.raises(BundleError, match="ZMQ_BUNDLED_CURVE"):
        bundle.curve_choice({"ZMQ_BUNDLED_CURVE": "openssl"})


def test_object_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.c").write_text("int a(void) { return A; }\n")
    (src / "b.cpp").write_text("int b() { return 2; }\n")
    sources = [Source(src / "a.c", "c"), Source(src / "b.cpp", "c++")]
    cc = make_compiler()

    marker = tmp_path / "marker"
    marker.write_text("tarball 1")

    def build(value: str) -> list[str]:
        return compile_sources(
            cc,
            sources,
            tmp_path,
            tmp_path / "obj",
            macros=[("A", value)],
            include_dirs=[],
            depends=[marker],
            label="t",
        )

    objs = build("1")
    assert all(Path(o).is_file() for o in objs)
    assert "[2/2]" in capsys.readouterr().out
    build("1")
    assert "2 of 2 objects up to date" in capsys.readouterr().out
    build("2")  # other flags: everything again
    out = capsys.readouterr().out
    assert "[2/2]" in out and "up to date" not in out
    later = os.stat(src / "a.c").st_mtime + 10
    os.utime(src / "a.c", (later, later))  # a newer source: only that file
    build("2")
    out = capsys.readouterr().out
    assert "1 of 2 objects up to date" in out and "[1/1] src/a.c" in out
    marker.write_text("tarball 2")  # e.g. re-unpacked with another patch set: everything
    build("2")
    assert "[2/2]" in capsys.readouterr().out


def test_compile_error_names_file(tmp_path: Path) -> None:
    from buildutils.bundled.compile import CompileFailed

    (tmp_path / "bad.c").write_text("int f(void) { return nope; }\n")
    with pytest.raises(CompileFailed, match=r"compiling bad.c failed:(.|\n)*nope"):
        compile_sources(
            make_compiler(),
            [Source(tmp_path / "bad.c", "c")],
            tmp_path,
            tmp_path / "obj",
            macros=[],
            include_dirs=[],
            label="t",
        )


def libcxx_compiler(tmp_path: Path) -> str:
    """A clang++ that compiles against libc++ (whose allocator checks caught 4.3.4), or skip."""
    import shutil
    import subprocess

    probe_src = tmp_path / "v.cpp"
    probe_src.write_text(
        "#include <vector>\nint main() { std::vector<int> v; return (int) v.size(); }\n"
    )
    for name in ("clang++", *(f"clang++-{v}" for v in range(22, 15, -1))):
        exe = shutil.which(name)
        if (
            exe
            and subprocess.run(
                [exe, "-stdlib=libc++", "-c", str(probe_src), "-o", os.devnull], capture_output=True
            ).returncode
            == 0
        ):
            return exe
    pytest.skip("no clang++ with libc++ installed (optional toolchain for this check)")


def test_434_patch_fixes_tweetnacl_build_with_libcxx(tmp_path: Path) -> None:
    """Unpatched 4.3.4 + tweetnacl fails libc++'s allocator check; the patched tree compiles."""
    import subprocess

    tarball = real_tarball("libzmq")
    t = bundle_fetch.verify(tarball, "libzmq")
    if t.version != "4.3.4":
        pytest.skip(f"the patch is for 4.3.4, the local tarball is {t.version}")
    cxx = libcxx_compiler(tmp_path)
    answers = {"epoll": True, "poll": True, "stl_condition_variable": True}
    header = tmp_path / "gen" / "platform.hpp"
    header.parent.mkdir()
    header.write_text(
        libzmq_config.render_platform_hpp(libzmq_config.zmq_platform(answers, "tweetnacl"), "t")
    )
    pristine = tmp_path / "pristine"
    bundle_fetch.unpack(bundle_fetch.Located(tarball, t, "test"), pristine)
    patched = bundle.ensure_unpacked(bundle_fetch.Located(tarball, t, "test"), tmp_path / "src")

    def compile_curve_client(tree: Path) -> subprocess.CompletedProcess[str]:
        cmd = [
            cxx,
            "-stdlib=libc++",
            "-std=gnu++11",
            "-DZMQ_STATIC",
            "-D_GNU_SOURCE",
            f"-I{header.parent}",
            f"-I{tree / 'include'}",
            "-c",
            str(tree / "src" / "curve_client.cpp"),
            "-o",
            os.devnull,
        ]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    before = compile_curve_client(pristine)
    assert before.returncode != 0 and "rebind" in before.stderr
    after = compile_curve_client(patched)
    assert after.returncode == 0, after.stderr[-2000:]
