"""zmq.ssh against a real sshd on 127.0.0.1 (a throwaway host key and client key)."""

from __future__ import annotations

import os
import shutil
import socket as pysocket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from multiprocessing import Process
from pathlib import Path
from typing import Any, Callable, NamedTuple

import pytest

import zmq
import zmq.ssh
from zmq.ssh import tunnel

SSHD = shutil.which("sshd") or next(
    (p for p in ("/usr/sbin/sshd", "/usr/local/sbin/sshd") if os.path.exists(p)), None
)
if SSHD is None or shutil.which("ssh") is None or shutil.which("ssh-keygen") is None:
    pytest.skip(
        "needs the OpenSSH client and server (ssh, ssh-keygen, sshd)", allow_module_level=True
    )
if sys.platform == "win32" or os.geteuid() != 0:
    pytest.skip("starts sshd for root@127.0.0.1, which needs root", allow_module_level=True)

START_TIMEOUT = 20.0
#: the ssh client must not ask about or remember our throwaway host key, nor use other keys
CLIENT_OPTIONS = (
    "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "
    "-o IdentitiesOnly=yes -o IdentityAgent=none"
)
# paramiko warns (warnings.warn) about the unknown throwaway host key
unknown_host_key = pytest.mark.filterwarnings("ignore:Unknown .* host key:UserWarning")


class Sshd(NamedTuple):
    port: int
    key: str

    @property
    def server(self) -> str:
        """``server`` for the ssh client: options, then ``user@host:port``."""
        return f"{CLIENT_OPTIONS} root@127.0.0.1:{self.port}"


def _keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)],
        check=True,
        stdin=subprocess.DEVNULL,
    )


