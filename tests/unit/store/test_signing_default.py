"""The embedded default signs: its key is made in the data folder once, then kept."""

from __future__ import annotations

from pathlib import Path

from ledger.config import Settings
from ledger.evidence.signing import ensure_key_file, read_public_key


def test_the_embedded_default_names_a_key_in_its_data_folder(tmp_path: Path) -> None:
    settings = Settings.from_env({"LEDGER_DATA_DIR": str(tmp_path)})
    assert settings.signing_key == tmp_path / "signing-key.pem"


def test_a_server_signs_with_the_key_named_and_an_unnamed_one_does_not(tmp_path: Path) -> None:
    named = Settings.from_env(
        {"LEDGER_DATABASE_URL": "postgresql://db/x", "LEDGER_SIGNING_KEY": "k"}
    )
    assert named.signing_key == Path("k")
    assert Settings.from_env({"LEDGER_DATABASE_URL": "postgresql://db/x"}).signing_key is None


def test_the_key_is_made_once_and_kept_across_starts(tmp_path: Path) -> None:
    key = tmp_path / "signing-key.pem"
    first = ensure_key_file(key)
    assert ensure_key_file(key) == first == read_public_key(key)
    assert (key.stat().st_mode & 0o777) == 0o600
