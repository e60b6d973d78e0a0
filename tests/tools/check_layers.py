#!/usr/bin/env python3
"""The include graph between the folders ("rooms") of src/, and a check that it points one way.

Usage: check_layers.py [SRC_DIR] [--files] | check_layers.py --self-test
For each src/X/*.{h,cpp} it reads the `#include "Y/..."` lines naming another folder Y of src/ and
prints the folder-level edges (X -> Y, with how many includes make each), every two-way pair, and
every cycle (each strongly connected group of folders, and the elementary cycles within it).
With --files, each edge also lists the includes that make it. --self-test runs the check on made-up
folders (one way, two-way, a three-folder cycle, an allowed pair) and exits 1 unless it judges
each as it should.

Exit 1 if two folders include each other (a two-way pair) or if any longer cycle exists, unless
the pair is allow-listed below. Registered with ctest (tests/CMakeLists.txt: layers), so a new
two-way dependency fails the suite. The layering itself is written down in docs/development.md.
"""
import os
import re
import sys
from collections import defaultdict

# Pairs of folders still allowed to include each other, each with the reason and who removes it.
ALLOWED_TWO_WAY: set = set()  # none: every pair points one way (issue 28 made the last three so)

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"/]+)/[^"]+"', re.MULTILINE)


def include_graph(src):
    folders = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
    edges = defaultdict(list)  # (from, to) -> ["from/file.cpp: to/header.h", ...]
    for folder in folders:
        for root, _, files in os.walk(os.path.join(src, folder)):
            for name in sorted(files):
                if not name.endswith((".h", ".cpp", ".inc")):
                    continue
                path = os.path.join(root, name)
                rel = os.path.relpath(path, src)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                for m in INCLUDE.finditer(text):
                    target = m.group(1)
                    if target != folder and target in folders:
                        line = text[m.start():m.end()].strip()
                        edges[(folder, target)].append(f"{rel}: {line}")
    return folders, edges


def strongly_connected(folders, succ):
    """Tarjan's algorithm: the groups of folders that reach each other."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(succ[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            groups.append(sorted(group))

    for v in folders:
        if v not in index:
            visit(v)
    return groups


def elementary_cycles(group, succ, limit=200):
    """Every simple cycle inside one strongly connected group, each started at its smallest name."""
    cycles = []
    members = set(group)
    for start in sorted(group):
        allowed = {v for v in members if v >= start}

        def walk(path, seen):
            if len(cycles) >= limit:
                return
            for w in sorted(succ[path[-1]]):
                if w == start:
                    cycles.append(path + [start])
                elif w in allowed and w not in seen:
                    walk(path + [w], seen | {w})

        walk([start], {start})
    return cycles


def layers(groups, succ):
    """The groups (strongly connected; one folder each when nothing is two-way) in layers: 0 for a
    group that includes nothing outside itself, else one above the highest group it includes."""
    group_of = {v: i for i, g in enumerate(groups) for v in g}
    height = {}

    def h(i):
        if i not in height:
            below = {group_of[w] for v in groups[i] for w in succ[v]} - {i}
            height[i] = 1 + max((h(j) for j in below), default=-1)
        return height[i]

    for i in range(len(groups)):
        h(i)
    return height


def self_test():
    import contextlib, io, tempfile

    def judge(includes):
        with tempfile.TemporaryDirectory() as src:
            for folder, targets in includes.items():
                os.makedirs(os.path.join(src, folder))
                with open(os.path.join(src, folder, "a.cpp"), "w") as f:
                    f.write("".join(f'#include "{t}/b.h"\n' for t in targets) + '#include "x.h"\n#include <y/z.h>\n')
            with contextlib.redirect_stdout(io.StringIO()):
                return check(src, allowed={frozenset({"x", "y"})})

    cases = [
        ("one way", {"a": ["b"], "b": ["c"], "c": []}, 0),
        ("two-way", {"a": ["b"], "b": ["a"]}, 1),
        ("three-folder cycle", {"a": ["b"], "b": ["c"], "c": ["a"]}, 1),
        ("allowed pair", {"x": ["y"], "y": ["x"]}, 0),
        ("a cycle through an allowed pair", {"x": ["y"], "y": ["x", "z"], "z": ["x"]}, 1),
    ]
    wrong = [name for name, includes, expected in cases if judge(includes) != expected]
    for name in wrong:
        print(f"self-test: judged wrongly: {name}")
    print("self-test: " + ("FAIL" if wrong else f"OK ({len(cases)} cases)"))
    return 1 if wrong else 0


def main(argv):
    if "--self-test" in argv:
        return self_test()
    args = [a for a in argv[1:] if not a.startswith("--")]
    src = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src")
    return check(src, ALLOWED_TWO_WAY, show_files="--files" in argv)


def check(src, allowed, show_files=False):
    folders, edges = include_graph(src)
    succ = defaultdict(set)
    for a, b in edges:
        succ[a].add(b)

    print(f"folder-level edges ({len(edges)}; the number is how many includes make the edge):")
    for a in folders:
        targets = sorted(succ[a])
        print(f"  {a} -> " + (", ".join(f"{b}({len(edges[(a, b)])})" for b in targets) or "(nothing)"))
        if show_files:
            for b in targets:
                for line in edges[(a, b)]:
                    print(f"      {line}")

    pairs = sorted({tuple(sorted((a, b))) for a, b in edges if (b, a) in edges})
    print(f"\ntwo-way pairs ({len(pairs)}):")
    for a, b in pairs:
        note = "  [allowed for now]" if frozenset({a, b}) in allowed else ""
        print(f"  {a} <-> {b}{note}")
        for line in edges[(a, b)] + edges[(b, a)]:
            print(f"      {line}")

    groups = strongly_connected(folders, succ)
    cyclic = [g for g in groups if len(g) > 1]
    print(f"\ncycles (groups of folders that reach each other: {len(cyclic)}):")
    bad_cycles = []
    for g in cyclic:
        print("  group: " + ", ".join(g))
        for c in elementary_cycles(g, succ):
            ok = all(frozenset(step) in allowed for step in zip(c, c[1:]))
            print("    " + " -> ".join(c) + ("  [allowed for now]" if ok else ""))
            if not ok and len(c) > 3:  # two-way pairs are counted as pairs
                bad_cycles.append(c)

    height = layers(groups, succ)
    print("\nlayers, bottom to top (a folder includes only folders on lower lines; a+b: a group):")
    for level in range(max(height.values(), default=-1) + 1):
        print(f"  {level}: " + ", ".join("+".join(groups[i]) for i in sorted(height, key=lambda i: groups[i])
                                      if height[i] == level))

    bad_pairs = [p for p in pairs if frozenset(p) not in allowed]
    if bad_pairs or bad_cycles:
        print(f"\nFAIL: {len(bad_pairs)} two-way pair(s) and {len(bad_cycles)} longer cycle(s) not allowed: "
              "make each dependency point one way (see docs/development.md, the layering)")
        return 1
    print("\nOK: every dependency between folders of src/ points one way"
          + (" (apart from the allowed pairs)" if pairs else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
