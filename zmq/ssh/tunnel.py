"""SSH tunnels for zmq connections, made with the system ``ssh`` client or with paramiko.

``server`` is ``[user@]host[:port]``. For the ``ssh`` client it is split like a shell
command line and everything before the destination is passed to ``ssh`` as options, e.g.
``"-o StrictHostKeyChecking=no user@host:2222"`` (pyzmq hands the same string to a shell
splitter). paramiko and pexpect are optional: without pexpect the ``ssh`` client can only
use key authentication (it runs with ``BatchMode=yes`` and never prompts).
"""

from __future__ import annotations

import atexit
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from getpass import getpass
from multiprocessing import Pipe, Process
from multiprocessing.connection import Connection
from types import ModuleType
from typing import Any, List, Optional, Tuple, Union

try:
    import pexpect
except ImportError:
    pexpect = None

try:
    import paramiko
except ImportError:
    paramiko = None

__all__ = [
    "tunnel_connection",
    "ssh_tunnel",
    "openssh_tunnel",
    "paramiko_tunnel",
    "try_passwordless_ssh",
]

#: how many password prompts ``ssh`` may show before the tunnel counts as failed
_MAX_PASSWORD_TRIES = 3
#: ``ssh`` asking for a password or a key's passphrase
_PASSWORD_PROMPT = re.compile(rb"(?i)(password|passphrase)[^\n]*:\s*$")
_NEW_HOST_KEY_PROMPT = re.compile(rb"Are you sure you want to continue connecting")
#: how long to wait for a prompt before checking whether ssh went to the background
_PROMPT_WAIT = 0.1


class SSHException(Exception):
    """An SSH tunnel could not be set up."""


class MaxRetryExceeded(Exception):
    """``ssh`` kept asking for a password after the allowed number of answers."""


def select_random_ports(n: int) -> List[int]:
    """``n`` distinct TCP ports that are free on this host right now."""
    sockets = []
    try:
        for _ in range(n):
            s = socket.socket()
            sockets.append(s)
            s.bind(("", 0))  # held open until all are chosen, so no port repeats
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _split_destination(destination: str) -> Tuple[str, Optional[int]]:
    """``user@host:port`` -> (``user@host``, port); ``user@[v6addr]:port`` works too."""
    user, at, host = destination.rpartition("@")
    port: Optional[int] = None
    if host.startswith("["):
        address, _, rest = host[1:].partition("]")
        host = address
        if rest.startswith(":"):
            port = int(rest[1:])
    elif host.count(":") == 1:
        host, _, port_text = host.partition(":")
        port = int(port_text)
    if not host:
        raise ValueError(f"no host in ssh server {destination!r}")
    return user + at + host, port


def _openssh_command(server: str, keyfile: Optional[str]) -> Tuple[List[str], str]:
    """The ``ssh`` command line up to (not including) the destination, and the destination."""
    if sys.platform == "win32":
        raise ValueError("SSH tunnels on Windows need paramiko (pass paramiko=True)")
    words = shlex.split(server)
    if not words:
        raise ValueError("empty ssh server")
    destination, port = _split_destination(words[-1])
    command = ["ssh", *words[:-1]]
    if keyfile:
        command += ["-i", keyfile]
    if port is not None:
        command += ["-p", str(port)]
    return command, destination


def _use_paramiko(paramiko: Optional[bool]) -> bool:
    return sys.platform == "win32" if paramiko is None else bool(paramiko)


def _require_paramiko() -> ModuleType:
    if paramiko is None:
        raise ImportError("SSH tunnels through paramiko need it installed: pip install paramiko")
    return paramiko


def try_passwordless_ssh(
    server: str, keyfile: Optional[str], paramiko: Optional[bool] = None
) -> bool:
    """Whether ``server`` accepts us without a password (with ``keyfile`` or the default keys)."""
    if _use_paramiko(paramiko):
        return _paramiko_passwordless(server, keyfile)
    command, destination = _openssh_command(server, keyfile)
    # BatchMode: fail instead of prompting, so "needs a password" is a non-zero exit
    command += ["-o", "BatchMode=yes", destination, "exit"]
    try:
        result = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        return False
    return result.returncode == 0


