"""Bundled tarballs: sha256 verification, lookup order, download, safe unpacking."""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import os
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from buildutils.bundled import fetch as bundle_fetch
from buildutils.bundled.fetch import BundleError, Located, Tarball


def make_tarball(path: Path, top: str, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def fake_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Two accepted fake libzmq tarballs (default 9.9.9, older 9.9.8), outside every dir."""
    src = tmp_path / "originals"
    src.mkdir()
    new = make_tarball(src / "zeromq-9.9.9.tar.gz", "zeromq-9.9.9", {"README": b"new"})
    old = make_tarball(src / "zeromq-9.9.8.tar.gz", "zeromq-9.9.8", {"README": b"old"})
    table = (
        Tarball("libzmq", "9.9.9", new.name, sha(new), "http://127.0.0.1:9/unused/" + new.name),
        Tarball("libzmq", "9.9.8", old.name, sha(old), None),
    )
    monkeypatch.setattr(bundle_fetch, "TARBALLS", table)
    return {"new": new, "old": old}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {bundle_fetch.CACHE_ENV: str(tmp_path / "cache"), "HOME": str(tmp_path / "home")}


def test_table_defaults_and_unique_hashes() -> None:
    assert bundle_fetch.default_tarball("libzmq").version == "4.3.5"
    assert bundle_fetch.default_tarball("libsodium").version == "1.0.20"
    hashes = [t.sha256 for t in bundle_fetch.TARBALLS]
    assert len(set(hashes)) == len(hashes)
    assert all(len(h) == 64 and int(h, 16) >= 0 for h in hashes)


def test_verify_accepts_matching_hash(fake_table: dict[str, Path]) -> None:
    assert bundle_fetch.verify(fake_table["old"], "libzmq").version == "9.9.8"


def test_verify_mismatch_names_expected_and_actual(
    tmp_path: Path, fake_table: dict[str, Path]
) -> None:
    bad = tmp_path / "zeromq-9.9.9.tar.gz"
    bad.write_bytes(fake_table["new"].read_bytes() + b"tampered")
    with pytest.raises(BundleError) as info:
        bundle_fetch.verify(bad, "libzmq")
    text = str(info.value)
    assert sha(fake_table["new"]) in text and sha(bad) in text and "mismatch" in text


def test_unpack_mismatch_leaves_nothing(tmp_path: Path, fake_table: dict[str, Path]) -> None:
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(fake_table["new"].read_bytes()[:-5])
    t = bundle_fetch.TARBALLS[0]
    dest_root = tmp_path / "out"
    dest_root.mkdir()
    with pytest.raises(BundleError, match="mismatch"):
        bundle_fetch.unpack(Located(bad, t, "test"), dest_root / "libzmq-9.9.9")
    assert list(dest_root.iterdir()) == []


def test_unpack_renames_top_dir_and_runs_hook(tmp_path: Path, fake_table: dict[str, Path]) -> None:
    t = bundle_fetch.TARBALLS[0]
    seen = []
    dest = bundle_fetch.unpack(
        Located(fake_table["new"], t, "test"), tmp_path / "libzmq-9.9.9", seen.append
    )
    assert (dest / "README").read_bytes() == b"new"
    assert seen and seen[0].name == "zeromq-9.9.9"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["libzmq-9.9.9", "originals"]


def test_failing_hook_leaves_nothing(tmp_path: Path, fake_table: dict[str, Path]) -> None:
    def boom(tree: Path) -> None:
        raise RuntimeError("patch failed")

    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="patch failed"):
        bundle_fetch.unpack(
            Located(fake_table["new"], bundle_fetch.TARBALLS[0], "t"), out / "z", boom
        )
    assert list(out.iterdir()) == []


# --- lookup order -------------------------------------------------------------------------


def copy_as(src: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(src.read_bytes())
    return dest


def test_explicit_env_path_wins(
    tmp_path: Path, fake_table: dict[str, Path], env: dict[str, str]
) -> None:
    bundled = tmp_path / "bundled"
    copy_as(fake_table["new"], bundled / "whatever.bin")
    explicit = copy_as(fake_table["old"], tmp_path / "elsewhere" / "x.tgz")
    env["ZMQ_BUNDLED_LIBZMQ_TARBALL"] = str(explicit)
    got = bundle_fetch.locate("libzmq", bundled, env, allow_download=False)
    assert (got.path, got.tarball.version, got.how) == (explicit, "9.9.8", "explicit")


def test_explicit_env_path_is_verified(
    tmp_path: Path, fake_table: dict[str, Path], env: dict[str, str]
) -> None:
    wrong = tmp_path / "zeromq-9.9.9.tar.gz"
    wrong.write_bytes(b"not the release")
    env["ZMQ_BUNDLED_LIBZMQ_TARBALL"] = str(wrong)
    with pytest.raises(BundleError, match="expected one of"):
        bundle_fetch.locate("libzmq", tmp_path / "bundled", env)


def test_bundled_dir_matches_by_hash_any_name(
    tmp_path: Path, fake_table: dict[str, Path], env: dict[str, str]
) -> None:
    bundled = tmp_path / "bundled"
    copy_as(fake_table["old"], bundled / "my-upload.dat")
    (bundled / "README.md").write_text("not a tarball")
    copy_as(fake_table["new"], Path(env[bundle_fetch.CACHE_ENV]) / "zeromq-9.9.9.tar.gz")
    got = bundle_fetch.locate("libzmq", bundled, env, allow_download=False)
    assert (got.path.name, got.how) == ("my-upload.dat", "bundled dir")


def test_prefers_default_version_within_a_dir(
    tmp_path: Path, fake_table: dict[str, Path], env: dict[str, str]
) -> None:
    bundled = tmp_path / "bundled"
    copy_as(fake_table["old"], bundled / "a")
    copy_as(fake_table["new"], bundled / "b")
    assert (
        bundle_fetch.locate("libzmq", bundled, env, allow_download=False).tarball.version == "9.9.9"
    )


def test_cache_used_when_bundled_dir_has_none(
    tmp_path: Path, fake_table: dict[str, Path], env: dict[str, str]
) -> None:
    cached = copy_as(fake_table["old"], Path(env[bundle_fetch.CACHE_ENV]) / "renamed")
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "junk.tar.gz").write_bytes(b"junk")
    got = bundle_fetch.locate("libzmq", bundled, env, allow_download=False)
    assert (got.path, got.how) == (cached, "cache")


def test_cache_dir_defaults() -> None:
    assert bundle_fetch.cache_dir({"XDG_CACHE_HOME": "/x"}) == Path("/x/pyzmq-bundled")
    assert bundle_fetch.cache_dir({bundle_fetch.CACHE_ENV: "/c"}) == Path("/c")
    home = Path(os.path.expanduser("~"))
    assert bundle_fetch.cache_dir({}) == home / ".cache" / "pyzmq-bundled"


# --- download against a local server ------------------------------------------------------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A threaded HTTP server on 127.0.0.1 (port 0) serving a fresh directory."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/releases", root
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


def test_download_accepted_into_cache(
    tmp_path: Path, fake_table: dict[str, Path], env: dict[str, str], server: tuple[str, Path]
) -> None:
    url, root = server
    copy_as(fake_table["new"], root / "releases" / "zeromq-9.9.9.tar.gz")
    env[bundle_fetch.DOWNLOAD_BASE_ENV] = url
    got = bundle_fetch.locate("libzmq", tmp_path / "bundled", env)
    cache = Path(env[bundle_fetch.CACHE_ENV])
    assert got.how == "download" and got.path == cache / "zeromq-9.9.9.tar.gz"
    assert sha(got.path) == sha(fake_table["new"])
    assert [p.name for p in cache.iterdir()] == ["zeromq-9.9.9.tar.gz"]
    # Next time the cache answers, without the server.
    env[bundle_fetch.DOWNLOAD_BASE_ENV] = "http://127.0.0.1:9/nothing"
    assert bundle_fetch.locate("libzmq", tmp_path / "bundled", env).how == "cache"


def test_tampered_download_refused_and_not_kept(
    tmp_path: Path, fake_table: dict[str, Path], env: dict[str, str], server: tuple[str, Path]
) -> None:
    url, root = server
    evil = root / "releases" / "zeromq-9.9.9.tar.gz"
    copy_as(fake_table["new"], evil)
    with evil.open("ab") as f:
        f.write(b"extra")
    env[bundle_fetch.DOWNLOAD_BASE_ENV] = url
    with pytest.raises(BundleError) as info:
        bundle_fetch.locate("libzmq", tmp_path / "bundled", env)
    assert sha(fake_table["new"]) in str(info.value) and sha(evil) in str(info.value)
    assert list(Path(env[bundle_fetch.CACHE_ENV]).iterdir()) == []


def test_server_down_explains_offline_options(
    tmp_path: Path, fake_table: dict[str, Path], env: dict[str, str], server: tuple[str, Path]
) -> None:
    url, _ = server
    env[bundle_fetch.DOWNLOAD_BASE_ENV] = url + "/missing"  # 404
    with pytest.raises(BundleError) as info:
        bundle_fetch.locate("libzmq", tmp_path / "bundled", env)
    text = str(info.value)
    for needle in (
        "could not download",
        "ZMQ_BUNDLED_LIBZMQ_TARBALL",
        str(tmp_path / "bundled"),
        env[bundle_fetch.CACHE_ENV],
        bundle_fetch.CACHE_ENV,
        sha(fake_table["new"]),
    ):
        assert needle in text
    assert list(Path(env[bundle_fetch.CACHE_ENV]).iterdir()) == []


def test_connection_refused_is_a_clear_error(
    tmp_path: Path, fake_table: dict[str, Path], env: dict[str, str]
) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on: bind, then close
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env[bundle_fetch.DOWNLOAD_BASE_ENV] = f"http://127.0.0.1:{port}"
    with pytest.raises(BundleError, match="could not download .*To build offline"):
        bundle_fetch.locate("libzmq", tmp_path / "bundled", env)


# --- malicious archives -------------------------------------------------------------------


def evil_tarball(path: Path, member: tarfile.TarInfo, data: bytes = b"") -> Path:
    with tarfile.open(path, "w:gz") as tar:
        top = tarfile.TarInfo("pkg-1.0")
        top.type = tarfile.DIRTYPE
        tar.addfile(top)
        member.size = len(data) if member.isfile() else 0
        tar.addfile(member, io.BytesIO(data) if member.isfile() else None)
    return path


def _member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    m = tarfile.TarInfo(name)
    m.type = kind
    m.linkname = link
    return m


@pytest.mark.parametrize(
    ("member", "reason"),
    [
        (_member("/etc/evil"), "absolute"),
        (_member("pkg-1.0/../../evil"), "'..'"),
        (_member("pkg-1.0/link", tarfile.SYMTYPE, "../../outside"), "symlink"),
        (_member("pkg-1.0/abs", tarfile.SYMTYPE, "/etc/passwd"), "symlink"),
        (_member("pkg-1.0/hard", tarfile.LNKTYPE, "../outside"), "hard link"),
        (_member("pkg-1.0/dev", tarfile.CHRTYPE), "device"),
        (_member("pkg-1.0/fifo", tarfile.FIFOTYPE), "device"),
    ],
)
def test_malicious_members_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, member: tarfile.TarInfo, reason: str
) -> None:
    path = evil_tarball(tmp_path / "evil.tar.gz", member, b"x")
    t = Tarball("libzmq", "1.0", "evil.tar.gz", sha(path), None)
    monkeypatch.setattr(bundle_fetch, "TARBALLS", (t,))
    out = tmp_path / "out"
    with pytest.raises(BundleError, match=f"unsafe archive member .*{reason}"):
        bundle_fetch.unpack(Located(path, t, "test"), out / "libzmq-1.0")
    assert list(out.iterdir()) == []
    assert not (tmp_path / "outside").exists() and not (tmp_path.parent / "evil").exists()


def test_write_through_symlink_refused(tmp_path: Path) -> None:
    link = _member("pkg/sub", tarfile.SYMTYPE, ".")
    through = _member("pkg/sub/file")
    with pytest.raises(BundleError, match="through a symlink"):
        bundle_fetch.check_members([link, through])


def test_inner_symlink_allowed(tmp_path: Path) -> None:
    ok = [
        _member("pkg/a"),
        _member("pkg/b", tarfile.SYMTYPE, "a"),
        _member("pkg/c", tarfile.LNKTYPE, "pkg/a"),
    ]
    assert bundle_fetch.check_members(ok) == ok
