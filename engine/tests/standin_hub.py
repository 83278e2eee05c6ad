"""A stand-in for the Hugging Face Hub's file API on loopback, for download tests.

It serves a directory laid out like a model root (``<root>/<org>/<repo>/...``; the tiny set will
do) the way huggingface_hub 2.x downloads from the Hub:

- ``GET /api/models/{repo}[/revision/{rev}]``: model info with the commit (``sha``) and siblings;
- ``GET /api/models/{repo}/tree/{rev}[/{path}]``: the file listing (``recursive`` honoured);
- ``HEAD|GET /{repo}/resolve/{rev}/{path}``: the file, with ``X-Repo-Commit``, ``ETag`` (the git
  blob id), and for weights, which the Hub keeps in LFS, ``X-Linked-Etag`` (their sha256) and
  ``X-Linked-Size``; ``Content-Length``; single ``Range`` requests (206).

It sends no Xet headers, so clients download over plain HTTP. The revision is ``main`` or the
commit (a hash of the listing). With ``storage_link_uses`` set, weights are answered as the Hub
answers them, with a redirect to signed storage on another origin (``localhost`` instead of
``127.0.0.1``): ``GET /storage/{link}/...`` serves the file without a token, and each link is good
for that many requests, then answers 403 as an expired signed URL does. Optional: a token the
requests must carry (else 401 ``GatedRepo``), and faults that cut a file's responses at a byte
offset, by dropping the connection or by stalling until the hub closes. Every request is logged.
Files are found only in the listing made at start, never by joining a request path onto the root,
and dot-folders (download metadata) are skipped.

As a script (TypeScript tests start it, from the engine directory): ``python
tests/standin_hub.py --root DIR [--port 0]`` prints its URL as the first line on stdout and
serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

_CHUNK_BYTES = 64 * 1024
# Weights are LFS files on the Hub (its default .gitattributes).
_LFS_SUFFIXES = (".safetensors",)
_LFS_POINTER_BYTES = 134


@dataclass(frozen=True)
class HubFile:
    path: str  # relative to its repo, POSIX
    source: Path
    size: int
    git_oid: str
    lfs_sha256: str | None


@dataclass(frozen=True)
class HubRepo:
    repo_id: str
    commit: str
    files: dict[str, HubFile]


@dataclass
class Fault:
    """Cut responses for one file at byte `after_bytes` of the file, `times` times."""

    file: str  # root-relative: "<org>/<repo>/<path>"
    after_bytes: int
    times: int = 1
    # Drop the connection there, or keep it open without sending more until the hub closes.
    stall: bool = False
    # Set when a response has been cut (for a stall: when it starts to wait).
    triggered: threading.Event = field(default_factory=threading.Event, compare=False)


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    # The root-relative file a resolve request named; None for API calls.
    file: str | None
    range: str | None
    status: int
    bytes_sent: int
    # Whether the request carried an Authorization header (never its value).
    authorized: bool


def scan_repos(root: Path) -> dict[str, HubRepo]:
    """Every ``<org>/<repo>`` directory under the root, with its files' sizes and hashes."""
    repos: dict[str, HubRepo] = {}
    for repo_dir in sorted(root.glob("*/*")):
        if not repo_dir.is_dir() or any(part.startswith(".") for part in repo_dir.parts[-2:]):
            continue
        files = {
            path.relative_to(repo_dir).as_posix(): _hub_file(repo_dir, path)
            for path in sorted(repo_dir.rglob("*"))
            if path.is_file()
            and not any(p.startswith(".") for p in path.relative_to(repo_dir).parts)
        }
        listing = "".join(f"{name} {file.git_oid}\n" for name, file in files.items())
        repo_id = repo_dir.relative_to(root).as_posix()
        commit = hashlib.sha1(f"{repo_id}\n{listing}".encode()).hexdigest()
        repos[repo_id] = HubRepo(repo_id, commit, files)
    return repos


def _hub_file(repo_dir: Path, path: Path) -> HubFile:
    content = path.read_bytes()
    git_oid = hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()
    lfs = hashlib.sha256(content).hexdigest() if path.name.endswith(_LFS_SUFFIXES) else None
    return HubFile(path.relative_to(repo_dir).as_posix(), path, len(content), git_oid, lfs)


