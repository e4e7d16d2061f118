"""Targets: each configured module plus the helper modules it imports from the same project.

A helper is any module under `package_root` that a target imports, directly or through
other helpers. A helper reached from several targets belongs to the first of them in the
configuration; a module that is itself a target is never another target's helper.
"""

import ast
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class Target:
    """A judged module: its own path first, then its helpers (paths relative to the project)."""

    path: str
    min_score: float
    files: tuple


def module_name(path, package_root):
    """The importable name of a module file, e.g. `backend/core/x.py` under `backend` -> `core.x`."""
    relative = PurePosixPath(path).relative_to(PurePosixPath(package_root)) if package_root != "." else PurePosixPath(path)
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve_targets(config):
    """Expand the configured target modules into `Target`s with their helper files."""
    root = config.project_root
    claimed = {spec.path for spec in config.targets}
    targets = []
    for spec in config.targets:
        other_targets = {other.path for other in config.targets} - {spec.path}
        helpers = [
            path for path in _imported_closure(spec.path, root, config.package_root, other_targets)
            if path not in claimed
        ]
        claimed.update(helpers)
        targets.append(Target(spec.path, spec.min_score, (spec.path, *sorted(helpers))))
    return targets


def _imported_closure(start, root, package_root, other_targets):
    """Modules reachable from `start` through imports, not walking into other targets."""
    seen = {start}
    pending = [start]
    while pending:
        current = pending.pop()
        for imported in _project_imports(current, root, package_root):
            if imported not in seen and imported not in other_targets:
                seen.add(imported)
                pending.append(imported)
    seen.discard(start)
    return seen


def _project_imports(path, root, package_root):
    """Paths of the project modules that the module at `path` imports."""
    tree = ast.parse((root / path).read_text(encoding="utf-8"), filename=path)
    package = module_name(path, package_root)
    if not path.endswith("__init__.py"):
        package = package.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        for name in _imported_names(node, package):
            module_path = _module_path(name, root, package_root)
            if module_path is not None:
                found.add(module_path)
    return found


def _imported_names(node, package):
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = _absolute_base(node, package)
        return [base, *(f"{base}.{alias.name}" if base else alias.name for alias in node.names)]
    return []


def _absolute_base(node, package):
    if not node.level:
        return node.module or ""
    parts = package.split(".") if package else []
    parts = parts[: len(parts) - (node.level - 1)]
    if node.module:
        parts.append(node.module)
    return ".".join(parts)


def _module_path(name, root, package_root):
    if not name:
        return None
    base = Path(package_root) / Path(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if (root / candidate).is_file():
            return candidate.as_posix()
    return None
