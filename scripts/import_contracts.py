"""An import-linter contract type: a package is imported from outside only through the modules it exports.

A package exports the submodules its `__init__.py` names in `__all__`; one without `__all__` (api.core)
exports everything. Registered in pyproject.toml (`contract_types`), run by `lint-imports` in `make lint`.
"""

import ast
import importlib.util
from pathlib import Path

import grimp
from importlinter import Contract, ContractCheck, fields, output

Import = tuple[str, str]


def exported(package: str) -> frozenset[str] | None:
    """The submodule names a package's `__all__` lists, or None when it has no `__all__` (all public)."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(target, ast.Name) and target.id == "__all__" for target in targets):
            return frozenset(ast.literal_eval(node.value))
    return None


def private_imports(graph: grimp.ImportGraph, package: str, public: frozenset[str]) -> list[Import]:
    """(importer, imported) for every import from outside `package` of a module it does not export."""
    found: list[Import] = []
    depth = package.count(".") + 1
    for module in sorted(graph.find_descendants(package)):
        if module.split(".")[depth] in public:
            continue
        outside = {
            importer
            for importer in graph.find_modules_that_directly_import(module)
            if importer != package and not importer.startswith(f"{package}.")
        }
        found.extend((importer, module) for importer in sorted(outside))
    return found


class PublicModulesContract(Contract):
    """Each child package of `containers` is imported only through the submodules in its `__all__`."""

    type_name = "public_modules"

    containers = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        """Every import of an unexported module from outside its package is a violation."""
        violations: list[Import] = []
        for container in self.containers:  # type: ignore[attr-defined]
            for package in sorted(graph.find_children(container)):
                public = exported(package)
                if public is not None:
                    violations.extend(private_imports(graph, package, public))
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        """One line per violating import."""
        for importer, imported in check.metadata["violations"]:
            output.print_error(f"{importer} imports {imported}, which its package does not export (__all__)")
            output.new_line()
