"""zmq.auth.certs: certificate files written, read back and usable for CURVE."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import zmq
from zmq.auth import create_certificates, load_certificate, load_certificates


def test_create_and_load(tmp_path: Path) -> None:
    public_file, secret_file = create_certificates(tmp_path, "node", metadata={"owner": "ops"})
    assert public_file == os.path.join(str(tmp_path), "node.key")
    assert secret_file == os.path.join(str(tmp_path), "node.key_secret")
    public, no_secret = load_certificate(public_file)
    assert no_secret is None
    public2, secret = load_certificate(secret_file)
    assert public2 == public
    assert secret is not None and len(public) == len(secret) == 40
    assert zmq.curve_public(secret) == public
    text = Path(secret_file).read_text()
    assert "metadata\n    owner = ops\n" in text
    assert (
        f'curve\n    public-key = "{public.decode()}"\n    secret-key = "{secret.decode()}"\n'
        in text
    )
    assert "secret-key" not in Path(public_file).read_text()
    assert stat.S_IMODE(os.stat(secret_file).st_mode) & 0o077 == 0


def test_reads_czmq_style_file(tmp_path: Path) -> None:
    public, secret = zmq.curve_keypair()
    path = tmp_path / "peer.key_secret"
    path.write_text(
        "#   a comment\n\nmetadata\ncurve\n"
        f'    public-key = "{public.decode()}"\n    secret-key = "{secret.decode()}"\n'
    )
    assert load_certificate(path) == (public, secret)


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        load_certificate(tmp_path / "missing.key")
    empty = tmp_path / "empty.key"
    empty.write_text("metadata\ncurve\n")
    with pytest.raises(ValueError):
        load_certificate(empty)
    with pytest.raises(OSError):
        load_certificates(tmp_path / "missing")


def test_load_certificates_reads_public_files_only(tmp_path: Path) -> None:
    assert load_certificates(tmp_path) == {}
    keys = set()
    for name in ("a", "b"):
        public_file, _ = create_certificates(tmp_path, name)
        keys.add(load_certificate(public_file)[0])
    (tmp_path / "notes.txt").write_text("not a certificate")
    assert load_certificates(tmp_path) == {key: True for key in keys}
    assert load_certificates(str(tmp_path)) == load_certificates(tmp_path)
