"""Plan runners by plan kind; the kinds here are the engine's advertised capabilities."""

from framepack_engine.plans.base import PlanRunner
from framepack_engine.plans.probe import run_probe

PLAN_RUNNERS: dict[str, PlanRunner] = {"probe": run_probe}
