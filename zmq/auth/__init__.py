"""ZAP authentication: :class:`Authenticator` (the policy and the ZAP protocol),
:mod:`zmq.auth.thread` (runs it in a background thread) and :mod:`zmq.auth.certs`
(CURVE certificate files)."""

from __future__ import annotations

from zmq.auth import base as base
from zmq.auth import certs as certs
from zmq.auth.base import CURVE_ALLOW_ANY, Authenticator
from zmq.auth.certs import create_certificates, load_certificate, load_certificates

__all__ = [
    "Authenticator",
    "CURVE_ALLOW_ANY",
    "create_certificates",
    "load_certificate",
    "load_certificates",
]