def _paramiko_client(server: str, keyfile: Optional[str], password: Optional[str]) -> Any:
    """A connected ``paramiko.SSHClient`` (host keys: the system's, unknown ones warned about)."""
    module = _require_paramiko()
    if len(shlex.split(server)) != 1:
        raise ValueError(f"ssh options in server {server!r} are only for the ssh client")
    destination, port = _split_destination(server)
    user, _, host = destination.rpartition("@")
    client = module.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(module.WarningPolicy())
    client.connect(
        host.strip("[]"),
        port or 22,
        username=user or None,
        key_filename=keyfile,
        password=password,
        look_for_keys=True,
        allow_agent=True,
    )
    return client


def _paramiko_passwordless(server: str, keyfile: Optional[str]) -> bool:
    module = _require_paramiko()
    try:
        client = _paramiko_client(server, keyfile, None)
    except module.AuthenticationException:
        return False
    client.close()
    return True


def openssh_tunnel(
    lport: int,
    rport: int,
    server: str,
    remoteip: str = "127.0.0.1",
    keyfile: Optional[str] = None,
    password: Optional[str] = None,
    timeout: int = 60,
) -> int:
    """Forward 127.0.0.1:``lport`` to ``remoteip:rport`` as seen from ``server`` with the
    ``ssh`` client, which goes to the background once the forward is set up and exits
    after ``timeout`` seconds, or later when the last forwarded connection closes.

    Returns the process id of the ``ssh`` command that was started.
    """
    command, destination = _openssh_command(server, keyfile)
    command += [
        "-f",
        "-S",
        "none",
        "-o",
        "ExitOnForwardFailure=yes",
        "-L",
        f"127.0.0.1:{lport}:{remoteip}:{rport}",
    ]
    tail = [destination, "sleep", str(int(timeout))]
    if pexpect is None:
        if password is not None:
            raise ImportError(
                "answering ssh's password prompt needs pexpect (pip install pexpect); "
                "without it only key authentication works"
            )
        return _run_batch(command + ["-o", "BatchMode=yes"] + tail, timeout)
    return _run_interactive(command + tail, password, timeout)


def _run_batch(command: List[str], timeout: int) -> int:
    # stderr goes to a file: the backgrounded ssh keeps it open, a pipe would never end
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors
        )
        try:
            status = process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise SSHException(f"ssh tunnel did not start within {timeout} s: {command}")
        if status:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
            hint = "" if pexpect is not None else " (password prompts need pexpect)"
            raise SSHException(f"ssh tunnel failed to start{hint}: {command}: {message}")
    return process.pid


def _run_interactive(command: List[str], password: Optional[str], timeout: int) -> int:
    assert pexpect is not None
    env = dict(os.environ)
    env.pop("SSH_ASKPASS", None)  # prompt on our terminal, not in a dialog
    # ssh -f leaves a child behind that keeps the pty open (so no EOF until the tunnel
    # ends) and that the end of the pty session must not hang up
    child = pexpect.spawn(command[0], command[1:], env=env, timeout=timeout, ignore_sighup=True)
    deadline = time.monotonic() + timeout
    answers = 0
    output = b""
    while child.isalive():
        if time.monotonic() > deadline:
            child.close(force=True)
            raise SSHException(f"ssh tunnel did not start within {timeout} s: {command}")
        which = child.expect(
            [_NEW_HOST_KEY_PROMPT, _PASSWORD_PROMPT, pexpect.EOF, pexpect.TIMEOUT],
            timeout=_PROMPT_WAIT,
        )
        output = child.before if isinstance(child.before, bytes) else output
        if which == 0:
            child.sendline("yes")
        elif which == 1:
            if answers >= _MAX_PASSWORD_TRIES:
                child.close(force=True)
                raise MaxRetryExceeded(f"ssh asked for a password {answers + 1} times")
            if password is None:
                password = getpass(f"{command[-3]}'s password: ")
            child.sendline(password)
            answers += 1
    child.close()
    if child.exitstatus:
        message = output.decode(errors="replace").strip()
        raise SSHException(f"ssh tunnel failed to start: {command}: {message}")
    return int(child.pid)


