"""The protocol loop: requests on stdin, events on stdout, one plan at a time.

The main thread reads requests so that `status` and `cancel` are answered while a
plan runs on the worker thread; a heartbeat thread proves the process is alive.
Nothing a request contains can crash the loop: every failure becomes an `error` event.
"""

from __future__ import annotations

import errno
import gc
import json
import logging
import sys
import threading
import time
from typing import BinaryIO, TextIO, cast

import diffusers
import torch
import transformers

from framepack_engine import __version__
from framepack_engine.device import describe_device, memory_snapshot
from framepack_engine.lora import LoraError
from framepack_engine.plans import PLAN_KINDS, run_plan
from framepack_engine.plans.base import Cancelled, JobContext, PlanError, Yielded
from framepack_engine.protocol import PROTOCOL_VERSION, Message, is_job_id, validation_errors
from framepack_engine.protocol_types import EngineRequest, Plan
from framepack_engine.runtime import EngineRuntime
from framepack_engine.transformer_forward import attention_backend_order
from framepack_engine.weights.loader import ModelLoadError

log = logging.getLogger("framepack_engine.server")


class EventWriter:
    """Writes one validated event per line; shared by all threads."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def __call__(self, event: Message) -> None:
        problems = validation_errors(event, "event")
        if problems:
            # A bug on our side: report it as an error instead of sending a bad event.
            log.error("refusing to send an invalid %s event: %s", event.get("type"), problems)
            event = _error(event.get("job_id"), "internal_error", "; ".join(problems), False)
        line = json.dumps(event, separators=(",", ":"))
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()


def _disk_full_error(error: BaseException) -> OSError | None:
    """The ENOSPC error behind `error` (itself or what it was raised from), if any."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _disk_full_message(error: OSError) -> str:
    where = f" writing {error.filename}" if error.filename else ""
    return f"no space left on device{where}; free space in the outputs directory and retry"


def _error(job_id: object, code: str, message: str, retriable: bool) -> Message:
    return {
        "type": "error",
        "job_id": job_id if is_job_id(job_id) else None,
        "code": code,
        "message": message,
        "retriable": retriable,
    }


