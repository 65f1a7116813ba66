"""Settings: one object built from IGSATLAS_* environment variables at start-up, never at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from igsatlas.errors import ConfigError

_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def project_root() -> Path:
    """The repository checkout when running from source (editable install), else the working directory."""
    if (_SOURCE_ROOT / "pyproject.toml").is_file():
        return _SOURCE_ROOT
    return Path.cwd()


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    reference_dir: Path
    database_url: str
    host: str
    port: int

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        root = project_root()
        data_dir = Path(env.get("IGSATLAS_DATA_DIR") or root.parent / "shared" / "data")
        reference_dir = Path(env.get("IGSATLAS_REFERENCE_DIR") or data_dir.parent / "reference")
        database_url = env.get("IGSATLAS_DATABASE_URL") or f"sqlite:///{root / 'var' / 'igsatlas.sqlite3'}"
        if not database_url.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ConfigError(
                f"IGSATLAS_DATABASE_URL={database_url!r} names a database IGS-atlas does not support.",
                code="invalid-setting",
                hint="Use sqlite:///path/to/file.sqlite3 or postgresql://user@host:port/database.",
            )
        host = env.get("IGSATLAS_HOST") or "127.0.0.1"
        port_text = env.get("IGSATLAS_PORT") or "8000"
        try:
            port = int(port_text)
        except ValueError:
            port = -1
        if not 0 < port < 65536:
            raise ConfigError(
                f"IGSATLAS_PORT={port_text!r} is not a TCP port.",
                hint="Set IGSATLAS_PORT to a number between 1 and 65535, e.g. 8000.",
            )
        return cls(data_dir=data_dir, reference_dir=reference_dir, database_url=database_url, host=host, port=port)

    def require_data_dir(self) -> Path:
        if not self.data_dir.is_dir():
            raise ConfigError(
                f"IGSATLAS_DATA_DIR={self.data_dir} is not a folder.",
                hint="Point IGSATLAS_DATA_DIR at the data folder (with lblod/, regions/, geo/, themes/), "
                "by default ../shared/data next to the repository.",
            )
        return self.data_dir
