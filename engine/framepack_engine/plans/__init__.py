"""Plan runners by plan kind; the kinds here are the engine's advertised capabilities."""

from framepack_engine.plans.base import PlanRunner
from framepack_engine.plans.one_frame import run_batch, run_image
from framepack_engine.plans.probe import run_probe
from framepack_engine.plans.transfer import run_transfer
from framepack_engine.plans.video import run_video

PLAN_RUNNERS: dict[str, PlanRunner] = {
    "probe": run_probe,
    "image": run_image,
    "batch": run_batch,
    "transfer": run_transfer,
    "video": run_video,
}