class EngineServer:
    def __init__(
        self, runtime: EngineRuntime, emit: EventWriter, heartbeat_interval_s: float
    ) -> None:
        self._runtime = runtime
        self._models = runtime.models
        self._emit = emit
        self._heartbeat_interval_s = heartbeat_interval_s
        self._started = time.monotonic()
        self._stopping = threading.Event()
        self._job_lock = threading.Lock()
        self._job: JobContext | None = None
        self._worker: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------

    def serve(self, requests: BinaryIO) -> None:
        self._emit(self._hello())
        heartbeat = threading.Thread(target=self._heartbeat_loop, name="heartbeat", daemon=True)
        heartbeat.start()
        while not self._stopping.is_set():
            raw = requests.readline()
            if not raw:
                log.info("stdin closed; shutting down")
                break
            if raw.strip():
                self._handle_line(raw)
        self._shutdown(heartbeat)

    def _shutdown(self, heartbeat: threading.Thread) -> None:
        """Stops the running plan and every thread, so the interpreter exits cleanly."""
        self._stopping.set()
        with self._job_lock:
            job, worker = self._job, self._worker
        if job is not None:
            job.cancel_requested.set()
        if worker is not None:
            worker.join()
        heartbeat.join()

    def _heartbeat_loop(self) -> None:
        while not self._stopping.wait(self._heartbeat_interval_s):
            state, job_id = self._state()
            self._emit(
                {"type": "heartbeat", "state": state, "job_id": job_id, "uptime_s": self._uptime()}
            )

    # -- requests ------------------------------------------------------------------

    def _handle_line(self, raw: bytes) -> None:
        try:
            message = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            self._emit(_error(None, "malformed_message", f"not valid JSON: {error}", False))
            return
        problems = validation_errors(message, "request")
        if problems:
            job_id = message.get("job_id") if isinstance(message, dict) else None
            text = "invalid request: " + "; ".join(problems)
            self._emit(_error(job_id, "malformed_message", text, False))
            return
        # The schema has accepted it: from here on the types say what the message holds.
        request = cast(EngineRequest, message)
        if request["type"] == "status":
            self._emit(self._status())
        elif request["type"] == "run":
            self._start_run(request["job_id"], request["plan"])
        elif request["type"] == "cancel":
            self._cancel(request["job_id"])
        elif request["type"] == "yield":
            self._yield(request["job_id"])
        elif request["type"] == "shutdown":
            self._stopping.set()

    def _start_run(self, job_id: str, plan: Plan) -> None:
        with self._job_lock:
            if self._job is not None:
                busy = f"engine is busy with job {self._job.job_id}"
                self._emit(_error(job_id, "engine_busy", busy, True))
                return
            job = JobContext(job_id=job_id, emit=self._emit)
            self._job = job
            self._worker = threading.Thread(
                target=self._run, args=(job, plan), name=f"job-{job_id}", daemon=True
            )
            self._worker.start()

    def _cancel(self, job_id: str) -> None:
        with self._job_lock:
            job = self._job
        if job is None or job.job_id != job_id:
            self._emit(_error(job_id, "unknown_job", f"job {job_id} is not running", False))
            return
        job.cancel_requested.set()

    def _yield(self, job_id: str) -> None:
        """Asks the running video to stop at its next section boundary; else nothing to do.

        Not an error when the job is not running: the request may cross the job's end.
        """
        with self._job_lock:
            job = self._job
        if job is not None and job.job_id == job_id:
            job.yield_requested.set()

    # -- plan execution --------------------------------------------------------------

    def _run(self, job: JobContext, plan: Plan) -> None:
        outcome = _error(job.job_id, "internal_error", "the plan ended without an outcome", False)
        try:
            outcome = self._execute(job, plan)
        finally:
            # Free the slot before reporting, so a client that answers the final event
            # at once with its next run never meets `engine_busy`; and always report.
            with self._job_lock:
                self._job = None
            self._emit(outcome)

    def _execute(self, job: JobContext, plan: Plan) -> Message:
        """Runs the plan and turns every way it can end into the one event that reports it."""
        try:
            with torch.inference_mode():
                outcome = run_plan(plan, job, self._runtime)
        except Cancelled:
            return {"type": "cancelled", "job_id": job.job_id}
        except Yielded as yielded:
            return {"type": "yielded", "job_id": job.job_id, "sections_done": yielded.sections_done}
        except PlanError as error:
            return _error(job.job_id, "invalid_plan", str(error), False)
        except LoraError as error:
            return _error(job.job_id, "invalid_plan", f"plan.loras: {error}", False)
        except ModelLoadError as error:
            return _error(job.job_id, "model_load_failed", str(error), False)
        except torch.OutOfMemoryError as error:
            _free_memory()
            return _error(job.job_id, "out_of_memory", f"out of memory: {error}", True)
        except Exception as error:
            disk_full = _disk_full_error(error)
            if disk_full is not None:
                # Not retriable: the next attempt would meet the same full disk.
                return _error(job.job_id, "disk_full", _disk_full_message(disk_full), False)
            log.exception("job %s failed", job.job_id)
            message = f"{type(error).__name__}: {error}"
            return _error(job.job_id, "internal_error", message, False)
        return {
            "type": "result",
            "job_id": job.job_id,
            "files": outcome.files,
            "metadata": outcome.metadata,
        }

    # -- reports -------------------------------------------------------------------

    def _state(self) -> tuple[str, str | None]:
        with self._job_lock:
            job = self._job
        return ("busy", job.job_id) if job is not None else ("idle", None)

    def _uptime(self) -> float:
        return round(time.monotonic() - self._started, 3)

    def _model_set(self) -> Message:
        return {
            "root": str(self._models.root),
            "tiny": self._models.is_tiny,
            "memory_mode": self._models.memory_mode,
            "attention_backends": attention_backend_order(),
            "gpu_memory_limit_gb": self._models.gpu_memory_limit_gb,
            "transformer_dtype": self._models.transformer_dtype,
        }

    def _hello(self) -> Message:
        return {
            "type": "hello",
            "protocol_version": PROTOCOL_VERSION,
            "engine_version": __version__,
            "versions": {
                "python": sys.version.split()[0],
                "torch": torch.__version__,
                "diffusers": diffusers.__version__,
                "transformers": transformers.__version__,
            },
            "device": describe_device(self._models.device),
            "capabilities": {"plan_kinds": sorted(PLAN_KINDS)},
            "memory": memory_snapshot(self._models.device),
            "model_set": self._model_set(),
        }

    def _status(self) -> Message:
        state, job_id = self._state()
        return {
            "type": "status",
            "state": state,
            "job_id": job_id,
            "uptime_s": self._uptime(),
            "loaded_models": self._models.loaded_models(),
            "memory": memory_snapshot(self._models.device),
            "model_set": self._model_set(),
        }


def _free_memory() -> None:
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
