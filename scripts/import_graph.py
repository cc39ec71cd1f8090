"""Print the apps' import graph: which app imports which (with the module-level imports
behind each arrow), and any circles between the modules of one app.

    .venv/bin/python scripts/import_graph.py      (or: make imports)

It reads the source with grimp (import-linter's graph), so nothing is imported or run.
Migrations are left out: they are Django's record of the models, not code anyone calls.
Inside bookings, the parts (the rules core, each feature, the wiring) are shown with the
number of imports between them. `wnh.urls` is shown on its own: it sits on top of every
app, while the rest of `wnh` (errors, weekdays, db, admin helpers, settings, the Celery app)
sits below them.
"""

import sys
from collections import defaultdict
from pathlib import Path

import grimp

APPS = ("wnh", "accounts", "centres", "companies", "bookings", "devtools")


def app_of(module: str) -> str:
    return "wnh.urls" if module == "wnh.urls" else module.split(".")[0]


def is_migration(module: str) -> bool:
    return ".migrations" in module


def module_imports(graph) -> set[tuple[str, str]]:
    return {
        (importer, imported)
        for importer in graph.modules
        if not is_migration(importer)
        for imported in graph.find_modules_directly_imported_by(importer)
        if not is_migration(imported)
    }


def circles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    following = defaultdict(set)
    for importer, imported in edges:
        following[importer].add(imported)
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for nxt in following[module]:
            if nxt not in index:
                visit(nxt)
                low[module] = min(low[module], low[nxt])
            elif nxt in on_stack:
                low[module] = min(low[module], index[nxt])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(following):
        if module not in index:
            visit(module)
    return sorted(groups)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    graph = grimp.build_graph(*APPS, cache_dir=None)
    edges = module_imports(graph)
    between = defaultdict(list)
    for importer, imported in sorted(edges):
        if app_of(importer) != app_of(imported):
            between[(app_of(importer), app_of(imported))].append(f"{importer} -> {imported}")

    print("Imports between apps (importer -> imported):")
    for (importer, imported), lines in sorted(between.items()):
        back = " (and back: a circle)" if (imported, importer) in between else ""
        print(f"\n{importer} -> {imported}{back}: {len(lines)} import(s)")
        for line in lines:
            print(f"    {line}")

    package = {module: module.split(".")[0] for edge in edges for module in edge}
    inside = [
        group
        for app in APPS
        for group in circles({(a, b) for a, b in edges if package[a] == package[b] == app})
    ]
    print("\nInside bookings, which part imports which (importer -> imported: imports):")
    parts = defaultdict(int)
    for importer, imported in edges:
        if app_of(importer) == app_of(imported) == "bookings":
            a, b = importer.split(".")[1:2], imported.split(".")[1:2]
            if a and b and a != b:
                parts[(a[0], b[0])] += 1
    for (importer, imported), count in sorted(parts.items()):
        print(f"    {importer} -> {imported}: {count}")

    print("\nCircles between modules of one app:")
    for group in inside:
        print("    " + " <-> ".join(group))
    if not inside:
        print("    none")


if __name__ == "__main__":
    main()
