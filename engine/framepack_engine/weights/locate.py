"""Where a component's files are: the model root first, then the local Hugging Face cache.

Users who ran FramePack or ComfyUI before often have the weights in the Hugging Face
cache already (HF_HOME / HF_HUB_CACHE). Lookups there never touch the network.
"""

from __future__ import annotations

from pathlib import Path

from huggingface_hub import snapshot_download
from huggingface_hub.errors import LocalEntryNotFoundError

from framepack_engine.weights.layout import (
    Component,
    component_dir,
    component_relative_dir,
    missing_in_directory,
)


def locate_component(root: Path, component: Component) -> tuple[Path, list[str]]:
    """(directory, missing): a complete copy in the root, else in the cache; else the root's
    directory and the root-relative paths it lacks."""
    in_root = component_dir(root, component)
    missing = missing_in_directory(in_root, component)
    if not missing:
        return in_root, []
    cached = cached_component_dir(component)
    if cached is not None and not missing_in_directory(cached, component):
        return cached, []
    relative = component_relative_dir(component)
    return in_root, [(relative / name).as_posix() for name in missing]


def cached_component_dir(component: Component) -> Path | None:
    """The component's directory in the cached snapshot of its repository, if there is one."""
    try:
        snapshot = Path(snapshot_download(component.repo_id, local_files_only=True))
    except (LocalEntryNotFoundError, OSError, ValueError):
        return None
    return snapshot / component.subfolder if component.subfolder else snapshot
