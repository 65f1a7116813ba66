"""The README is true: each command of its shell blocks and each Python snippet runs as written."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(README.read_text(encoding="utf-8")) if lang == language]


def commands() -> list[str]:
    """Every command line of the shell blocks (comment-only lines left out)."""
    return [line.strip() for body in blocks("sh") for line in body.splitlines() if shlex.split(line, comments=True)]


def test_the_readme_has_the_blocks_this_test_runs() -> None:
    assert {lang for lang, _ in FENCE.findall(README.read_text(encoding="utf-8"))} <= {"sh", "python", "nginx"}
    assert len(commands()) >= 14 and len(blocks("python")) == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def shell_env(imported_copy_url: str, data_dir: Path) -> dict[str, str]:
    """The environment of a reader who ran `make install` and `igs import`: the venv's commands on the PATH, a
    copy of the imported register, the data folder."""
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "IGSATLAS_DATABASE_URL": imported_copy_url,
        "IGSATLAS_DATA_DIR": str(data_dir),
        "IGSATLAS_PORT": str(_free_port()),
    }


def _serve(line: str, env: dict[str, str], cwd: Path) -> None:
    """`igs serve` runs until stopped: it must answer /status.json, then it is stopped."""
    server = subprocess.Popen(["bash", "-c", f"exec {line}"], cwd=cwd, env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{env['IGSATLAS_PORT']}/status.json", timeout=5) as r:
                    assert r.status == 200
                    return
            except OSError:
                assert time.monotonic() < deadline, "igs serve did not answer within 2 minutes"
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(30)
        if server.stderr:
            server.stderr.close()


def test_every_readme_command_runs_as_written(shell_env: dict[str, str], tmp_path: Path) -> None:
    ran = []
    for line in commands():
        words = shlex.split(line, comments=True)
        if words[0] == "make":  # `make test` runs the whole suite: ask make what it would do
            r = subprocess.run(["make", "-n", *words[1:]], cwd=REPO, env=shell_env, capture_output=True, text=True)
            assert r.returncode == 0, (line, r.stderr)
        elif words[:2] == ["igs", "serve"]:
            _serve(line, shell_env, tmp_path)
        else:
            r = subprocess.run(
                ["bash", "-o", "pipefail", "-c", line],
                cwd=tmp_path,
                env=shell_env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            documented = {0, 1} if words[:2] == ["igs", "check"] else {0}  # check: exit 1 on a serious deviation
            assert r.returncode in documented and "error [" not in r.stderr, (line, r.stderr[-3000:])
            assert r.stdout.strip(), f"{line} printed nothing"
        ran.append(words[0])
    assert ran.count("igs") >= 12
    assert sorted(p.name for p in (tmp_path / "var" / "export").iterdir()) == [
        "memberships.csv",
        "municipalities.csv",
        "organisations.csv",
        "regions.csv",
    ]
    assert (tmp_path / "var" / "opendata" / "datapackage.json").is_file()


def test_the_library_snippets_run_as_written(shell_env: dict[str, str], tmp_path: Path) -> None:
    """The second snippet follows the first, as the README says."""
    program = "\n".join(blocks("python"))
    r = subprocess.run(
        [sys.executable, "-c", program], cwd=tmp_path, env=shell_env, capture_output=True, text=True, timeout=300
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert "Imewo Opdrachthoudende vereniging" in r.stdout  # Gent's cooperations, printed by the first snippet