def _paramiko_serve(
    report: Connection,
    lport: int,
    rport: int,
    server: str,
    remoteip: str,
    keyfile: Optional[str],
    password: Optional[str],
    timeout: int,
) -> None:
    """The tunnel process: connect, say whether that worked, forward until idle."""
    import threading

    from zmq.ssh.forward import make_server

    try:
        client = _paramiko_client(server, keyfile, password)
        forwarder = make_server(lport, remoteip, rport, client.get_transport())
    except Exception as e:
        report.send(f"{type(e).__name__}: {e}")
        return
    report.send(None)
    report.close()
    thread = threading.Thread(target=forwarder.serve_forever, daemon=True)
    thread.start()
    forwarder.wait_idle(timeout)
    forwarder.shutdown()
    forwarder.server_close()
    client.close()


def paramiko_tunnel(
    lport: int,
    rport: int,
    server: str,
    remoteip: str = "127.0.0.1",
    keyfile: Optional[str] = None,
    password: Optional[str] = None,
    timeout: int = 60,
) -> Process:
    """Forward 127.0.0.1:``lport`` to ``remoteip:rport`` as seen from ``server`` with
    paramiko, in a daemon process that ends after ``timeout`` seconds once no forwarded
    connection is open (or with this process). Returns that process, already connected."""
    module = _require_paramiko()
    if password is None and not try_passwordless_ssh(server, keyfile, paramiko=True):
        password = getpass(f"{server}'s password: ")
    receive, send = Pipe(duplex=False)
    process = Process(
        target=_paramiko_serve,
        args=(send, lport, rport, server, remoteip, keyfile, password, timeout),
        daemon=True,
    )
    process.start()
    send.close()
    try:
        if not receive.poll(timeout):
            process.terminate()
            raise SSHException(f"no SSH connection to {server} within {timeout} s")
        error = receive.recv()
    except EOFError:
        error = f"the tunnel process exited with code {process.exitcode}"
    finally:
        receive.close()
    if error is not None:
        process.join()
        raise module.SSHException(f"paramiko tunnel to {server} failed: {error}")
    atexit.register(_stop, process)
    return process


def _stop(process: Process) -> None:
    if process.is_alive():
        process.terminate()
        process.join(5)


ssh_tunnel = paramiko_tunnel if sys.platform == "win32" else openssh_tunnel


def open_tunnel(
    addr: str,
    server: str,
    keyfile: Optional[str] = None,
    password: Optional[str] = None,
    paramiko: Optional[bool] = None,
    timeout: int = 60,
) -> Tuple[str, Union[Process, int]]:
    """Tunnel to ``addr`` (``tcp://ip:port`` as seen from ``server``) through a free local
    port. Returns the local ``tcp://127.0.0.1:port`` url and the tunnel (the paramiko
    process, or the ``ssh`` client's process id)."""
    scheme, _, location = addr.partition("://")
    ip, _, port_text = location.rpartition(":")
    if scheme != "tcp" or not ip or not port_text.isdigit():
        raise ValueError(f"SSH tunnels carry tcp://ip:port addresses, not {addr!r}")
    lport = select_random_ports(1)[0]
    make = paramiko_tunnel if _use_paramiko(paramiko) else openssh_tunnel
    tunnel = make(lport, int(port_text), server, ip, keyfile, password, timeout)
    return f"tcp://127.0.0.1:{lport}", tunnel


def tunnel_connection(
    socket: Any,
    addr: str,
    server: str,
    keyfile: Optional[str] = None,
    password: Optional[str] = None,
    paramiko: Optional[bool] = None,
    timeout: int = 60,
) -> Union[Process, int]:
    """Connect the zmq ``socket`` to ``addr`` through an SSH tunnel via ``server``
    (see :func:`open_tunnel`); returns the tunnel."""
    url, tunnel = open_tunnel(addr, server, keyfile, password, paramiko, timeout)
    socket.connect(url)
    return tunnel