class StandinHub:
    """The hub on 127.0.0.1; use as a context manager, or start() and close()."""

    def __init__(
        self,
        root: Path,
        *,
        port: int = 0,
        token: str | None = None,
        faults: Iterable[Fault] = (),
        storage_link_uses: int | None = None,
        on_request: Callable[[RequestRecord], None] | None = None,
    ) -> None:
        self.repos = scan_repos(root)
        self.token = token
        self.faults = {fault.file: fault for fault in faults}
        self.storage_link_uses = storage_link_uses
        # Signed storage links: id -> [the repo, the file, requests left].
        self._links: dict[str, list[Any]] = {}
        self._on_request = on_request
        self._records: list[RequestRecord] = []
        self._lock = threading.Lock()
        self.closing = threading.Event()
        self._server = _HubServer(("127.0.0.1", port), _HubHandler, self)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> StandinHub:
        self._thread.start()
        return self

    def close(self) -> None:
        self.closing.set()  # releases stalled responses
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> StandinHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def requests(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def downloads(self) -> list[RequestRecord]:
        """The GET requests for files, in order."""
        return [r for r in self.requests if r.method == "GET" and r.file is not None]

    def bytes_served(self, file: str | None = None) -> int:
        """Body bytes sent for one root-relative file, or for all files."""
        return sum(r.bytes_sent for r in self.downloads() if file is None or r.file == file)

    def record(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)
        if self._on_request is not None:
            self._on_request(record)

    def sign(self, repo: HubRepo, file: HubFile) -> str:
        """A new storage URL for the file, on another origin than the hub's."""
        assert self.storage_link_uses is not None
        port = self._server.server_address[1]
        with self._lock:
            link = f"link{len(self._links)}"
            self._links[link] = [repo, file, self.storage_link_uses]
        return f"http://localhost:{port}/storage/{link}/{repo.repo_id}/{file.path}"

    def use_link(self, link: str) -> tuple[HubRepo, HubFile, bool] | None:
        """The link's file and whether the link is still good (counting this use)."""
        with self._lock:
            entry = self._links.get(link)
            if entry is None:
                return None
            entry[2] -= 1
            return entry[0], entry[1], entry[2] >= 0

    def take_fault(self, file: str, start: int) -> Fault | None:
        """The fault that cuts this response (counted as used), if one applies."""
        with self._lock:
            fault = self.faults.get(file)
            if fault is None or fault.times <= 0 or start >= fault.after_bytes:
                return None
            fault.times -= 1
        fault.triggered.set()
        return fault


class _HubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], handler: type[_HubHandler], hub: StandinHub
    ) -> None:
        super().__init__(address, handler)
        self.hub = hub