def _listening(port: int) -> bool:
    try:
        with pysocket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _start_sshd(directory: Path) -> tuple[subprocess.Popen[bytes], int]:
    """sshd on a port the system just had free; another try if someone took it."""
    os.makedirs("/run/sshd", exist_ok=True)  # sshd's privilege separation directory
    log = directory / "sshd.log"
    for _ in range(5):
        port = tunnel.select_random_ports(1)[0]
        config = directory / "sshd_config"
        config.write_text(
            f"ListenAddress 127.0.0.1\nPort {port}\nHostKey {directory / 'host_key'}\n"
            f"AuthorizedKeysFile {directory / 'authorized_keys'}\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
            "PermitRootLogin prohibit-password\nPidFile none\nStrictModes no\nUsePAM no\n"
        )
        with open(log, "ab") as log_file:  # a file: a full pipe would block sshd
            process = subprocess.Popen(
                [str(SSHD), "-D", "-e", "-f", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=log_file,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while process.poll() is None and time.monotonic() < deadline:
            if _listening(port):
                return process, port
        _stop(process)
    raise RuntimeError(f"sshd did not start: {log.read_text(errors='replace')}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def sshd() -> Iterator[Sshd]:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        _keygen(directory / "host_key")
        _keygen(directory / "client_key")
        shutil.copy(directory / "client_key.pub", directory / "authorized_keys")
        process, port = _start_sshd(directory)
        try:
            yield Sshd(port, str(directory / "client_key"))
        finally:
            _stop(process)


def _round_trip(socket: Callable[..., Any], connect: Callable[[Any, str], object]) -> None:
    rep = socket(zmq.REP)
    port = rep.bind_to_random_port("tcp://127.0.0.1")
    req = socket(zmq.REQ)
    req.rcvtimeo = rep.rcvtimeo = 20000
    connect(req, f"tcp://127.0.0.1:{port}")
    req.send(b"through ssh")
    assert rep.recv() == b"through ssh"
    rep.send(b"and back")
    assert req.recv() == b"and back"


def test_select_random_ports() -> None:
    ports = tunnel.select_random_ports(5)
    assert len(set(ports)) == 5
    for port in ports:
        with pysocket.socket() as s:
            s.bind(("127.0.0.1", port))  # still free


@pytest.fixture(params=["pexpect", "no pexpect"])
def prompts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the ssh client under pexpect (if installed), and as without it."""
    if request.param == "pexpect":
        if tunnel.pexpect is None:
            pytest.skip("pexpect is not installed")
    else:
        monkeypatch.setattr(tunnel, "pexpect", None)
    return str(request.param)


def test_openssh_round_trip(sshd: Sshd, socket: Callable[..., Any], prompts: str) -> None:
    tunnels = []

    def connect(req: Any, addr: str) -> None:
        # a short timeout: the tunnel (and its sshd session) ends soon after the test
        tunnels.append(
            zmq.ssh.tunnel_connection(
                req, addr, sshd.server, keyfile=sshd.key, paramiko=False, timeout=5
            )
        )

    _round_trip(socket, connect)
    assert isinstance(tunnels[0], int)


def test_open_tunnel_closes_after_timeout_when_idle(sshd: Sshd, prompts: str) -> None:
    url, _ = tunnel.open_tunnel(
        "tcp://127.0.0.1:9", sshd.server, keyfile=sshd.key, paramiko=False, timeout=1
    )
    assert url.startswith("tcp://127.0.0.1:")
    lport = int(url.rpartition(":")[2])
    assert _listening(lport)
    deadline = time.monotonic() + 30
    while _listening(lport):
        assert time.monotonic() < deadline, "the ssh tunnel outlived its timeout"


def test_try_passwordless(sshd: Sshd) -> None:
    assert tunnel.try_passwordless_ssh(sshd.server, sshd.key, paramiko=False) is True
    assert tunnel.try_passwordless_ssh(sshd.server, None, paramiko=False) is False


def test_openssh_failure_is_an_error(sshd: Sshd, prompts: str) -> None:
    lport = tunnel.select_random_ports(1)[0]
    with pytest.raises(tunnel.SSHException):  # no key the server accepts
        tunnel.openssh_tunnel(lport, 9, sshd.server, keyfile=None, timeout=5)


def test_bad_addresses(sshd: Sshd) -> None:
    with pytest.raises(ValueError):
        tunnel.open_tunnel("ipc:///tmp/x", sshd.server, keyfile=sshd.key)
    with pytest.raises(ValueError):
        tunnel.openssh_tunnel(1, 2, "", keyfile=sshd.key)


def test_password_needs_pexpect(sshd: Sshd, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tunnel, "pexpect", None)
    with pytest.raises(ImportError, match="pexpect"):
        tunnel.openssh_tunnel(1, 2, sshd.server, password="secret")


needs_paramiko = pytest.mark.skipif(tunnel.paramiko is None, reason="paramiko is not installed")


@needs_paramiko
@unknown_host_key
def test_paramiko_round_trip(sshd: Sshd, socket: Callable[..., Any]) -> None:
    processes: list[Process] = []

    def connect(req: Any, addr: str) -> None:
        process = zmq.ssh.tunnel_connection(
            req, addr, f"root@127.0.0.1:{sshd.port}", keyfile=sshd.key, paramiko=True
        )
        assert isinstance(process, Process)  # the forwarder's process, not an ssh pid
        processes.append(process)

    try:
        _round_trip(socket, connect)
    finally:
        for process in processes:
            process.terminate()
            process.join(10)


@needs_paramiko
@unknown_host_key
def test_paramiko_passwordless(sshd: Sshd) -> None:
    server = f"root@127.0.0.1:{sshd.port}"
    assert tunnel.try_passwordless_ssh(server, sshd.key, paramiko=True) is True
    empty = tempfile.mkdtemp()
    try:
        # a key the server does not know (and no agent) fails without a password
        other = Path(empty) / "other_key"
        _keygen(other)
        os.environ.pop("SSH_AUTH_SOCK", None)
        assert tunnel.try_passwordless_ssh(server, str(other), paramiko=True) is False
    finally:
        shutil.rmtree(empty)


@needs_paramiko
@unknown_host_key
def test_paramiko_failure_is_an_error(sshd: Sshd) -> None:
    lport = tunnel.select_random_ports(1)[0]
    with pytest.raises(tunnel.paramiko.SSHException):
        tunnel.paramiko_tunnel(
            lport, 9, f"root@127.0.0.1:{sshd.port}", keyfile=sshd.key + ".missing", password="x"
        )
