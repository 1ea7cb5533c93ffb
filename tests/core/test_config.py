"""The README's configuration table is generated from the declarations and must match them."""

from pathlib import Path

import pytest

from motcua.config import ENV_VARS, EnvVar, env_table_markdown, read_all

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_table_matches_declarations():
    text = README.read_text(encoding="utf-8")
    assert env_table_markdown() in text, (
        "README configuration table is out of date: paste the output of "
        "`motcua envdoc` into the README"
    )


def test_every_variable_declared_once_with_help():
    names = [v.name for v in ENV_VARS]
    assert len(names) == len(set(names))
    assert all(v.help for v in ENV_VARS)


def test_safe_defaults():
    values = read_all({})
    assert values["DEBUG"] is False
    assert "*" not in values["ALLOWED_HOSTS"]


def test_bad_boolean_is_a_clear_error():
    var = EnvVar("X", "false", "x", cast=ENV_VARS[2].cast)
    with pytest.raises(ValueError, match="environment variable X"):
        var.read({"X": "maybe"})


@pytest.mark.parametrize("setting", ["DEBUG", "ALLOWED_HOSTS", "SECRET_KEY"])
def test_settings_read_from_declarations(settings, setting):
    assert hasattr(settings, setting)
