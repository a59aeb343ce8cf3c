"""CURVE certificate files, in the ZPL text format czmq and pyzmq read and write.

``create_certificates(dir, name)`` writes ``name.key`` (public key only, to hand out)
and ``name.key_secret`` (both keys, kept private); keys are Z85 text::

    #   ZeroMQ CURVE Public Certificate
    metadata
        name = value
    curve
        public-key = "<40 Z85 characters>"
"""

from __future__ import annotations

import datetime
import glob
import os
from typing import Dict, List, Optional, Tuple, Union

import zmq

_PathLike = Union[str, "os.PathLike[str]"]

_PUBLIC_BANNER = """\
#   ****  Generated on {0} by zmq (Python)  ****
#   ZeroMQ CURVE Public Certificate
#   This file holds a public key only: it may be shared, but check that a copy
#   you receive is the one its owner made before trusting it.
"""

_SECRET_BANNER = """\
#   ****  Generated on {0} by zmq (Python)  ****
#   ZeroMQ CURVE **Secret** Certificate
#   Keep this file private: anyone who reads it can impersonate its owner.
"""


def _text(key: Union[str, bytes]) -> str:
    return key.decode("ascii") if isinstance(key, bytes) else key


def _write_key_file(
    key_filename: _PathLike,
    banner: str,
    public_key: Union[str, bytes],
    secret_key: Union[str, bytes, None] = None,
    metadata: Optional[Dict[str, str]] = None,
    encoding: str = "utf-8",
) -> None:
    """Write one certificate file (public key, plus the secret key if given)."""
    lines: List[str] = [banner, "metadata"]
    lines += [f"    {key} = {value}" for key, value in (metadata or {}).items()]
    lines += ["curve", f'    public-key = "{_text(public_key)}"']
    if secret_key is not None:
        lines.append(f'    secret-key = "{_text(secret_key)}"')
    # the secret file is created private rather than narrowed after it was written
    mode = 0o600 if secret_key is not None else 0o644
    fd = os.open(key_filename, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with open(fd, "w", encoding=encoding) as f:
        f.write("\n".join(lines) + "\n")


def create_certificates(
    key_dir: _PathLike, name: str, metadata: Optional[Dict[str, str]] = None
) -> Tuple[str, str]:
    """Create a new CURVE key pair as certificate files.

    Writes ``<key_dir>/<name>.key`` (the public key) and ``<key_dir>/<name>.key_secret``
    (public and secret key), in the ZPL format czmq reads.

    .. warning::

        The ``.key_secret`` file holds the secret key: keep it private (never share or
        publish it); give peers only the ``.key`` file.

    Parameters
    ----------
    key_dir : str or path
        An existing directory.
    name : str
        The base name of the files.
    metadata : dict of str, optional
        Extra ``name = value`` lines for the certificates' metadata section.

    Returns
    -------
    (public_file, secret_file) : tuple of str
        The paths written.
    """
    public_key, secret_key = zmq.curve_keypair()
    base = os.path.join(os.fspath(key_dir), name)
    public_file, secret_file = f"{base}.key", f"{base}.key_secret"
    now = datetime.datetime.now()
    _write_key_file(public_file, _PUBLIC_BANNER.format(now), public_key, metadata=metadata)
    _write_key_file(secret_file, _SECRET_BANNER.format(now), public_key, secret_key, metadata)
    return public_file, secret_file


def load_certificate(filename: _PathLike) -> Tuple[bytes, Optional[bytes]]:
    """Read the keys of a certificate file.

    Parameters
    ----------
    filename : str or path
        A ``.key`` or ``.key_secret`` file.

    Returns
    -------
    (public_key, secret_key) : tuple
        Z85-encoded bytes; ``secret_key`` is None for a public certificate.

    Raises
    ------
    OSError
        If the file does not exist.
    ValueError
        If it holds no public key.
    """
    if not os.path.exists(filename):
        raise OSError(f"Invalid certificate file: {os.fspath(filename)}")
    keys: Dict[str, bytes] = {}
    with open(filename, "rb") as f:
        for raw in f:
            name, sep, value = raw.decode("utf-8", "replace").strip().partition("=")
            name = name.strip()
            if sep and name in ("public-key", "secret-key"):
                keys[name] = value.strip().strip("\"'").encode("utf-8")
    if "public-key" not in keys:
        raise ValueError(f"No public key found in {os.fspath(filename)}")
    return keys["public-key"], keys.get("secret-key")


def load_certificates(directory: _PathLike = ".") -> Dict[bytes, bool]:
    """The public keys of every certificate (``*.key``) in a directory.

    Parameters
    ----------
    directory : str or path, optional
        The directory (default: the current one).

    Returns
    -------
    dict
        ``{public_key: True}``, the form :meth:`Authenticator.configure_curve` uses.

    Raises
    ------
    OSError
        If the directory does not exist or cannot be read.
    """
    if not os.path.isdir(directory):
        raise OSError(f"Invalid certificate directory: {os.fspath(directory)}")
    allowed: Dict[bytes, bool] = {}
    for path in glob.glob(os.path.join(glob.escape(os.fspath(directory)), "*.key")):
        public_key, _ = load_certificate(path)
        allowed[public_key] = True
    return allowed


__all__ = ["create_certificates", "load_certificate", "load_certificates"]