class _NotFound(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class _HubHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the Hub
    server: _HubServer

    def do_HEAD(self) -> None:
        self._handle(send_body=False)

    def do_GET(self) -> None:
        self._handle(send_body=True)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the request log is the record

    def _handle(self, send_body: bool) -> None:
        hub = self.server.hub
        url = urlsplit(self.path)
        segments = [unquote(segment) for segment in url.path.strip("/").split("/")]
        self._file: str | None = None
        self._status = 500
        self._sent = 0
        try:
            if segments[0] == "storage" and len(segments) >= 2:
                self._storage(segments[1], send_body)  # signed: no token asked
            elif (
                hub.token is not None and self.headers.get("Authorization") != f"Bearer {hub.token}"
            ):
                self._send_error(401, "GatedRepo", "Access to this model is restricted")
            elif segments[:2] == ["api", "models"] and len(segments) >= 4:
                self._api(segments[2:], parse_qs(url.query))
            elif len(segments) >= 5 and segments[2] == "resolve":
                repo = self._repo("/".join(segments[:2]), segments[3])
                self._resolve(repo, "/".join(segments[4:]), send_body)
            else:
                self._send_error(404, None, "Not found")
        except _NotFound as error:
            self._send_error(404, error.code, str(error))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away mid-response
        finally:
            hub.record(
                RequestRecord(
                    method=self.command,
                    path=url.path,
                    file=self._file,
                    range=self.headers.get("Range"),
                    status=self._status,
                    bytes_sent=self._sent,
                    authorized="Authorization" in self.headers,
                )
            )

    def _repo(self, repo_id: str, revision: str) -> HubRepo:
        repo = self.server.hub.repos.get(repo_id)
        if repo is None:
            raise _NotFound("RepoNotFound", f"Repository {repo_id} not found")
        if revision not in ("main", repo.commit):
            raise _NotFound("RevisionNotFound", f"Invalid rev id: {revision}")
        return repo

    def _api(self, segments: list[str], query: dict[str, list[str]]) -> None:
        repo_id, rest = "/".join(segments[:2]), segments[2:]
        if not rest or rest[0] == "revision":
            repo = self._repo(repo_id, rest[1] if len(rest) > 1 else "main")
            self._send_json(_model_info(repo))
        elif rest[0] == "tree" and len(rest) >= 2:
            repo = self._repo(repo_id, rest[1])
            recursive = query.get("recursive", ["false"])[0].lower() == "true"
            self._send_json(_tree(repo, "/".join(rest[2:]), recursive))
        else:
            self._send_error(404, None, "Not found")

    def _resolve(self, repo: HubRepo, path: str, send_body: bool) -> None:
        file = repo.files.get(path)
        if file is None:
            raise _NotFound("EntryNotFound", f"{path} does not exist in {repo.repo_id}")
        self._file = f"{repo.repo_id}/{path}"
        hub = self.server.hub
        if hub.storage_link_uses is not None and file.lfs_sha256 is not None:
            self._status = 302
            etag = f'"{file.lfs_sha256}"'
            self._send_headers(
                {
                    "Location": hub.sign(repo, file),
                    "Content-Length": "0",
                    "ETag": etag,
                    "X-Repo-Commit": repo.commit,
                    "X-Linked-Etag": etag,
                    "X-Linked-Size": str(file.size),
                }
            )
            return
        self._serve(repo, file, send_body)

    def _storage(self, link: str, send_body: bool) -> None:
        found = self.server.hub.use_link(link)
        if found is None:
            raise _NotFound("NoSuchKey", "The specified key does not exist")
        repo, file, valid = found
        self._file = f"{repo.repo_id}/{file.path}"
        if valid:
            self._serve(repo, file, send_body)
        else:
            self._send_error(403, None, "Request has expired")

    def _serve(self, repo: HubRepo, file: HubFile, send_body: bool) -> None:
        span = _byte_range(self.headers.get("Range"), file.size)
        if span is None:
            self._status = 416
            self._send_headers({"Content-Range": f"bytes */{file.size}", "Content-Length": "0"})
            return
        start, end = span  # inclusive end
        etag = f'"{file.lfs_sha256 or file.git_oid}"'
        headers = {
            "Content-Type": "application/octet-stream",
            "Content-Length": str(end + 1 - start),
            "Accept-Ranges": "bytes",
            "ETag": etag,
            "X-Repo-Commit": repo.commit,
        }
        if file.lfs_sha256 is not None:
            headers |= {"X-Linked-Etag": etag, "X-Linked-Size": str(file.size)}
        partial = self.headers.get("Range") is not None
        if partial:
            headers["Content-Range"] = f"bytes {start}-{end}/{file.size}"
        self._status = 206 if partial else 200
        self._send_headers(headers)
        if send_body:
            self._send_file(file, start, end + 1)

    def _send_file(self, file: HubFile, start: int, stop: int) -> None:
        assert self._file is not None
        fault = self.server.hub.take_fault(self._file, start)
        cut = min(stop, fault.after_bytes) if fault is not None else stop
        with file.source.open("rb") as source:
            source.seek(start)
            while self._sent < cut - start:
                chunk = source.read(min(_CHUNK_BYTES, cut - start - self._sent))
                self.wfile.write(chunk)
                self._sent += len(chunk)
        if fault is None:
            return
        self.wfile.flush()
        if fault.stall:
            self.server.hub.closing.wait()
        # Fewer bytes than Content-Length, then the end: the client sees a broken transfer.
        self.close_connection = True
        with contextlib.suppress(OSError):  # the client may have gone already
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send_json(self, body: object) -> None:
        data = json.dumps(body).encode()
        self._status = 200
        self._send_headers({"Content-Type": "application/json", "Content-Length": str(len(data))})
        self.wfile.write(data)

    def _send_error(self, status: int, code: str | None, message: str) -> None:
        data = json.dumps({"error": message}).encode()
        headers = {"Content-Type": "application/json", "Content-Length": str(len(data))}
        if code is not None:
            headers |= {"X-Error-Code": code, "X-Error-Message": message}
        self._status = status
        self._send_headers(headers)
        if self.command != "HEAD":
            self.wfile.write(data)

    def _send_headers(self, headers: dict[str, str]) -> None:
        self.send_response(self._status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()


def _byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, inclusive end) of a ``bytes=START-[END]`` request, the whole file without one;
    None when it cannot be satisfied."""
    if header is None:
        return 0, size - 1
    unit, _, spec = header.partition("=")
    first, _, last = spec.partition("-")
    if unit.strip() != "bytes" or not first.strip().isdigit():
        return None
    start = int(first)
    end = int(last) if last.strip().isdigit() else size - 1
    if start >= size or end < start:
        return None
    return start, min(end, size - 1)


def _model_info(repo: HubRepo) -> dict[str, object]:
    return {
        "_id": repo.commit[:24],
        "id": repo.repo_id,
        "modelId": repo.repo_id,
        "author": repo.repo_id.split("/")[0],
        "sha": repo.commit,
        "lastModified": "2025-05-03T00:00:00.000Z",
        "private": False,
        "gated": False,
        "disabled": False,
        "downloads": 0,
        "likes": 0,
        "tags": [],
        "siblings": [{"rfilename": name} for name in repo.files],
    }


def _tree(repo: HubRepo, folder: str, recursive: bool) -> list[dict[str, object]]:
    """The Hub's tree entries under a folder: files, and the folders on the way."""
    prefix = f"{folder}/" if folder else ""
    entries: dict[str, dict[str, object]] = {}
    for name, file in repo.files.items():
        if not name.startswith(prefix):
            continue
        parts = name[len(prefix) :].split("/")
        for depth in range(1, len(parts) if recursive else min(len(parts), 2)):
            directory = prefix + "/".join(parts[:depth])
            oid = hashlib.sha1(directory.encode()).hexdigest()
            entries.setdefault(directory, {"type": "directory", "oid": oid, "size": 0})
        if recursive or len(parts) == 1:
            entries[name] = _tree_file(file)
    return [{**entry, "path": path} for path, entry in sorted(entries.items())]


def _tree_file(file: HubFile) -> dict[str, object]:
    entry: dict[str, object] = {"type": "file", "oid": file.git_oid, "size": file.size}
    if file.lfs_sha256 is not None:
        entry["lfs"] = {
            "oid": file.lfs_sha256,
            "size": file.size,
            "pointerSize": _LFS_POINTER_BYTES,
        }
    return entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tests/standin_hub.py", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--root", required=True, type=Path, help="directory laid out like a model root"
    )
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free)")
    parser.add_argument("--token", help="require Authorization: Bearer TOKEN (else 401 GatedRepo)")
    parser.add_argument("--drop-file", help="root-relative file whose response is cut")
    parser.add_argument("--drop-after", type=int, default=0, help="byte offset of the cut")
    parser.add_argument("--drop-times", type=int, default=1, help="how many responses are cut")
    parser.add_argument(
        "--log-requests", action="store_true", help="print each request as a JSON line on stdout"
    )
    args = parser.parse_args(argv)

    faults = [Fault(args.drop_file, args.drop_after, args.drop_times)] if args.drop_file else []

    def log(record: RequestRecord) -> None:
        print(json.dumps(asdict(record)), flush=True)

    # Blocked before any thread starts, so only sigwait below receives them.
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    hub = StandinHub(
        args.root,
        port=args.port,
        token=args.token,
        faults=faults,
        on_request=log if args.log_requests else None,
    )
    with hub:
        print(hub.url, flush=True)
        signal.sigwait(stop_signals)
    return 0


if __name__ == "__main__":
    sys.exit(main())
