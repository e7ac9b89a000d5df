"""`--help` in English and Japanese.

Each help text is written once per language where its option is defined: `tr(EN, JA)` is a
`str` that *is* the English text, so argparse and anything else that reads it sees English,
and it carries the Japanese. Under `--lang ja` or a Japanese locale the CLI formats help with
`JapaneseHelpFormatter`, which shows the Japanese, translates argparse's own words (`usage:`,
the section headings, the `-h` and `--version` lines), and wraps by display width: a Japanese
character takes two columns, and a Japanese sentence has no spaces to break at.
"""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Iterable, Iterator

__all__ = ["JapaneseHelpFormatter", "tr", "wrap"]


class _Text(str):  # noqa: SLOT000 - str allows no slots; the translation lives in __dict__
    """English text that carries its Japanese translation."""

    ja: str

    def __new__(cls, en: str, ja: str) -> _Text:  # noqa: PYI034 - str.__new__ returns Self
        text = super().__new__(cls, en)
        text.ja = ja
        return text


def tr(en: str, ja: str) -> str:
    """A help text, description or epilog in both languages (English unless asked)."""
    return _Text(en, ja)


# argparse's own words (it takes them from gettext, which ships no Japanese).
_ARGPARSE = {
    "positional arguments": "位置引数",
    "options": "オプション",
    "show this help message and exit": "このヘルプを表示して終了します",
    "show program's version number and exit": "バージョンを表示して終了します",
}
_USAGE = "使い方: "


def _japanese(text: str) -> str:
    if isinstance(text, _Text):
        return text.ja
    return _ARGPARSE.get(text, text)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _columns(text: str) -> int:
    return sum(2 if _wide(char) else 1 for char in text)


# Line-breaking rules (kinsoku): closing marks never begin a line, opening marks never end one.
_NO_START = frozenset("、。，．・：；？！）」』】〕〉》ー…"
                      "ぁぃぅぇぉっゃゅょァィゥェォッャュョ,.;:!?)]}")
_NO_END = frozenset("（「『【〔〈《([{")


def _units(text: str) -> Iterator[str]:
    """Spaces, words (runs of narrow characters; a `code span` is one word, spaces and all),
    and wide characters one by one."""
    word = ""
    code = False
    for char in text:
        if char == "`":
            code = not code
        elif not code and (char == " " or _wide(char)):
            if word:
                yield word
                word = ""
            yield char
            continue
        word += char
    if word:
        yield word


def _pieces(text: str) -> list[str]:
    """What a line may break between (or at a space): the units, glued by kinsoku."""
    pieces: list[str] = []
    glue = False
    for unit in _units(text):
        if unit != " " and pieces and pieces[-1] != " " and (glue or unit[0] in _NO_START):
            pieces[-1] += unit
        else:
            pieces.append(unit)
        glue = unit[-1] in _NO_END
    return pieces


def wrap(text: str, width: int) -> list[str]:
    """`text` (whitespace collapsed) in lines of at most `width` display columns, breaking at
    spaces and between Japanese characters; a word longer than a line stays whole."""
    lines: list[str] = []
    line, space = "", False
    for piece in _pieces(" ".join(text.split())):
        if piece == " ":
            space = bool(line)
            continue
        joined = f"{line} {piece}" if space else line + piece
        if line and _columns(joined) > width:
            lines.append(line)
            joined = piece
        line, space = joined, False
    if line:
        lines.append(line)
    return lines


class JapaneseHelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, showing the Japanese of every `tr()` text and of its own words.

    It overrides the hooks argparse's own formatter classes override (`_split_lines`,
    `_fill_text`, `_get_help_string`), and `_format_usage` for the prefix's width.
    """

    def start_section(self, heading: str | None) -> None:
        super().start_section(None if heading is None else _japanese(heading))

    def add_text(self, text: str | None) -> None:
        super().add_text(None if text is None else _japanese(text))

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return None if action.help is None else _japanese(action.help)

    def _format_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                      groups: Iterable[argparse._MutuallyExclusiveGroup],
                      prefix: str | None) -> str:
        if prefix is not None:
            return super()._format_usage(usage, actions, groups, prefix)
        # argparse indents the continuation lines by len(prefix): lay out with blanks as wide
        # as the Japanese prefix shows, then put it in their place.
        blank = " " * _columns(_USAGE)
        return super()._format_usage(usage, actions, groups, blank).replace(blank, _USAGE, 1)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))
