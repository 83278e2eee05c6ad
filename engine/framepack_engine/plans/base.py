"""What every plan runner shares: the job context it reports through, and its outcomes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from framepack_engine.protocol import Message
from framepack_engine.protocol_types import OutputFile

Phase = Literal["loading", "encoding", "sampling", "decoding", "saving"]


class Cancelled(Exception):
    """Raised inside a plan when its job was cancelled; the server answers `cancelled`."""


class Yielded(Exception):
    """Raised by a video at a section boundary when the service asked it to yield."""

    def __init__(self, job_id: str, sections_done: int) -> None:
        super().__init__(f"{job_id} yielded after {sections_done} sections")
        self.job_id = job_id
        self.sections_done = sections_done


class PlanError(Exception):
    """The plan cannot run as specified (answered as `invalid_plan`, naming the field)."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")
        self.field_name = field_name


@dataclass
class JobContext:
    """Handed to a plan runner: reports progress and carries the cancel and yield flags."""

    job_id: str
    emit: Callable[[Message], None]
    cancel_requested: threading.Event = field(default_factory=threading.Event)
    # Honoured only by videos, at a section boundary after its checkpoint is written.
    yield_requested: threading.Event = field(default_factory=threading.Event)

    def check_cancelled(self) -> None:
        if self.cancel_requested.is_set():
            raise Cancelled(self.job_id)

    def progress(
        self, phase: Phase, step: int, total: int, info: str, preview: str | None = None
    ) -> None:
        """Reports progress, and is the point where a cancel takes effect."""
        self.check_cancelled()
        event: Message = {
            "type": "progress",
            "job_id": self.job_id,
            "phase": phase,
            "step": step,
            "total": total,
            "info": info,
        }
        if preview is not None:
            event["preview"] = preview
        self.emit(event)


@dataclass(frozen=True)
class PlanOutcome:
    files: list[OutputFile]
    metadata: dict[str, Any]
