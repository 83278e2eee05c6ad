"""The pipeline of each plan kind; the engine runs every kind of the protocol and says so."""

from typing import get_args

from framepack_engine.plans.base import JobContext, PlanOutcome
from framepack_engine.plans.one_frame import run_batch, run_image
from framepack_engine.plans.probe import run_probe
from framepack_engine.plans.transfer import run_transfer
from framepack_engine.plans.video import run_video
from framepack_engine.protocol_types import Plan, PlanKind
from framepack_engine.runtime import EngineRuntime

PLAN_KINDS: tuple[PlanKind, ...] = get_args(PlanKind)


def run_plan(plan: Plan, ctx: JobContext, runtime: EngineRuntime) -> PlanOutcome:
    """Runs a validated plan with the pipeline of its kind."""
    if plan["kind"] == "probe":
        return run_probe(plan, ctx, runtime)
    if plan["kind"] == "image":
        return run_image(plan, ctx, runtime)
    if plan["kind"] == "batch":
        return run_batch(plan, ctx, runtime)
    if plan["kind"] == "transfer":
        return run_transfer(plan, ctx, runtime)
    return run_video(plan, ctx, runtime)
