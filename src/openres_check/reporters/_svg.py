"""Layout for the HTML report's inline SVG figures: the charts and the lineage tree.

The browser runs no script in the report (its CSP forbids it), so nothing can measure text
there: every text is laid out here, with a width estimated conservatively from its characters
(a CJK character counts as a full em, about double a Latin letter). Each figure's viewBox is
made wide enough for all of its texts, and `Figure.overflowing()` checks that it is.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FigPath", "FigRect", "FigText", "Figure", "bar_chart", "lineage_tree", "text_width"]

FONT = 12.0
SMALL = 11.0
_ASCENT = 0.95
"""Above the baseline, in em: generous for CJK glyphs, which reach higher than Latin ones."""
_DESCENT = 0.3
_BOLD = 1.1
"""Bold glyphs are up to a tenth wider than regular ones (DejaVu Sans, Noto Sans)."""

# Advance widths in em, at or above those of the widest common sans-serif fonts (DejaVu Sans).
_NARROW = {" ": 0.34, "-": 0.4, ".": 0.34, ",": 0.34, ":": 0.4, ";": 0.4, "'": 0.3,
           "i": 0.3, "l": 0.3, "j": 0.35, "I": 0.42, "/": 0.4, "(": 0.42, ")": 0.42,
           "|": 0.4, "!": 0.42}
_WIDE = {"m": 1.0, "w": 0.86, "M": 0.9, "W": 1.02, "@": 1.0, "%": 0.96}


def _char_width(char: str) -> float:
    if unicodedata.east_asian_width(char) in "WFA":
        return 1.0  # CJK (and ambiguous-width signs such as · and →, full width in CJK fonts)
    if char in _NARROW:
        return _NARROW[char]
    if char in _WIDE:
        return _WIDE[char]
    if char.isupper():
        return 0.8
    return 0.66


def text_width(text: str, size: float = FONT, *, bold: bool = False) -> float:
    """A conservative estimate of the rendered width of `text` in pixels."""
    width = sum(_char_width(c) for c in text) * size
    return width * _BOLD if bold else width


def wrap(text: str, width: float, size: float = FONT, *, bold: bool = False,
         max_lines: int | None = None) -> list[str]:
    """`text` broken into lines no wider than `width`: after spaces, slashes and hyphens
    where it can, anywhere (as CJK text breaks) where it must. With `max_lines`, a longer
    text ends in an ellipsis (the report's tables carry it whole)."""
    scale = size * (_BOLD if bold else 1.0)
    lines: list[str] = []
    line: list[str] = []
    line_width = 0.0
    last_break = -1
    for char in text:
        advance = _char_width(char) * scale
        if line and line_width + advance > width:
            if last_break > 0:
                rest = line[last_break:]
                lines.append("".join(line[:last_break]).rstrip())
            else:
                rest = []
                lines.append("".join(line))
            line = list("".join(rest).lstrip())
            line_width = sum(_char_width(c) for c in line) * scale
            last_break = -1
            if max_lines is not None and len(lines) >= max_lines:
                break
        if line or not char.isspace():
            line.append(char)
            line_width += advance
        if char in " /-_,、":
            last_break = len(line)
    else:
        if line:
            lines.append("".join(line))
        return lines or [""]
    # Cut short: the last line keeps what fits with the ellipsis.
    last = lines[-1]
    while last and text_width(last + "…", size, bold=bold) > width:
        last = last[:-1]
    lines[-1] = last + "…"
    return lines


@dataclass(frozen=True)
class FigText:
    x: float
    y: float
    """The baseline."""
    text: str
    size: float = FONT
    bold: bool = False
    anchor: str = "start"
    cls: str = ""

    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the text as laid out, conservatively."""
        width = text_width(self.text, self.size, bold=self.bold)
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        return (left, self.y - _ASCENT * self.size, left + width, self.y + _DESCENT * self.size)


@dataclass(frozen=True)
class FigRect:
    x: float
    y: float
    width: float
    height: float
    cls: str
    fill: str = ""
    """A pattern name of the figure (`review`, `waived`) instead of the class's fill."""
    rx: float = 0
    dashed: bool = False


@dataclass(frozen=True)
class FigPath:
    d: str
    cls: str
    dashed: bool = False
    arrow: bool = False


@dataclass
class Figure:
    """One inline SVG: its size in user units (1 unit = 1 CSS px at full size) and shapes."""

    id: str
    title: str
    desc: str
    width: float = 0
    height: float = 0
    rects: list[FigRect] = field(default_factory=list)
    paths: list[FigPath] = field(default_factory=list)
    texts: list[FigText] = field(default_factory=list)

    def fit(self, margin: float = 8) -> None:
        """Make the viewBox hold every text and shape, with a margin."""
        right = max([t.box()[2] for t in self.texts] + [r.x + r.width for r in self.rects]
                    + [0])
        bottom = max([t.box()[3] for t in self.texts] + [r.y + r.height for r in self.rects]
                     + [0])
        self.width = round(max(self.width, right + margin))
        self.height = round(max(self.height, bottom + margin))

    def overflowing(self) -> list[FigText]:
        """The texts that would reach outside the viewBox (none, after `fit`)."""
        return [t for t in self.texts
                if t.box()[0] < 0 or t.box()[1] < 0
                or t.box()[2] > self.width or t.box()[3] > self.height]


_SEGMENTS = ("fail", "review", "waived")
_ROW = 30.0
_BAR_MAX = 300.0


def _legend(figure: Figure, labels: dict[str, str], y: float, x: float = 0) -> float:
    """Swatches with their words (status is never told by colour alone); returns the end x."""
    for status in _SEGMENTS:
        figure.rects.append(FigRect(x, y - 10, 14, 12, f"bar-{status}",
                                    fill=status if status != "fail" else ""))
        text = FigText(x + 19, y, labels[status], SMALL, cls="small")
        figure.texts.append(text)
        x = text.box()[2] + 16
    return x


def bar_chart(figure_id: str, title: str, rows: list[tuple[str, dict[str, int], float]],
              labels: dict[str, str], desc_join: str) -> Figure:
    """Horizontal stacked bars, one row per (label, counts by status, bar thickness 0-1).

    Bars are to scale with each other; a row's thickness carries its weight (severity rows
    thin out from critical to info, so many info items do not outweigh one critical), and
    the counts are written out in words beside each bar.
    """
    figure = Figure(figure_id, title, "")
    label_width = max([text_width(name) for name, _, _ in rows] + [0]) + 14
    peak = max([sum(c.get(s, 0) for s in _SEGMENTS) for _, c, _ in rows] + [1])
    _legend(figure, labels, 14)
    described = []
    for index, (name, counts, weight) in enumerate(rows):
        top = 28 + index * _ROW
        thickness = 8 + 12 * weight
        figure.texts.append(FigText(0, top + _ROW / 2 + 4, name))
        x = label_width
        for status in _SEGMENTS:
            count = counts.get(status, 0)
            if not count:
                continue
            width = max(2.0, _BAR_MAX * count / peak)
            figure.rects.append(FigRect(x, top + (_ROW - thickness) / 2, round(width, 1),
                                        thickness, f"bar-{status}",
                                        fill=status if status != "fail" else ""))
            x += width
        words = " · ".join(f"{labels[s]} {counts[s]}" for s in _SEGMENTS if counts.get(s))
        words = words or "0"
        figure.texts.append(FigText(x + 8, top + _ROW / 2 + 4, words, SMALL, cls="small"))
        described.append(f"{name}: {words}")
    figure.desc = desc_join.join(described)
    figure.fit()
    return figure


# The lineage tree ----------------------------------------------------------------------------

_NODE_MIN = 150.0
_NODE_TEXT = 280.0
_NODE_LINES = 4
"""Lines of a model id or a license in a box; the tables under the tree carry the rest."""
_PAD = 10.0
_LINE = 16.0
_LEVEL_GAP = 62.0
_SIBLING_GAP = 28.0


@dataclass
class _Node:
    id: str
    lines: list[FigText]
    width: float
    height: float
    root: bool
    resolved: bool
    children: list[_Node] = field(default_factory=list)
    x: float = 0
    y: float = 0
    span: float = 0


def _node(model_id: str, license_text: str, words: dict[str, str], *, root: bool,
          resolved: bool) -> _Node:
    lines = [FigText(0, 0, part, FONT, bold=True)
             for part in wrap(model_id, _NODE_TEXT, bold=True, max_lines=_NODE_LINES)]
    lines += [FigText(0, 0, part, SMALL, cls="small")
              for part in wrap(f"{words['license']}: {license_text}", _NODE_TEXT, SMALL,
                               max_lines=_NODE_LINES)]
    if not resolved:
        lines.append(FigText(0, 0, words["unresolved"], SMALL, cls="warn"))
    width = max([_NODE_MIN] + [t.box()[2] - t.box()[0] + 2 * _PAD for t in lines])
    return _Node(model_id, lines, width, _PAD + len(lines) * _LINE + 2, root, resolved)


def _measure(node: _Node) -> float:
    children = sum(_measure(c) for c in node.children)
    children += _SIBLING_GAP * max(0, len(node.children) - 1)
    node.span = max(node.width, children)
    return node.span


def _place(node: _Node, left: float, depth_y: list[float], depth: int) -> None:
    node.x = left + (node.span - node.width) / 2
    node.y = depth_y[depth]
    children = sum(c.span for c in node.children) + _SIBLING_GAP * max(
        0, len(node.children) - 1)
    child_left = left + (node.span - children) / 2
    for child in node.children:
        _place(child, child_left, depth_y, depth + 1)
        child_left += child.span + _SIBLING_GAP


def _depths(node: _Node, depth: int, heights: dict[int, float]) -> None:
    heights[depth] = max(heights.get(depth, 0), node.height)
    for child in node.children:
        _depths(child, depth + 1, heights)


def lineage_tree(figure_id: str, title: str, model_id: str, own_license: str,
                 chain: list[dict[str, Any]], words: dict[str, str],
                 relation_word: Any) -> Figure:
    """The model on top, each base below the model built on it, arrows running from a base
    up to its derivative: solid when the base's terms carry, dashed when they do not."""
    figure = Figure(figure_id, title, "")
    root = _node(model_id, own_license, words, root=True, resolved=True)
    nodes = {model_id: root}
    edges: list[tuple[_Node, _Node, dict[str, Any]]] = []
    described = []
    for link in chain:
        parent = nodes.get(link["via"][-1], root)
        base = link["base"]
        if base not in nodes:
            license_text = (link.get("license") or "?") if link["resolved"] else "?"
            nodes[base] = _node(base, license_text, words, root=False,
                                resolved=bool(link["resolved"]))
            parent.children.append(nodes[base])
        edges.append((parent, nodes[base], link))
        carried = words["inherited"] if link.get("inherits", True) else words["not_inherited"]
        described.append(words["edge_desc"].format(model=link["via"][-1], base=base,
                                                   relation=relation_word(link["relation"]),
                                                   terms=carried))
    _measure(root)
    heights: dict[int, float] = {}
    _depths(root, 0, heights)
    depth_y = [8.0]
    for depth in range(1, len(heights)):
        depth_y.append(depth_y[-1] + heights[depth - 1] + _LEVEL_GAP)
    _place(root, 8, depth_y, 0)
    for node in nodes.values():
        cls = "node-root" if node.root else ("node" if node.resolved else "node-unresolved")
        figure.rects.append(FigRect(node.x, node.y, node.width, node.height, cls, rx=6,
                                    dashed=not node.resolved))
        for index, line in enumerate(node.lines):
            figure.texts.append(FigText(node.x + _PAD, node.y + _PAD + 11 + index * _LINE,
                                        line.text, line.size, line.bold, cls=line.cls))
    for parent, child, link in edges:
        inherits = bool(link.get("inherits", True))
        top = parent.y + parent.height
        start_x = child.x + child.width / 2
        end_x = parent.x + parent.width / 2
        elbow = top + 20
        figure.paths.append(FigPath(f"M{start_x:.1f},{child.y:.1f} V{elbow:.1f} "
                                    f"H{end_x:.1f} V{top + 1:.1f}",
                                    "edge" if inherits else "edge-not-inherited",
                                    dashed=not inherits, arrow=True))
        label = relation_word(link["relation"])
        figure.texts.append(FigText(start_x + 7, child.y - 24, label, SMALL, cls="small"))
        carried = words["inherited"] if inherits else words["not_inherited"]
        figure.texts.append(FigText(start_x + 7, child.y - 10, carried, SMALL,
                                    cls="small" if inherits else "warn"))
    bottom = max(n.y + n.height for n in nodes.values()) + 28
    if edges:
        _tree_legend(figure, words, bottom)
    figure.desc = " ".join(described) or words["no_bases"].format(model=model_id)
    figure.fit()
    return figure


def _tree_legend(figure: Figure, words: dict[str, str], y: float) -> None:
    figure.paths.append(FigPath(f"M8,{y - 4:.1f} H44", "edge", arrow=True))
    text = FigText(52, y, words["legend_inherited"], SMALL, cls="small")
    figure.texts.append(text)
    x = text.box()[2] + 20
    figure.paths.append(FigPath(f"M{x:.1f},{y - 4:.1f} H{x + 36:.1f}", "edge-not-inherited",
                                dashed=True, arrow=True))
    figure.texts.append(FigText(x + 44, y, words["legend_not_inherited"], SMALL, cls="small"))
    figure.texts.append(FigText(8, y + 18, words["legend_arrow"], SMALL, cls="small"))
