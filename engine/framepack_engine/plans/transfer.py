"""The `transfer` plan: kisekaeichi reference transfer (docs/framepack.md §10).

The target (the picture being changed) sits at frame 0 and the source (the
reference to take from) at `control_index`; the one noisy frame at `target_index`
becomes the output. Masks multiply into the latents: target white = keep, black =
repaint; source white = take, black = ignore. `transfer_strength` is ours: it
scales the source latent, so 0 ignores the source and 1 is the full reference.
"""

from __future__ import annotations

from framepack_engine.one_frame import (
    sample_frames,
    stack_conditioning,
    transfer_context,
)
from framepack_engine.plans.base import JobContext, PlanError, PlanOutcome
from framepack_engine.plans.frames import (
    common_fields,
    decode_frames,
    encode_input_image,
    mask_weights,
    negative_conditioning,
    output_size,
    save_image,
    step_reporter,
)
from framepack_engine.protocol_types import TransferPlan
from framepack_engine.runtime import EngineRuntime
from framepack_engine.sampling.sampler import SamplerSettings


def run_transfer(plan: TransferPlan, ctx: JobContext, runtime: EngineRuntime) -> PlanOutcome:
    if plan["target_index"] >= plan["control_index"]:
        raise PlanError("plan.target_index", "must be smaller than control_index")
    width, height = output_size(plan, plan["target_image_path"], "plan.target_image_path")
    ctx.progress("loading", 0, 1, "Loading models")
    transformer = runtime.transformer(plan["transformer"], plan["loras"])
    ctx.progress("encoding", 0, 1, "Encoding the target, the source and the prompt")
    target_latent, image_embeds = encode_input_image(
        runtime, plan["target_image_path"], "plan.target_image_path", width, height
    )
    source_latent, _ = encode_input_image(
        runtime, plan["source_image_path"], "plan.source_image_path", width, height
    )
    latent_height, latent_width = target_latent.shape[-2:]
    target_weights = mask_weights(
        plan["target_mask_path"], plan["target_image_path"], "plan.target_mask_path", width, height
    )
    source_weights = mask_weights(
        plan["source_mask_path"], plan["source_image_path"], "plan.source_mask_path", width, height
    )
    context = transfer_context(
        target_latent * target_weights.to(target_latent),
        source_latent * (source_weights * plan["transfer_strength"]).to(source_latent),
        plan["target_index"],
        plan["control_index"],
    )
    settings = SamplerSettings.from_plan(plan)
    latents = sample_frames(
        transformer,
        stack_conditioning([runtime.prompts.get(plan["prompt"])], image_embeds),
        negative_conditioning(runtime, plan, 1, image_embeds),
        context,
        [plan["seed"]],
        (latent_height, latent_width),
        settings,
        step_reporter(ctx, 0, settings.steps, plan["preview_every"], ""),
    )
    ctx.progress("decoding", 0, 1, "Decoding")
    image = decode_frames(runtime, latents)[0]
    fields = {
        "Seed": plan["seed"],
        **common_fields(plan, width, height),
        "Mode": "kisekaeichi",
        "Transfer strength": plan["transfer_strength"],
        "Target index": plan["target_index"],
        "Control index": plan["control_index"],
    }
    file = save_image(
        image,
        plan["output_dir"],
        f"0000-{plan['seed']}.png",
        plan["prompt"],
        plan["negative_prompt"],
        fields,
    )
    return PlanOutcome(files=[{**file, "seed": plan["seed"]}], metadata={"seed": plan["seed"]})
