"""The command line fails with one clear line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KEFU = str(Path(sys.executable).with_name("kefu"))


def run_kefu(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    return subprocess.run(
        [KEFU, *args], capture_output=True, text=True, env=environment, timeout=120, check=False
    )


def test_a_database_that_does_not_connect_is_one_clear_message() -> None:
    result = run_kefu(
        "migrate", "--no-input", KEFU_DATABASE_URL="postgresql://nobody@127.0.0.1:1/kefu"
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("kefu: cannot use the database at 127.0.0.1:1/kefu: ")
    assert "check KEFU_DATABASE_URL" in result.stderr


def test_a_database_url_with_an_unknown_scheme_is_one_clear_message() -> None:
    result = run_kefu("check", KEFU_DATABASE_URL="mongodb://127.0.0.1/kefu")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "kefu: the configuration is not usable: KEFU_DATABASE_URL is not a database URL"
    )
