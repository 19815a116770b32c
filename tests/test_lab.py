"""`make lab` serves the start notebook: start JupyterLab as the Makefile does, fetch it, stop it."""

import json
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest

from course_utils.config import course_root

ROOT = course_root()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_lab_serves_the_start_notebook(tmp_path):
    port = free_port()
    token = "course-test-token"
    arguments = f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token} --ServerApp.root_dir={ROOT} --allow-root"
    server = subprocess.Popen(
        ["make", "-s", "lab", f"LAB_ARGS={arguments}"], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**__import__("os").environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")},
    )
    try:
        deadline = time.time() + 90
        page = None
        while time.time() < deadline and page is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab/tree/notebooks/00_start_here.ipynb?token={token}", timeout=5) as response:
                    page = response.read().decode()
            except OSError:
                time.sleep(1)
        assert page is not None, "JupyterLab did not answer within 90 s"
        assert "JupyterLab" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/notebooks/00_start_here.ipynb?token={token}", timeout=10) as response:
            notebook = json.loads(response.read())
        assert notebook["content"]["cells"][0]["source"].startswith("# 00 · Start here")
    finally:
        import os
        import signal

        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
