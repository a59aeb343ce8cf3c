"""``python -m zmq.curve_keygen``: key pairs that work, in pyzmq's output formats."""

from __future__ import annotations

import json
import subprocess

import pytest
from subprocess_support import run_module

import zmq

pytestmark = pytest.mark.skipif(not zmq.has("curve"), reason="libzmq without CURVE")

PROG = "python3 -m zmq.curve_keygen"


def keygen(*args: str) -> subprocess.CompletedProcess[str]:
    return run_module("zmq.curve_keygen", *args)


def test_text_output_is_a_matching_pair() -> None:
    done = keygen()
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")
    assert lines[0] == "== CURVE PUBLIC KEY =="
    assert lines[2:4] == ["", "== CURVE SECRET KEY =="]
    assert lines[5:] == [""]  # the output ends with one newline
    public, secret = lines[1], lines[4]
    assert len(public) == len(secret) == 40
    assert zmq.curve_public(secret.encode()) == public.encode()
    assert keygen().stdout != done.stdout  # a new pair each time


def test_json_output() -> None:
    done = keygen("--json")
    assert done.returncode == 0, done.stderr
    keys = json.loads(done.stdout)
    assert sorted(keys) == ["public", "secret"]
    assert zmq.curve_public(keys["secret"].encode()).decode() == keys["public"]
    # pyzmq's layout: one-space indent, sorted keys, a final newline
    assert done.stdout == json.dumps(keys, indent=1, sort_keys=True) + "\n"


def test_secret_derives_its_public_key() -> None:
    public, secret = (k.decode() for k in zmq.curve_keypair())
    done = keygen("--secret", secret)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"== CURVE PUBLIC KEY ==\n{public}\n\n== CURVE SECRET KEY ==\n{secret}\n"
    as_json = keygen("--secret", secret, "--json")
    assert json.loads(as_json.stdout) == {"public": public, "secret": secret}


def test_keys_work_for_a_curve_connection(context: zmq.Context) -> None:
    server_keys, client_keys = (json.loads(keygen("--json").stdout) for _ in range(2))
    server, client = context.socket(zmq.REP), context.socket(zmq.REQ)
    for sock in (server, client):
        sock.linger = 0
        sock.rcvtimeo = 10_000
    server.curve_server = True
    server.curve_secretkey = server_keys["secret"].encode()
    client.curve_serverkey = server_keys["public"].encode()
    client.curve_publickey = client_keys["public"].encode()
    client.curve_secretkey = client_keys["secret"].encode()
    client.connect(f"tcp://127.0.0.1:{server.bind_to_random_port('tcp://127.0.0.1')}")
    client.send(b"ping")
    assert server.recv() == b"ping"


@pytest.mark.parametrize("secret", ["short", "~" * 40])
def test_bad_secret_is_a_clear_error(secret: str) -> None:
    done = keygen("--secret", secret)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(f"{PROG}: error: "), done.stderr
    assert "Traceback" not in done.stderr


def test_help_and_unknown_option() -> None:
    helped = keygen("-h")
    assert helped.returncode == 0
    assert helped.stdout.startswith(f"usage: {PROG} [-h] [--json] [--secret SECRET]\n")
    unknown = keygen("--bogus")
    assert unknown.returncode == 2
    assert "unrecognized arguments: --bogus" in unknown.stderr


def test_main_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    from zmq.curve_keygen import main

    assert main(["--json"]) == 0
    keys = json.loads(capsys.readouterr().out)
    assert zmq.curve_public(keys["secret"].encode()).decode() == keys["public"]
