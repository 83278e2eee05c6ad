"""`python -m framepack_engine models download|verify|list`: fetch, check and show a model root.

The package's `framepack models ...` command passes its arguments through, with --model-root set
to the root the service uses, so what these print is what a user reads. None of them import
torch: they run in a second or two.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from framepack_engine.weights.inventory import ModelRootReport

# What the user runs to fetch the real weights (the package's CLI, which calls `download`).
DOWNLOAD_COMMAND = "npx framepack models download"


def add_models_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    models = commands.add_parser("models", help="download, verify or list the model set")
    actions = models.add_subparsers(dest="models_command", required=True)

    download = actions.add_parser(
        "download", help="fetch the real model set from the Hugging Face Hub (resumable)"
    )
    _add_model_root(download)
    download.add_argument(
        "--variant",
        choices=["base", "f1", "all"],
        default="all",
        help="transformer(s) to fetch with the shared encoders and VAE: base (images and "
        "inverted videos), f1 (forward videos) or all (default)",
    )
    download.set_defaults(handler=_download)

    verify = actions.add_parser(
        "verify", help="check that the model root is complete; exit 1 and name what is missing"
    )
    _add_model_root(verify)
    _add_json(verify)
    verify.set_defaults(handler=_verify)

    listing = actions.add_parser("list", help="show what the service would load, from where")
    _add_model_root(listing)
    _add_json(listing)
    listing.set_defaults(handler=_list)


def _add_model_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model-root", required=True, type=Path, help="the model root")


def _add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object")


_INTERRUPTED = "\ninterrupted: run the same command again to continue the download"


def _download(args: argparse.Namespace) -> int:
    from framepack_engine.weights.hub import DownloadError, download_model_set

    # One INFO line per HTTP request would bury the progress bars.
    logging.getLogger("httpx2").setLevel(logging.WARNING)
    signal.signal(signal.SIGINT, _raise_stopped)
    signal.signal(signal.SIGTERM, _raise_stopped)
    root: Path = args.model_root.resolve()
    try:
        download_model_set(root, args.variant)
    except DownloadError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except _Stopped as stop:
        # The weights' part file is closed (flushed) by now. huggingface_hub's threads for the
        # small files would finish them before the process may exit: leave without waiting.
        print(_INTERRUPTED, file=sys.stderr)
        os._exit(128 + stop.signum)
    print(f"The model set ({args.variant}) is complete in {root}.")
    return 0


class _Stopped(BaseException):
    """Ctrl-C or SIGTERM during a download; a BaseException so no `except Exception` eats it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum: int, frame: object) -> None:
    # The first signal unwinds (closing the part file being written); huggingface_hub's
    # thread pool may still wait for a small file on the way out, so a second one (which the
    # npm CLI, passing on a terminal's Ctrl-C, sends at once) leaves without waiting. The part
    # file gets its 10 MiB chunks written whole, so it is a prefix of the file either way.
    signal.signal(signal.SIGINT, _leave_now)
    signal.signal(signal.SIGTERM, _leave_now)
    raise _Stopped(signum)


def _leave_now(signum: int, frame: object) -> None:
    print(_INTERRUPTED, file=sys.stderr, flush=True)
    os._exit(128 + signum)


def _verify(args: argparse.Namespace) -> int:
    report = _inspect(args.model_root)
    if args.json:
        print(json.dumps(report.to_json()))
        return 0 if report.complete else 1
    kind = "the TINY random-weight demo set" if report.tiny else "real weights"
    if report.complete:
        print(f"complete: {report.root} ({kind})")
    else:
        print(f"incomplete: {report.root} lacks {len(report.missing)} file(s):")
        for name in report.missing:
            print(f"  {name}")
    if report.optional_missing:
        print(
            "optional: no F1 transformer, so forward (F1) videos cannot run: "
            + ", ".join(report.optional_missing)
        )
    if report.missing or report.optional_missing:
        print(f"Fetch the real weights with: {DOWNLOAD_COMMAND}")
    return 0 if report.complete else 1


def _list(args: argparse.Namespace) -> int:
    report = _inspect(args.model_root)
    if args.json:
        print(json.dumps(report.to_json()))
        return 0
    state = "complete" if report.complete else "incomplete"
    kind = "TINY random-weight demo set" if report.tiny else "real weights"
    print(f"model root {report.root}: {state}, {kind}")
    rows = [("ROLE", "REPO", "FROM", "SIZE", "WEIGHTS", "DIRECTORY")]
    for component in report.components:
        weights = "-" if component.source == "missing" else "tiny" if component.tiny else "real"
        rows.append(
            (
                component.component.role,
                component.component.repo_id,
                component.source,
                format_bytes(component.size_bytes),
                weights,
                str(component.directory),
            )
        )
    # Every column but the last (the directory) padded to its widest cell.
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    for row in rows:
        padded = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        print("  ".join([*padded, row[-1]]))
    return 0


def _inspect(model_root: Path) -> ModelRootReport:
    from framepack_engine.weights.inventory import inspect_model_root

    return inspect_model_root(model_root.resolve())


def format_bytes(size: int) -> str:
    """Decimal units, as the Hub shows file sizes."""
    if size < 1000:
        return f"{size} B"
    value = size / 1000
    for unit in ("KB", "MB"):
        if value < 1000:
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"
