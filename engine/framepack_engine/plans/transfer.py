"""The `transfer` plan: kisekaeichi reference transfer (docs/framepack.md §10).

The target (the picture being changed) sits at frame 0 and the source (the
reference to take from) at `control_index`; the one noisy frame at `target_index`
becomes the output. Masks multiply into the latents: target white = keep, black =
repaint; source white = take, black = ignore. `transfer_strength` is ours: it
scales the source latent, so 0 ignores the source and 1 is the full reference.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from numpy.typing import NDArray

from framepack_engine.conditioning.image import VAE_SPATIAL_STRIDE, fit_image
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
    negative_conditioning,
    output_size,
    save_image,
    step_reporter,
)
from framepack_engine.plans.inputs import read_mask
from framepack_engine.protocol_types import TransferPlan
from framepack_engine.runtime import EngineRuntime
from framepack_engine.sampling.sampler import SamplerSettings


def mask_to_latent_weights(
    mask: NDArray[np.uint8] | None, latent_height: int, latent_width: int
) -> torch.Tensor:
    """(H, W) uint8 mask -> (1, 1, 1, H/8, W/8) weights in [0, 1]; no mask = all ones."""
    if mask is None:
        return torch.ones((1, 1, 1, latent_height, latent_width))
    weights = torch.tensor(mask, dtype=torch.float32)[None, None] / 255.0  # (1, 1, H, W)
    resized = F.interpolate(weights, size=(latent_height, latent_width), mode="bilinear")
    return resized[:, :, None]  # (1, 1, 1, H/8, W/8)


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
    target_weights = _mask_weights(
        plan["target_mask_path"], plan["target_image_path"], "plan.target_mask_path", width, height
    )
    source_weights = _mask_weights(
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


def _mask_weights(
    mask_path: str | None, image_path: str, field_name: str, width: int, height: int
) -> torch.Tensor:
    """An image's mask, fitted like the image (scale and center crop), as latent weights."""
    mask = read_mask(mask_path, image_path, field_name)
    if mask is not None:
        rgb = np.repeat(mask[:, :, None], 3, axis=2)  # (H, W, 3): fit_image takes RGB
        mask = fit_image(rgb, width, height)[:, :, 0]
    return mask_to_latent_weights(mask, height // VAE_SPATIAL_STRIDE, width // VAE_SPATIAL_STRIDE)
