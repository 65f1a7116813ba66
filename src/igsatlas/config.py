"""Settings: one object built from IGSATLAS_* environment variables at start-up, never at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from igsatlas.errors import ConfigError

Network = IPv4Network | IPv6Network


def parse_networks(text: str) -> tuple[Network, ...]:
    """'127.0.0.1, 10.0.0.0/8, ::1' as networks; raises ValueError naming the entry that is not one."""
    out = []
    for part in text.replace(";", ",").split(","):
        entry = part.strip()
        if entry:
            try:
                out.append(ip_network(entry, strict=False))
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network") from None
    return tuple(out)


_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def project_root() -> Path:
    """The repository checkout when running from source (editable install), else the working directory."""
    if (_SOURCE_ROOT / "pyproject.toml").is_file():
        return _SOURCE_ROOT
    return Path.cwd()


@dataclass(frozen=True)
class SmtpSettings:
    """IGSATLAS_SMTP_URL: smtp://user:password@host:587?starttls=1, smtps://host:465 (TLS), smtp://127.0.0.1:25."""

    host: str
    port: int
    security: str  # none, starttls, tls
    user: str | None
    password: str | None

    @classmethod
    def parse(cls, url: str) -> SmtpSettings:
        parts = urlsplit(url)
        hint = (
            "Use smtp://host:port (add ?starttls=1 for STARTTLS) or smtps://host:port, with user:password@ if needed."
        )
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ConfigError("IGSATLAS_SMTP_URL is not an smtp:// or smtps:// address.", hint=hint)
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 25)
        except ValueError:
            raise ConfigError("IGSATLAS_SMTP_URL has a port that is not a number.", hint=hint) from None
        starttls = parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
        return cls(
            host=parts.hostname,
            port=port,
            security="tls" if parts.scheme == "smtps" else "starttls" if starttls else "none",
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    reference_dir: Path
    database_url: str
    host: str
    port: int
    base_url: str = "http://127.0.0.1:8000"  # the address in links of mails and feeds
    base_uri: str = "http://127.0.0.1:8000"  # the base of the linked-data URIs the atlas mints (IGSATLAS_BASE_URI)
    smtp: SmtpSettings | None = None  # without it, mail is written as .eml files to mail_dir
    mail_dir: Path = Path("var/mail")
    mail_from: str = "IGS-atlas <nieuwsbrief@igs-atlas.invalid>"
    secret_key: str | None = None  # signs the links in mails; stored in the database when not set
    trusted_proxies: tuple[Network, ...] = ()  # proxies whose X-Forwarded-For names the client (web/proxies.py)
    op_url: str = "https://organisaties.abb.vlaanderen.be"  # the Organisatieportaal whose stream `igs sync` follows

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
        base_url = (env.get("IGSATLAS_BASE_URL") or f"http://{host}:{port}").rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"IGSATLAS_BASE_URL={base_url!r} is not a web address.",
                hint="Set IGSATLAS_BASE_URL to the site's public address, e.g. https://igs-atlas.be.",
            )
        base_uri = (env.get("IGSATLAS_BASE_URI") or base_url).rstrip("/")
        if not base_uri.startswith(("http://", "https://")):
            raise ConfigError(
                f"IGSATLAS_BASE_URI={base_uri!r} is not an http(s) URI.",
                hint="Set IGSATLAS_BASE_URI to the stable base of the atlas's URIs, e.g. https://data.igs-atlas.be.",
            )
        smtp_url = env.get("IGSATLAS_SMTP_URL")
        try:
            trusted = parse_networks(env.get("IGSATLAS_TRUSTED_PROXIES") or "")
        except ValueError as exc:
            raise ConfigError(
                f"IGSATLAS_TRUSTED_PROXIES: {exc}.",
                hint="List the reverse proxies' addresses or networks, separated by commas, e.g. 127.0.0.1,10.0.0.0/8.",
            ) from None
        op_url = (env.get("IGSATLAS_OP_URL") or "https://organisaties.abb.vlaanderen.be").rstrip("/")
        if not op_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"IGSATLAS_OP_URL={op_url!r} is not a web address.",
                hint="Set IGSATLAS_OP_URL to the Organisatieportaal, e.g. https://organisaties.abb.vlaanderen.be.",
            )
        return cls(
            data_dir=data_dir,
            reference_dir=reference_dir,
            database_url=database_url,
            host=host,
            port=port,
            base_url=base_url,
            base_uri=base_uri,
            smtp=SmtpSettings.parse(smtp_url) if smtp_url else None,
            mail_dir=Path(env.get("IGSATLAS_MAIL_DIR") or root / "var" / "mail"),
            mail_from=env.get("IGSATLAS_MAIL_FROM") or "IGS-atlas <nieuwsbrief@igs-atlas.invalid>",
            secret_key=env.get("IGSATLAS_SECRET_KEY") or None,
            trusted_proxies=trusted,
            op_url=op_url,
        )

    def require_data_dir(self) -> Path:
        if not self.data_dir.is_dir():
            raise ConfigError(
                f"IGSATLAS_DATA_DIR={self.data_dir} is not a folder.",
                hint="Point IGSATLAS_DATA_DIR at the data folder (with lblod/, regions/, geo/, themes/), "
                "by default ../shared/data next to the repository.",
            )
        return self.data_dir
