"""The house: no import cycle in finsim/, and the core never imports the command line.

Every ``import`` counts, those inside functions included (they hide a cycle from
Python, not from the design). Cycles are looked for between modules and between
packages (``finsim.scoring``, ``finsim.transcript``…, a top-level module being
its own package).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import finsim

ROOT = Path(finsim.__file__).resolve().parent
CORE_EXCEPT = "finsim.cli"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> Iterator[tuple[str, int]]:
    """Each finsim module ``path`` imports, with the line, anywhere in the file."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            targets = [".".join([*base, *([node.module] if node.module else [])])]
        else:
            continue
        for target in targets:
            if target == "finsim" or target.startswith("finsim."):
                yield target, node.lineno


def module_graph() -> dict[str, dict[str, str]]:
    """Module → {imported module: where}; only finsim modules."""
    graph: dict[str, dict[str, str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        edges = graph.setdefault(module_name(path), {})
        for target, line in imported(path):
            edges.setdefault(target, f"{path.relative_to(ROOT.parent)}:{line}")
    return graph


def package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def package_graph(modules: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    graph: dict[str, dict[str, str]] = {}
    for module, edges in modules.items():
        mine = graph.setdefault(package_of(module), {})
        for target, where in edges.items():
            if package_of(target) != package_of(module):
                mine.setdefault(package_of(target), where)
    return graph


def cycles(graph: dict[str, dict[str, str]]) -> list[list[str]]:
    """The strongly connected groups of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, {}):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def explain(graph: dict[str, dict[str, str]], group: list[str]) -> str:
    return "; ".join(
        f"{a} → {b} ({where})" for a in group for b, where in graph[a].items() if b in group
    )


def test_no_cycle_between_modules() -> None:
    graph = module_graph()
    assert [explain(graph, group) for group in cycles(graph)] == []


def test_no_cycle_between_packages() -> None:
    graph = package_graph(module_graph())
    assert [explain(graph, group) for group in cycles(graph)] == []


def test_the_core_does_not_import_the_command_line() -> None:
    wrong = [
        f"{module} → {target} ({where})"
        for module, edges in module_graph().items()
        if not (module == CORE_EXCEPT or module.startswith(CORE_EXCEPT + "."))
        and module != "finsim.__main__"
        for target, where in edges.items()
        if target == CORE_EXCEPT or target.startswith(CORE_EXCEPT + ".")
    ]
    assert wrong == []


def test_the_walk_finds_cycles_and_hidden_imports() -> None:
    # the checks can fail: a cycle made by an import inside a function is found
    assert cycles({"a": {"b": ""}, "b": {"c": ""}, "c": {"a": ""}, "d": {"a": ""}}) == [
        ["a", "b", "c"]
    ]
    graph = module_graph()
    assert "finsim.cli.drill.run" in graph["finsim.cli.drill_cmds"]  # imported in a function
    assert "finsim.transcript.chain" in graph["finsim.transcript.writer"]
