"""Which municipalities border each other: two boundaries that share at least two points of the stored
outlines (the shapefile's boundaries are shared exactly, and stay so after rounding to 10 m)."""

from __future__ import annotations

from collections import defaultdict

from igsatlas.geo.shapes import parse_path


def neighbours(paths: dict[str, str]) -> dict[str, set[str]]:
    """code -> the codes it borders, from stored boundary paths."""
    at: dict[tuple[int, int], set[str]] = defaultdict(set)
    for code, path in paths.items():
        for ring in parse_path(path):
            for point in ring:
                at[point].add(code)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for codes in at.values():
        if 1 < len(codes) < 6:
            ordered = sorted(codes)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    shared[(a, b)] += 1
    out: dict[str, set[str]] = {code: set() for code in paths}
    for (a, b), n in shared.items():
        if n >= 2:
            out[a].add(b)
            out[b].add(a)
    return out


def pieces(group: set[str], borders: dict[str, set[str]]) -> list[set[str]]:
    """The group split into its contiguous parts (one part when the group is one piece)."""
    left, out = set(group), []
    while left:
        start = left.pop()
        part, todo = {start}, [start]
        while todo:
            for n in borders.get(todo.pop(), ()):
                if n in left:
                    left.remove(n)
                    part.add(n)
                    todo.append(n)
        out.append(part)
    return sorted(out, key=lambda p: (-len(p), sorted(p)))
