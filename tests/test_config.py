"""Settings are validated at start-up with messages that name the variable."""

from __future__ import annotations

import pytest

from igsatlas.config import Settings
from igsatlas.errors import ConfigError


def test_defaults_point_next_to_the_repository() -> None:
    s = Settings.from_env({})
    assert s.data_dir.parts[-2:] == ("shared", "data")
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("var/igsatlas.sqlite3")
    assert (s.host, s.port) == ("127.0.0.1", 8000)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"IGSATLAS_PORT": "eighty"}, "IGSATLAS_PORT"),
        ({"IGSATLAS_PORT": "70000"}, "IGSATLAS_PORT"),
        ({"IGSATLAS_DATABASE_URL": "mysql://x"}, "IGSATLAS_DATABASE_URL"),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.from_env(env)
    assert variable in info.value.message
    assert info.value.code == "invalid-setting"
