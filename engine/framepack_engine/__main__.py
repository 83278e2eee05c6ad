"""Command line: `python -m framepack_engine serve|tiny-models|models`."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from framepack_engine.memory import (
    DEFAULT_GPU_MEMORY_PRESERVATION_GB,
    DEFAULT_MEMORY_MODE,
    DEFAULT_TRANSFORMER_DTYPE,
    HIGH_MODE_MIN_FREE_GB,
    MEMORY_MODES,
    TRANSFORMER_DTYPES,
)
from framepack_engine.weights.cli import add_models_command


def _serve(args: argparse.Namespace) -> int:
    # Events own the real stdout; anything else that prints (libraries, stray
    # print calls) lands on stderr, so the event stream can never be corrupted.
    events = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr

    from framepack_engine.device import choose_device
    from framepack_engine.runtime import EngineRuntime
    from framepack_engine.server import EngineServer, EventWriter
    from framepack_engine.weights.loader import ModelSet

    device = choose_device(args.device)
    models = ModelSet(
        Path(args.model_root),
        device,
        memory_mode=args.memory_mode,
        gpu_memory_preservation_gb=args.gpu_memory_preservation,
        gpu_memory_limit_gb=args.gpu_memory_gb,
        transformer_dtype=args.transformer_dtype,
    )
    logging.getLogger(__name__).info("serving model set %s on %s", args.model_root, device)
    runtime = EngineRuntime(models)
    EngineServer(runtime, EventWriter(events), args.heartbeat_interval).serve(sys.stdin.buffer)
    # Every thread of ours has stopped and every event is flushed. Skipping the
    # interpreter's teardown avoids native libraries' exit-time destructors, which
    # aborted (SIGABRT) about one clean shutdown in five here.
    events.flush()
    sys.stderr.flush()
    os._exit(0)


def _tiny_models(args: argparse.Namespace) -> int:
    from framepack_engine.weights.layout import TINY_MARKER, missing_files
    from framepack_engine.weights.tiny import write_tiny_model_set

    root = Path(args.out)
    if root.exists():
        if not missing_files(root) and not args.force:
            print(f"tiny model set already complete at {root}", file=sys.stderr)
            return 0
        if not (root / TINY_MARKER).exists():
            print(
                f"error: {root} exists and is not a tiny model set; not touching it",
                file=sys.stderr,
            )
            return 2
        shutil.rmtree(root)
    started = time.monotonic()
    write_tiny_model_set(root, seed=args.seed)
    print(f"wrote tiny model set to {root} in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="framepack_engine", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="speak the engine protocol on stdin/stdout")
    serve.add_argument("--model-root", required=True, help="directory with the model set")
    serve.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    serve.add_argument(
        "--heartbeat-interval", type=float, default=5.0, help="seconds between heartbeats"
    )
    serve.add_argument(
        "--memory-mode",
        choices=MEMORY_MODES,
        default=DEFAULT_MEMORY_MODE,
        help="high: all resident; low: components on the GPU only for their phase, "
        f"transformer blocks streamed; auto: high when more than {HIGH_MODE_MIN_FREE_GB:g} GB "
        "are free",
    )
    serve.add_argument(
        "--gpu-memory-preservation",
        type=float,
        default=DEFAULT_GPU_MEMORY_PRESERVATION_GB,
        help="GB of GPU memory the low mode keeps free",
    )
    serve.add_argument(
        "--gpu-memory-gb",
        type=float,
        default=None,
        help="GB of GPU memory this engine may use (default: the whole card): the memory modes "
        "plan for it as if the card had that much free, and on CUDA the allocator is capped "
        "at it; for a shared card, or to try a smaller card's settings",
    )
    serve.add_argument(
        "--transformer-dtype",
        choices=TRANSFORMER_DTYPES,
        default=DEFAULT_TRANSFORMER_DTYPE,
        help="bf16: the transformers in the runtime dtype (bf16 on CUDA, float32 on the CPU); "
        "fp8: their blocks' linear weights in float8 e4m3 with block-wise scales, dequantised "
        "per layer (about half the transformer's memory; for 8-16 GB cards)",
    )
    serve.set_defaults(handler=_serve)

    tiny = commands.add_parser(
        "tiny-models", help="write the tiny random-weight model set used by tests and demos"
    )
    tiny.add_argument("--out", required=True, help="model root to write")
    tiny.add_argument("--seed", type=int, default=0)
    tiny.add_argument(
        "--force", action="store_true", help="rewrite a tiny set even if it is complete"
    )
    tiny.set_defaults(handler=_tiny_models)

    add_models_command(commands)

    args = parser.parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=os.environ.get("FRAMEPACK_ENGINE_LOG_LEVEL", "INFO"),
        format="%(levelname)s %(name)s: %(message)s",
    )
    handler = args.handler
    return int(handler(args))


if __name__ == "__main__":
    sys.exit(main())
