"""Fetching a repo's large (LFS) files so that an interrupted run continues inside a file.

huggingface_hub 2.x downloads each file to a temporary name unique to its process, so a shard cut
short by Ctrl-C, a reboot or a lost connection starts over on the next run: for a 10 GB shard on a
slow line that is hours lost. Here each LFS file streams into
``<local_dir>/.cache/framepack/<path>.<sha256 prefix>.part``, a name that outlives the process, and
the next run asks only for the rest (an HTTP Range request). A finished file must match the sha256
the Hub lists for it before it takes its place; a ``.sha256`` marker beside the part records the
check, so later runs skip the file without reading it again.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from urllib.parse import urlsplit

from filelock import FileLock, Timeout
from huggingface_hub import HfApi, get_hf_file_metadata, get_token, hf_hub_url
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.file_download import http_get
from huggingface_hub.hf_api import RepoFile

_HASH_BLOCK_BYTES = 8 * 1024 * 1024
# Storage links asked for per file: the first, and fresh ones after expiries.
_LINK_ATTEMPTS = 3


class FetchError(Exception):
    """A file that could not be fetched whole; the message says why and what to do."""


@dataclass(frozen=True)
class LfsFile:
    path: str  # relative to the repo, POSIX
    size: int
    sha256: str


def lfs_files(api: HfApi, repo_id: str, commit: str, patterns: list[str]) -> list[LfsFile]:
    """The repo's LFS files at the commit that match the allow patterns, in listing order."""
    return [
        LfsFile(entry.path, entry.lfs.size, entry.lfs.sha256)
        for entry in api.list_repo_tree(repo_id, revision=commit, recursive=True)
        if isinstance(entry, RepoFile)
        and entry.lfs is not None
        and any(fnmatch(entry.path, pattern) for pattern in patterns)
    ]


def as_ignore_patterns(files: list[LfsFile]) -> list[str]:
    """fnmatch patterns that match exactly these files (for snapshot_download's ignore list)."""
    return [glob.escape(file.path) for file in files]


def fetch_lfs_file(repo_id: str, commit: str, local_dir: Path, file: LfsFile) -> None:
    """Puts the file at ``local_dir/<path>``, continuing a part left by an earlier run."""
    destination = local_dir / file.path
    state = local_dir / ".cache" / "framepack" / file.path
    # Named by content: a part of an older version of the file is never continued.
    part = state.with_name(f"{state.name}.{file.sha256[:16]}.part")
    checked = state.with_name(f"{state.name}.sha256")
    if _is_in_place(destination, checked, file):
        return
    part.parent.mkdir(parents=True, exist_ok=True)
    for stale in part.parent.glob(f"{glob.escape(state.name)}.*.part"):
        if stale != part:
            stale.unlink()
    try:
        with FileLock(state.with_name(f"{state.name}.lock"), timeout=0):
            _download_part(repo_id, commit, part, file)
            _put_in_place(part, destination, checked, file, f"{repo_id}/{file.path}")
    except Timeout:
        raise FetchError(
            f"another download is writing {repo_id}/{file.path}: let it finish, or stop it"
        ) from None


def _put_in_place(part: Path, destination: Path, checked: Path, file: LfsFile, name: str) -> None:
    """Moves a whole part to its destination once its hash is the Hub's, and marks it checked."""
    if _sha256_of(part) != file.sha256:
        part.unlink()
        raise FetchError(
            f"{name} arrived damaged (its sha256 differs from the Hub's); "
            "the partial file was removed: run the command again"
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    os.replace(part, destination)
    checked.write_text(file.sha256)


def _is_in_place(destination: Path, checked: Path, file: LfsFile) -> bool:
    """Whether the destination holds the file: marked as checked, or found whole by its hash."""
    if not destination.is_file() or destination.stat().st_size != file.size:
        return False
    if checked.is_file() and checked.read_text() == file.sha256:
        return True
    # A file from before the markers (or another tool): one read settles it.
    if _sha256_of(destination) != file.sha256:
        return False
    checked.parent.mkdir(parents=True, exist_ok=True)
    checked.write_text(file.sha256)
    return True


def _download_part(repo_id: str, commit: str, part: Path, file: LfsFile) -> None:
    """Appends what the part lacks, asking the Hub for a fresh storage link when one expires."""
    url = hf_hub_url(repo_id, file.path, revision=commit)
    for attempt in range(1, _LINK_ATTEMPTS + 1):
        # The Hub answers a weights file with a redirect to signed storage; the metadata call
        # follows redirects on the Hub only and reports that final location.
        location = get_hf_file_metadata(url, retry_on_errors=True).location
        on_hub = _origin(location) == _origin(url)
        try:
            _append_from(location, on_hub, part, file, f"{repo_id}/{file.path}")
            return
        except HfHubHTTPError as error:
            # A signed link lives about an hour: a slow shard outlives it.
            expired = not on_hub and error.response.status_code in (401, 403)
            if not expired or attempt == _LINK_ATTEMPTS:
                raise


def _append_from(location: str, on_hub: bool, part: Path, file: LfsFile, name: str) -> None:
    """Appends what the part lacks; huggingface_hub's http_get sends the Range and retries."""
    token = get_token()
    # Signed storage URLs need no token, and a token must not leave the Hub.
    headers = {"authorization": f"Bearer {token}"} if token and on_hub else {}
    with part.open("ab") as sink:
        if sink.tell() > file.size:  # damaged beyond repair: start over
            sink.seek(0)
            sink.truncate()
        have = sink.tell()
        _require_free_space(part.parent, file.size - have, name)
        try:
            http_get(
                location,
                sink,
                resume_size=have,
                headers=headers,
                expected_size=file.size,
                displayed_filename=file.path,
            )
        except OSError as error:
            # The disk's errors and the server's answers (HfHubHTTPError is an OSError too)
            # go on as they are; what is left is http_get's size check.
            if error.errno is not None or isinstance(error, HfHubHTTPError):
                raise
            raise FetchError(
                f"the transfer of {name} ended early "
                f"({sink.tell():,} of {file.size:,} bytes): run the command again to continue"
            ) from error


def _require_free_space(folder: Path, needed: int, name: str) -> None:
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise FetchError(
            f"{name} needs {needed / 1e9:.1f} GB more but {folder} has {free / 1e9:.1f} GB free"
        )


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(_HASH_BLOCK_BYTES):
            digest.update(block)
    return digest.hexdigest()
