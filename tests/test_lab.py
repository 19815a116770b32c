"""`make lab`, the README's first command: it starts JupyterLab (also as root) at the start notebook, with the course's settings."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from course_utils.config import course_root

ROOT = course_root()
START = "notebooks/00_start_here.ipynb"
NOTIFICATION = "@jupyterlab/apputils-extension:notification"

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    """True when nothing accepts connections on 127.0.0.1:port."""
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) != 0


def make_environment(**extra: str) -> dict[str, str]:
    """os.environ without an outer make's flags (so `make test TF=...` does not leak in), plus extra."""
    environment = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return {**environment, **extra}


def installed_environment() -> list[str]:
    """The make variables naming the environment running these tests, if `make install` made it and it is up to date.

    With them `make lab` finds its install stamp and goes straight to JupyterLab: the test never reinstalls.
    """
    venv = Path(sys.prefix)
    for stamp in sorted(venv.glob(".installed-*"), key=lambda p: p.name != ".installed-cpu"):
        variables = [f"VENV={venv}", f"TF={stamp.name.removeprefix('.installed-')}"]
        question = subprocess.run(["make", "-q", "install", *variables], cwd=ROOT, env=make_environment(),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if question.returncode == 0:
            return variables
    pytest.skip(f"{venv} has no up-to-date `make install` stamp; run `make install` first")


def group_is_alive(group: int) -> bool:
    """True while some process of the process group still exists."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def stop(server: subprocess.Popen) -> None:
    """Stop `make lab` and its JupyterLab as Ctrl-C would (SIGTERM to the whole group); fail if any process outlives 30 s."""
    if group_is_alive(server.pid):
        os.killpg(server.pid, signal.SIGTERM)
    deadline = time.time() + 30
    while (server.poll() is None or group_is_alive(server.pid)) and time.time() < deadline:
        time.sleep(0.2)
    if server.poll() is None or group_is_alive(server.pid):
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        pytest.fail("`make lab` did not stop within 30 s of SIGTERM")


def get(url: str) -> bytes:
    """The body of a GET request."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@pytest.mark.parametrize("uid", [0, 1000])
def test_make_lab_allows_root_only_for_root(tmp_path: Path, uid: int):
    """--allow-root is in the lab command exactly when `id -u` says 0."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (fake_bin / "id").chmod(0o755)
    environment = make_environment(PATH=f"{fake_bin}{os.pathsep}{os.environ['PATH']}")
    dry_run = subprocess.run(["make", "--no-print-directory", "-n", "lab", *installed_environment()], cwd=ROOT, env=environment,
                             capture_output=True, text=True, check=True)
    command = dry_run.stdout.strip().splitlines()[-1]
    assert "jupyter lab" in command and command.endswith(START)
    assert ("--allow-root" in command) == (uid == 0)


def test_make_lab_serves_the_start_notebook_with_the_course_settings(tmp_path: Path):
    """`make lab` (as whoever runs the tests, root included) serves the start notebook; news and update checks are off."""
    port, token = free_port(), "course-test-token"
    arguments = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token}"
    log = tmp_path / "lab.log"
    # Fresh user settings and runtime folders: the user's own lab settings cannot change the answer.
    environment = make_environment(
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
    )
    with log.open("wb") as output:
        server = subprocess.Popen(["make", "lab", *installed_environment(), f"LAB_ARGS={arguments}"], cwd=ROOT,
                                  stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                  env=environment, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        page = None
        while page is None:
            if server.poll() is not None:
                pytest.fail(f"`make lab` exited with {server.returncode}:\n{log.read_text()[-3000:]}")
            if time.time() > deadline:
                pytest.fail(f"JupyterLab did not answer within 90 s:\n{log.read_text()[-3000:]}")
            try:
                page = get(f"{base}/lab/tree/{START}?token={token}").decode()
            except OSError:
                time.sleep(1)
        assert "JupyterLab" in page

        # `jupyter lab FILE` serves FILE's folder unless told otherwise: ask the server where its root is.
        (info,) = (tmp_path / "runtime").glob("jpserver-*.json")
        start = (ROOT / START).relative_to(json.loads(info.read_text())["root_dir"]).as_posix()
        assert "JupyterLab" in get(f"{base}/lab/tree/{start}?token={token}").decode()
        notebook = json.loads(get(f"{base}/api/contents/{start}?token={token}"))
        assert notebook["content"]["cells"][0]["source"].startswith("# 00 · Start here")

        # What the lab's front end computes: the user's settings over the schema's (overridden) defaults.
        settings = json.loads(get(f"{base}/lab/api/settings/{NOTIFICATION}?token={token}"))
        defaults = {name: spec.get("default") for name, spec in settings["schema"]["properties"].items()}
        composite = {**defaults, **settings["settings"]}
        assert composite["fetchNews"] == "false", "the 'official Jupyter news' pop-up would greet the student"
        assert composite["checkForUpdates"] is False
        assert composite["doNotDisturbMode"] is False, "only news and update checks are turned off"
    finally:
        stop(server)
    assert port_is_free(port), f"something still listens on port {port}"
