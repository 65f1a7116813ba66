"""nginx in front of the atlas, as docs/nginx/igs-atlas.conf configures it: the test of the proxy and
bench/web.py --nginx run that very file on loopback, with its placeholders filled."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[3] / "docs" / "nginx" / "igs-atlas.conf"


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise RuntimeError("nginx is not installed: `make browser-tools` installs Debian's nginx")
    return found


def render(prefix: Path, upstream: str, listen: str, extra: str = "", config: Path = CONFIG) -> str:
    """The documented configuration with its placeholders ({prefix}, {upstream}, {listen}, {extra}) filled."""
    text = config.read_text(encoding="utf-8")
    for name, value in {"{prefix}": str(prefix), "{upstream}": upstream, "{listen}": listen, "{extra}": extra}.items():
        text = text.replace(name, value)
    return text


@contextmanager
def running(prefix: Path, upstream: str, extra: str = "") -> Iterator[int]:
    """nginx in the foreground on a free loopback port in front of ``upstream`` (host:port); yields the port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    # Run as root (the owner of the temporary folders); an operator's server names its own user.
    conf.write_text("user root;\n" + render(prefix, upstream, f"127.0.0.1:{port}", extra), encoding="utf-8")
    process = subprocess.Popen([nginx_binary(), "-p", str(prefix), "-c", str(conf)], stderr=subprocess.PIPE)
    try:
        for _ in range(200):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None:
                message = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"nginx did not start: {message}")
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()
