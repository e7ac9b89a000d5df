"""`--help` in English and Japanese: every command, argparse's own words, and the wrapping."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import compare_golden
from japanese import english_left
from openres_check.cli import build_parser
from openres_check.cli.helptext import wrap

Cli = Callable[..., tuple[int, str, str]]

GOLDEN = Path(__file__).parent / "golden"
# The goldens record how argparse lays help out before 3.13, which writes `-o, --output FILE`
# where earlier versions write `--output FILE, -o FILE`; the other tests hold on any version.
_LAYOUT = pytest.mark.skipif(sys.version_info >= (3, 13),
                             reason="the help goldens are in the layout of argparse < 3.13")
COMMANDS = [(), ("check",), ("scan",), ("lock",), ("catalog",),
            *(("catalog", action) for action in ("list", "show", "licenses", "services",
                                                 "ollama", "search")),
            ("policy",), ("policy", "test"), ("policy", "lint"), ("explain",), ("init",),
            ("validate",)]


@pytest.fixture
def locale(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Set the locale (and a fixed terminal width, which argparse wraps help to)."""
    monkeypatch.setenv("COLUMNS", "80")

    def use(lang: str) -> None:
        for name in ("LC_ALL", "LC_MESSAGES"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("LANG", lang)
    return use


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def _kept_words() -> set[str]:
    """The words help shows as they are in both languages: option names, metavars, choices
    and command names (argparse writes them into the usage lines and the option lists)."""
    words: set[str] = set()
    for parser in _parsers(build_parser()):
        for action in parser._actions:
            shown = [*action.option_strings, *(action.choices or ())]
            if isinstance(action.metavar, str):
                shown.append(action.metavar)
            elif not action.option_strings:
                shown.append(action.dest)
            else:
                shown.append(action.dest.upper())
            words.update(w for text in shown for w in re.findall(r"[A-Za-z]{3,}", str(text)))
    return words


def _help(cli: Cli, *argv: str) -> str:
    code, out, err = cli(*argv)
    assert code == 0, err
    assert err == ""
    return out


def _all_help(cli: Cli, *lang: str) -> str:
    return "".join(f"$ openres-check {' '.join([*command, '--help'])}\n"
                   f"{_help(cli, *command, *lang, '--help')}\n" for command in COMMANDS)


def _english_left(text: str) -> dict[str, list[str]]:
    kept = _kept_words()
    found = {line: [w for w in (english_left(line) or "").split() if w not in kept]
             for line in text.splitlines()}
    return {line: words for line, words in found.items() if words}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_help_is_japanese_under_a_japanese_locale(cli: Cli, locale: Callable[[str], None],
                                                  command: tuple[str, ...]) -> None:
    locale("ja_JP.UTF-8")
    out = _help(cli, *command, "--help")
    assert out.startswith(f"使い方: openres-check {' '.join(command)}".rstrip())
    assert "オプション:" in out
    assert "このヘルプを表示して終了します" in out
    assert not _english_left(out), f"help left in English: {_english_left(out)}"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_lang_ja_anywhere_on_the_command_line_gives_japanese_help(
        cli: Cli, locale: Callable[[str], None], command: tuple[str, ...]) -> None:
    locale("C")
    expected = _help(cli, *command, "--lang", "ja", "--help")
    assert not _english_left(expected)
    # Before the subcommand, after --help, or with `=`: where argparse alone would refuse
    # (`ja` read as the command) or never look; the help is the same.
    assert _help(cli, "--lang", "ja", *command, "--help") == expected
    assert _help(cli, *command, "--help", "--lang=ja") == expected


@_LAYOUT
def test_english_help_is_unchanged(cli: Cli, locale: Callable[[str], None],
                                   update_golden: bool) -> None:
    locale("C")
    english = _all_help(cli)
    compare_golden(GOLDEN / "help.en.txt", english, update_golden)
    assert "usage: openres-check check" in english
    locale("ja_JP.UTF-8")
    assert _all_help(cli, "--lang", "en") == english


@_LAYOUT
def test_japanese_help_golden(cli: Cli, locale: Callable[[str], None],
                              update_golden: bool) -> None:
    locale("ja_JP.UTF-8")
    compare_golden(GOLDEN / "help.ja.txt", _all_help(cli), update_golden)


def test_japanese_help_lines_fit_the_terminal(cli: Cli, locale: Callable[[str], None]) -> None:
    locale("ja_JP.UTF-8")
    wide = [line for line in _all_help(cli).splitlines()
            if "[" not in line and "{" not in line and _columns(line) > 80]
    assert not wide  # usage and choice lists are argparse's, unbroken as in English


def test_usage_continuation_lines_align_under_the_japanese_prefix(
        cli: Cli, locale: Callable[[str], None]) -> None:
    locale("ja_JP.UTF-8")
    first, second = _help(cli, "check", "--help").splitlines()[:2]
    assert first.startswith("使い方: openres-check check [-h]")
    indent = len(second) - len(second.lstrip())
    assert indent == _columns("使い方: openres-check check ")


def test_a_usage_error_with_lang_ja_is_still_japanese(cli: Cli,
                                                      locale: Callable[[str], None]) -> None:
    locale("C")
    code, out, err = cli("check", "--lang", "ja", "--bogus")
    assert code == 2
    assert out == ""
    assert "認識できない引数です: --bogus" in err
    assert not {line for line in err.splitlines() if english_left(line)}


def _columns(text: str) -> int:
    import unicodedata  # noqa: PLC0415

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_wrap_counts_display_columns_and_keeps_kinsoku() -> None:
    text = "ロックファイル（openres-check lock で作成）。モデルファイルの変更・欠落・追加を不適合とします"
    lines = wrap(text, 20)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(_columns(line) <= 20 for line in lines)
    assert not [line for line in lines if line[0] in "、。）・"]
    assert not [line for line in lines if line[-1] == "（"]


def test_wrap_breaks_at_spaces_and_keeps_code_spans_and_long_words_whole() -> None:
    assert wrap("以後、`check --lock FILE` は変更があれば", 12) == [
        "以後、", "`check --lock FILE`", "は変更があれ", "ば"]
    assert wrap("  a  b   c ", 80) == ["a b c"]
    assert wrap("https://accounts.google.com/very/long", 10) == [
        "https://accounts.google.com/very/long"]
    assert wrap("", 10) == []
