"""The `masthead` command as a newcomer meets it: help texts and the demo from nothing."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from masthead.cli import build_parser


def _help(*args):
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args([*args, "--help"])


def test_help_texts_name_every_command_and_option(capsys):
    """`masthead --help` lists demo, serve and worker; each has its own help."""
    _help()
    text = capsys.readouterr().out
    for command in ("demo", "serve", "worker"):
        assert command in text
    assert "manage.py" in text
    _help("demo")
    assert "--port" in capsys.readouterr().out
    _help("worker")
    assert "--schedule-interval" in capsys.readouterr().out


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _masthead_env(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}
        and not k.startswith("DJANGO_ALLOW")
    }
    env["MASTHEAD_VAR_DIR"] = str(tmp_path / "var")
    env["STATIC_ROOT"] = str(tmp_path / "var" / "static")
    env["MEDIA_ROOT"] = str(tmp_path / "var" / "media")
    env["WEB_CONCURRENCY"] = "1"
    return env


def test_demo_from_an_empty_folder_serves_the_site_and_keeps_data_on_rerun(tmp_path):
    """`masthead demo` migrates, loads, prints the password once and serves; reruns keep data."""
    env = _masthead_env(tmp_path)
    port = _free_port()
    cmd = [sys.executable, "-m", "masthead.cli", "demo", "--port", str(port)]
    demo = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = demo.stdout.readline()
            output.append(line)
            if "The demo site is at" in line or demo.poll() is not None:
                break
        assert any("Password:" in line for line in output), "".join(output)
        body = None
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
                    body = r.read().decode()
            except OSError:
                time.sleep(0.5)
        assert body and "Calder Allies Reassure Neighbouring Towns" in body
    finally:
        demo.terminate()
        demo.wait(timeout=30)

    again = subprocess.run(
        [sys.executable, "-m", "masthead.cli", "load_demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert "already loaded; keeping existing data" in again.stdout
    assert "Password:" not in again.stdout
