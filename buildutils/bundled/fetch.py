"""Bundled sources: the accepted tarballs, where to find them, verification and safe unpacking.

A tarball is accepted only by its sha256 (``TARBALLS``), whatever its file name. Lookup order
for each project (:func:`locate`): an explicit path from the environment, the source tree's
``bundled/`` directory, the user cache directory, then a download of the default version into
the cache. Nothing half-written is ever left at a final path: downloads go to a temporary file
that is renamed once verified, and archives are unpacked into a temporary directory that is
renamed once checked (and patched by the caller's hook).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Optional


class BundleError(Exception):
    """A bundled-source problem; the message says what to do about it."""


@dataclass(frozen=True)
class Tarball:
    project: str  # "libzmq" | "libsodium"
    version: str
    filename: str
    sha256: str
    #: Official release URL; None for repacks (Debian orig tarballs) found only locally.
    url: Optional[str]


#: Accepted tarballs: the first entry of each project is the default that gets downloaded.
TARBALLS: tuple[Tarball, ...] = (
    Tarball(
        "libzmq",
        "4.3.5",
        "zeromq-4.3.5.tar.gz",
        "6653ef5910f17954861fe72332e68b03ca6e4d9c7160eb3a8de5a5a913bfab43",
        "https://github.com/zeromq/libzmq/releases/download/v4.3.5/zeromq-4.3.5.tar.gz",
    ),
    Tarball(
        "libzmq",
        "4.3.4",
        "zeromq-4.3.4.tar.gz",
        "c593001a89f5a85dd2ddf564805deb860e02471171b3f204944857336295c3e5",
        "https://github.com/zeromq/libzmq/releases/download/v4.3.4/zeromq-4.3.4.tar.gz",
    ),
    Tarball(
        "libzmq",
        "4.3.4",
        "zeromq3_4.3.4.orig.tar.gz",
        "0ff5a531c9ffaf0dfdc7dc78d13d1383088f454896d252934c429b2554d10559",
        None,
    ),
    Tarball(
        "libsodium",
        "1.0.20",
        "libsodium-1.0.20.tar.gz",
        "ebb65ef6ca439333c2bb41a0c1990587288da07f6c7fd07cb3a18cc18d30ce19",
        "https://download.libsodium.org/libsodium/releases/libsodium-1.0.20.tar.gz",
    ),
    Tarball(
        "libsodium",
        "1.0.18",
        "libsodium-1.0.18.tar.gz",
        "6f504490b342a4f8a4c4a02fc9b866cbef8622d5df4e5452b46be121e46636c1",
        "https://download.libsodium.org/libsodium/releases/libsodium-1.0.18.tar.gz",
    ),
    Tarball(
        "libsodium",
        "1.0.18",
        "libsodium_1.0.18.orig.tar.gz",
        "d59323c6b712a1519a5daf710b68f5e7fde57040845ffec53850911f10a5d4f4",
        None,
    ),
)

#: Environment variables: explicit tarball per project, cache dir, download base URL.
TARBALL_ENV = {"libzmq": "ZMQ_BUNDLED_LIBZMQ_TARBALL", "libsodium": "ZMQ_BUNDLED_LIBSODIUM_TARBALL"}
CACHE_ENV = "ZMQ_BUNDLED_CACHE_DIR"
#: Replaces the release URL's directory (file name kept); for mirrors and tests.
DOWNLOAD_BASE_ENV = "ZMQ_BUNDLED_DOWNLOAD_URL"
DOWNLOAD_TIMEOUT = 60.0
#: Files larger than this in bundled/ or the cache are not hashed (no tarball is this big).
MAX_TARBALL_SIZE = 64 * 1024 * 1024


def accepted(project: str) -> list[Tarball]:
    return [t for t in TARBALLS if t.project == project]


def default_tarball(project: str) -> Tarball:
    return accepted(project)[0]


def sha256_of(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def identify(path: str | os.PathLike[str], project: Optional[str] = None) -> Optional[Tarball]:
    """The accepted tarball whose sha256 ``path`` has (restricted to ``project``), or None."""
    digest = sha256_of(path)
    for t in TARBALLS:
        if t.sha256 == digest and (project is None or t.project == project):
            return t
    return None


def verify(path: str | os.PathLike[str], project: str) -> Tarball:
    """The accepted ``project`` tarball ``path`` is; BundleError naming both hashes if none."""
    digest = sha256_of(path)
    for t in accepted(project):
        if t.sha256 == digest:
            return t
    expected = ", ".join(f"{t.sha256} ({t.filename})" for t in accepted(project))
    raise BundleError(
        f"sha256 mismatch for {project} tarball {path}: expected one of {expected}; "
        f"actual {digest}. Refusing to use it."
    )


def cache_dir(env: Mapping[str, str]) -> Path:
    if env.get(CACHE_ENV):
        return Path(env[CACHE_ENV]).expanduser()
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pyzmq-bundled"


@dataclass(frozen=True)
class Located:
    path: Path
    tarball: Tarball
    #: Where it was found, for the build log: "explicit", "bundled dir", "cache", "download".
    how: str


def _scan(directory: Path, project: str) -> Optional[Located]:
    """The preferred accepted tarball among the files of ``directory`` (not recursive)."""
    if not directory.is_dir():
        return None
    order = accepted(project)
    found: list[tuple[int, Path, Tarball]] = []
    for entry in sorted(directory.iterdir()):
        try:
            if not entry.is_file() or entry.stat().st_size > MAX_TARBALL_SIZE:
                continue
            t = identify(entry, project)
        except OSError:
            continue
        if t is not None:
            found.append((order.index(t), entry, t))
    if not found:
        return None
    _, path, t = min(found, key=lambda item: item[0])
    return Located(path, t, "")


def offline_help(project: str, source_bundled: Path, cache: Path) -> str:
    names = ", ".join(f"{t.filename} (sha256 {t.sha256})" for t in accepted(project))
    return (
        f"To build offline, supply a {project} tarball: set {TARBALL_ENV[project]}=/path/to/it, "
        f"or put it (any file name) in {source_bundled} or in the cache dir {cache} "
        f"(set {CACHE_ENV} to use another). Accepted: {names}."
    )


def download_url(t: Tarball, env: Mapping[str, str]) -> str:
    base = env.get(DOWNLOAD_BASE_ENV)
    if base:
        return base.rstrip("/") + "/" + t.filename
    if t.url is None:
        raise BundleError(f"{t.filename} is not downloadable")
    return t.url


def download(t: Tarball, dest_dir: Path, env: Mapping[str, str], help_text: str = "") -> Path:
    """Fetch ``t`` into ``dest_dir``: temp file, verify, then rename. Returns the final path."""
    url = download_url(t, env)
    dest_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{t.filename}.", suffix=".part", dir=dest_dir)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as resp:
                    for block in iter(lambda: resp.read(1 << 16), b""):
                        digest.update(block)
                        out.write(block)
            except (urllib.error.URLError, OSError) as e:
                if isinstance(e, urllib.error.HTTPError):
                    e.close()  # it holds the connection open
                reason = getattr(e, "reason", None) or e
                raise BundleError(f"could not download {url}: {reason}. {help_text}".strip())
        if digest.hexdigest() != t.sha256:
            raise BundleError(
                f"sha256 mismatch for {t.project} download {url}: expected {t.sha256}; "
                f"actual {digest.hexdigest()}. Refusing to use it (nothing was kept)."
            )
        final = dest_dir / t.filename
        os.replace(tmp_name, final)
        return final
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def locate(
    project: str, source_bundled: Path, env: Mapping[str, str], allow_download: bool = True
) -> Located:
    """Find (or download) a verified ``project`` tarball, in the documented order."""
    explicit = env.get(TARBALL_ENV[project])
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise BundleError(f"{TARBALL_ENV[project]}={explicit}: no such file")
        return Located(path, verify(path, project), "explicit")
    cache = cache_dir(env)
    for directory, how in ((source_bundled, "bundled dir"), (cache, "cache")):
        hit = _scan(directory, project)
        if hit is not None:
            return Located(hit.path, hit.tarball, how)
    help_text = offline_help(project, source_bundled, cache)
    if not allow_download:
        raise BundleError(f"no {project} tarball found. {help_text}")
    t = default_tarball(project)
    return Located(download(t, cache, env, help_text), t, "download")


def _inside(name: str) -> bool:
    """Whether ``name`` (relative, '/'-separated) stays under the archive root lexically."""
    parts: list[str] = []
    for part in PurePosixPath(name).parts:
        if part == "..":
            if not parts:
                return False
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return True


def check_members(members: Iterable[tarfile.TarInfo]) -> list[tarfile.TarInfo]:
    """Reject archives whose members could write outside the target or are not plain data."""
    links: set[str] = set()
    checked: list[tarfile.TarInfo] = []
    for m in members:
        name = m.name
        if name.startswith("/") or PurePosixPath(name).is_absolute() or ":" in name.split("/")[0]:
            raise BundleError(f"unsafe archive member {name!r}: absolute path")
        if ".." in PurePosixPath(name).parts:
            raise BundleError(f"unsafe archive member {name!r}: '..' in path")
        if not (m.isfile() or m.isdir() or m.issym() or m.islnk()):
            raise BundleError(f"unsafe archive member {name!r}: device, fifo or special file")
        norm = str(PurePosixPath(name))
        parents = [str(p) for p in PurePosixPath(norm).parents]
        if any(p in links for p in parents):
            raise BundleError(f"unsafe archive member {name!r}: written through a symlink")
        if m.issym():
            target = m.linkname
            if target.startswith("/") or not _inside(str(PurePosixPath(norm).parent / target)):
                raise BundleError(f"unsafe archive member {name!r}: symlink to {target!r} escapes")
            links.add(norm)
        elif m.islnk():
            if m.linkname.startswith("/") or not _inside(m.linkname):
                raise BundleError(
                    f"unsafe archive member {name!r}: hard link to {m.linkname!r} escapes"
                )
        checked.append(m)
    return checked


def _check_extracted_links(root: Path) -> None:
    """Catch symlink chains that only escape once resolved on disk."""
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            if p.is_symlink():
                target = p.resolve()
                if target != real_root and real_root not in target.parents:
                    raise BundleError(f"unsafe archive: symlink {p.relative_to(root)} escapes")


def unpack(
    located: Located,
    dest: Path,
    prepare: Optional[Callable[[Path], None]] = None,
) -> Path:
    """Unpack ``located`` (re-verified) so its single top directory becomes ``dest``.

    ``prepare(tree)`` runs on the unpacked tree before it is moved into place (patching);
    if anything fails, nothing is left at ``dest`` or in the temporary directory.
    """
    t = verify(located.path, located.tarball.project)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".unpack-{t.project}-", dir=dest.parent))
    try:
        with tarfile.open(located.path, "r:*") as tar:
            members = check_members(tar.getmembers())
            if hasattr(tarfile, "data_filter"):
                tar.extractall(tmp, members=members, filter="data")
            else:
                tar.extractall(tmp, members=members)
        _check_extracted_links(tmp)
        tops = list(tmp.iterdir())
        if len(tops) != 1 or not tops[0].is_dir():
            raise BundleError(f"{located.path}: expected one top-level directory in the archive")
        if prepare is not None:
            prepare(tops[0])
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(tops[0], dest)
        return dest
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
