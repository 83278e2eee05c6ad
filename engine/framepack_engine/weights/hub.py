"""Fetching the real model set (docs/framepack.md §2) from the Hugging Face Hub into a model root.

Each repo lands in ``<root>/<org>/<repo>`` (huggingface_hub's ``local_dir``), limited to the files
the layout loads: a model's config, its safetensors weights and their shard index; a tokenizer's or
processor's whole (small) folder. So the HunyuanVideo repo's own 25 GB transformer, for one, is
never fetched.

huggingface_hub reads HF_ENDPOINT (a mirror) and HF_TOKEN (gated or private repos) from the
environment itself and shows its own progress bars on stderr. Running again continues an
interrupted download: the weights (the repos' LFS files, nearly all the bytes) go through
``resumable``, which keeps a cut file's part between runs and asks only for the rest; the small
files go through ``snapshot_download``, which recognises finished files by the etag it records
beside them (one cut short simply starts again).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal, get_args

import httpx2
from huggingface_hub import HfApi, constants, get_token, snapshot_download
from huggingface_hub.errors import (
    GatedRepoError,
    HfHubHTTPError,
    LocalEntryNotFoundError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from framepack_engine.weights.layout import (
    COMPONENTS,
    INDEX_SUFFIX,
    WEIGHTS_PATTERN,
    Component,
    missing_files,
)
from framepack_engine.weights.resumable import (
    FetchError,
    as_ignore_patterns,
    fetch_lfs_file,
    lfs_files,
)

Variant = Literal["base", "f1", "all"]
VARIANTS: tuple[Variant, ...] = get_args(Variant)
_SKIPPED_ROLES = {"base": {"transformer_f1"}, "f1": {"transformer_base"}, "all": set()}


class DownloadError(Exception):
    """A download that could not finish; the message says why and what to do about it."""


def components_for(variant: Variant) -> tuple[Component, ...]:
    """The shared components plus the variant's transformer(s)."""
    return tuple(c for c in COMPONENTS if c.role not in _SKIPPED_ROLES[variant])


def allow_patterns(component: Component) -> list[str]:
    """The repo files (huggingface_hub's fnmatch patterns) that the component loads."""
    prefix = f"{component.subfolder}/" if component.subfolder else ""
    if not component.has_weights:
        return [f"{prefix}*"]
    return [f"{prefix}config.json", f"{prefix}{WEIGHTS_PATTERN}", f"{prefix}*{INDEX_SUFFIX}"]


def repo_patterns(components: Iterable[Component]) -> dict[str, list[str]]:
    """repo id -> allow patterns of its components, in layout order."""
    patterns: dict[str, list[str]] = {}
    for component in components:
        patterns.setdefault(component.repo_id, []).extend(allow_patterns(component))
    return patterns


def download_model_set(root: Path, variant: Variant) -> None:
    """Fetches what the variant needs into the root; DownloadError unless it is then whole."""
    if constants.is_offline_mode():
        raise DownloadError("HF_HUB_OFFLINE is set, which forbids downloads: unset it and retry")
    components = components_for(variant)
    api = HfApi()
    for repo_id, patterns in repo_patterns(components).items():
        print(f"{repo_id}: {', '.join(patterns)}", flush=True)
        remove_partial_files(root / repo_id)
        try:
            # Resolving the revision first turns auth and network failures into errors here;
            # snapshot_download would fall back to whatever the folder already holds.
            commit = api.model_info(repo_id).sha
            if commit is None:
                raise DownloadError(f"{constants.ENDPOINT} gave no commit for {repo_id}")
            weights = lfs_files(api, repo_id, commit, patterns)
            for file in weights:
                fetch_lfs_file(repo_id, commit, root / repo_id, file)
            snapshot_download(
                repo_id,
                revision=commit,
                local_dir=root / repo_id,
                allow_patterns=patterns,
                ignore_patterns=as_ignore_patterns(weights),
            )
        except FetchError as error:
            raise DownloadError(str(error)) from error
        except (HfHubHTTPError, httpx2.HTTPError, LocalEntryNotFoundError) as error:
            raise DownloadError(explain_hub_error(error, repo_id)) from error
        except OSError as error:
            raise DownloadError(f"could not write {root / repo_id}: {error}") from error
    missing = missing_files(root, components)
    if missing:
        raise DownloadError(
            f"the download ended with {len(missing)} file(s) still missing "
            f"({', '.join(missing[:5])}); run the command again to fetch them"
        )


def remove_partial_files(local_dir: Path) -> None:
    """Deletes what interrupted runs left half-written in huggingface_hub's download folder.

    huggingface_hub 2.x writes each file to a temporary name unique to its process and never
    resumes from one, so these only take disk space (``resumable`` keeps its parts elsewhere).
    """
    for partial in (local_dir / ".cache" / "huggingface" / "download").rglob("*.incomplete"):
        partial.unlink(missing_ok=True)


def explain_hub_error(error: Exception, repo_id: str) -> str:
    """One line for the user (never the token): what failed and what to do."""
    endpoint = constants.ENDPOINT
    # get_token() also finds a token saved by `hf auth login`; its value is never shown.
    token_hint = "a token is configured" if get_token() is not None else "set HF_TOKEN"
    if isinstance(error, GatedRepoError):
        return (
            f"{repo_id} is gated on {endpoint}: accept its terms on the Hub with your account, "
            f"then retry with a token of that account ({token_hint})"
        )
    if isinstance(error, RepositoryNotFoundError):
        return (
            f"{repo_id} was not found on {endpoint}, or it needs a token ({token_hint}); "
            "check HF_ENDPOINT if you use a mirror"
        )
    if isinstance(error, RevisionNotFoundError | RemoteEntryNotFoundError):
        return f"{endpoint} lacks a file or revision of {repo_id}: {_first_line(error)}"
    if isinstance(error, HfHubHTTPError):
        status = error.response.status_code
        if status in (401, 403):
            return f"{endpoint} refused access to {repo_id} (HTTP {status}): check HF_TOKEN"
        return f"{endpoint} answered HTTP {status} for {repo_id}: {_first_line(error)}; retry later"
    return (
        f"could not reach {endpoint} for {repo_id} ({type(error).__name__}: {_first_line(error)}); "
        "check the network (and HF_ENDPOINT), then run the command again to continue"
    )


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else "no details"
