"""The engine side of the stdio protocol: schema validation of requests and events.

The schema lives in `protocol/schema.json` at the repository root and is shared with
the TypeScript control plane; both sides are tested against `protocol/examples/`. The types
of what it accepts are generated from it into `protocol_types.py`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Literal

from jsonschema import Draft202012Validator, ValidationError

PROTOCOL_VERSION = 1
PROTOCOL_DIR = Path(__file__).resolve().parents[2] / "protocol"
SCHEMA_PATH = PROTOCOL_DIR / "schema.json"

Direction = Literal["request", "event"]
Message = dict[str, Any]

# The `type` field selects the definition, so errors name the right message.
_DEFINITIONS: dict[Direction, dict[str, str]] = {
    "request": {
        "status": "StatusRequest",
        "run": "RunRequest",
        "cancel": "CancelRequest",
        "yield": "YieldRequest",
        "shutdown": "ShutdownRequest",
    },
    "event": {
        "hello": "HelloEvent",
        "status": "StatusEvent",
        "heartbeat": "HeartbeatEvent",
        "progress": "ProgressEvent",
        "result": "ResultEvent",
        "error": "ErrorEvent",
        "cancelled": "CancelledEvent",
        "item_result": "ItemResultEvent",
        "checkpoint": "CheckpointEvent",
        "yielded": "YieldedEvent",
    },
}


@cache
def _schema() -> dict[str, Any]:
    with SCHEMA_PATH.open(encoding="utf-8") as f:
        schema: dict[str, Any] = json.load(f)
    return schema


@cache
def _validator(definition: str) -> Draft202012Validator:
    schema = {**_schema(), "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(schema)


def validation_errors(message: object, direction: Direction) -> list[str]:
    """Returns one readable line per problem; an empty list means the message is valid."""
    if not isinstance(message, dict):
        return ["a message must be a JSON object"]
    kind = message.get("type")
    definitions = _DEFINITIONS[direction]
    if kind not in definitions:
        known = ", ".join(sorted(definitions))
        return [f"unknown {direction} type {kind!r}; expected one of: {known}"]
    errors = _validator(definitions[kind]).iter_errors(message)
    leaves = [leaf for error in errors for leaf in _leaf_errors(error)]
    return [_describe(error) for error in sorted(leaves, key=lambda e: list(e.path))]


def _leaf_errors(error: ValidationError) -> list[ValidationError]:
    """For a failed oneOf (plan kinds), the errors of the branch that came closest."""
    if not error.context:
        return [error]
    branches: dict[object, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    closest = min(branches.values(), key=len)
    return [leaf for sub in closest for leaf in _leaf_errors(sub)]


def _describe(error: ValidationError) -> str:
    path = error.json_path
    return error.message if path == "$" else f"{path.removeprefix('$.')}: {error.message}"


def is_job_id(value: object) -> bool:
    """Whether a value may be echoed back as a job id (errors for malformed lines use null)."""
    return _validator("JobId").is_valid(value)
