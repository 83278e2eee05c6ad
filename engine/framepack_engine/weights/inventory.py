"""What a model root holds: where each component would load from (the root, the Hugging Face
cache, or nowhere), what it lacks, its size on disk, and whether the set is complete enough to
serve. `models verify` and `models list` print this; the service's start reads it as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from framepack_engine.weights.layout import (
    COMPONENTS,
    TINY_MARKER,
    Component,
    Role,
    component_dir,
)
from framepack_engine.weights.locate import locate_component

Source = Literal["root", "cache", "missing"]

# Only forward (F1) videos need this transformer; without it everything else still runs, so a set
# that lacks it is complete (`models download --variant base` fetches such a set).
OPTIONAL_ROLES: frozenset[Role] = frozenset({"transformer_f1"})


@dataclass(frozen=True)
class ComponentReport:
    component: Component
    # Where it would load from; for a missing component, where it belongs in the root.
    directory: Path
    source: Source
    # Root-relative paths of what it lacks.
    missing: tuple[str, ...]
    size_bytes: int
    tiny: bool

    @property
    def optional(self) -> bool:
        return self.component.role in OPTIONAL_ROLES

    def to_json(self) -> dict[str, object]:
        return {
            "role": self.component.role,
            "class_name": self.component.class_name,
            "repo": self.component.repo_id,
            "subfolder": self.component.subfolder,
            "dir": str(self.directory),
            "source": self.source,
            "missing": list(self.missing),
            "bytes": self.size_bytes,
            "tiny": self.tiny,
            "optional": self.optional,
        }


@dataclass(frozen=True)
class ModelRootReport:
    root: Path
    # The root holds the tiny random-weight set (its marker file).
    tiny: bool
    components: tuple[ComponentReport, ...]

    @property
    def missing(self) -> list[str]:
        """What the required components lack; empty when the set can be served."""
        return [
            name for report in self.components if not report.optional for name in report.missing
        ]

    @property
    def optional_missing(self) -> list[str]:
        return [name for report in self.components if report.optional for name in report.missing]

    @property
    def complete(self) -> bool:
        return not self.missing

    def to_json(self) -> dict[str, object]:
        return {
            "root": str(self.root),
            "complete": self.complete,
            "tiny": self.tiny,
            "missing": self.missing,
            "optional_missing": self.optional_missing,
            "components": [report.to_json() for report in self.components],
        }


def inspect_model_root(root: Path) -> ModelRootReport:
    """Looks at the root (and the local Hugging Face cache) without loading or fetching anything."""
    tiny = (root / TINY_MARKER).is_file()
    return ModelRootReport(
        root=root,
        tiny=tiny,
        components=tuple(_inspect_component(root, component, tiny) for component in COMPONENTS),
    )


def _inspect_component(root: Path, component: Component, tiny_root: bool) -> ComponentReport:
    directory, missing = locate_component(root, component)
    source: Source
    if missing:
        source = "missing"
    elif directory == component_dir(root, component):
        source = "root"
    else:
        source = "cache"
    return ComponentReport(
        component=component,
        directory=directory,
        source=source,
        missing=tuple(missing),
        size_bytes=_directory_bytes(directory),
        tiny=tiny_root and source == "root",
    )


def _directory_bytes(directory: Path) -> int:
    """Size of the files directly in the directory (what a component loads; a repo-root
    component's directory also holds the download metadata folder, which is not counted).
    Symlinks (the cache's snapshot links) count as the files they point to."""
    if not directory.is_dir():
        return 0
    return sum(path.stat().st_size for path in directory.iterdir() if path.is_file())
