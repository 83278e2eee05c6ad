"""The `probe` plan: load the model set, encode a prompt and an image, report the shapes.

It exercises every loader and encoder that the generation pipelines use, so a model
set that passes the probe is complete and consistent.
"""

from __future__ import annotations

from framepack_engine.conditioning.image import (
    fit_image,
    image_to_tensor,
    siglip_encode,
    vae_encode,
)
from framepack_engine.plans.base import JobContext, PlanOutcome
from framepack_engine.plans.inputs import read_rgb_image
from framepack_engine.protocol_types import ProbePlan
from framepack_engine.runtime import EngineRuntime

_ENCODE_STEPS = 3


def run_probe(plan: ProbePlan, ctx: JobContext, runtime: EngineRuntime) -> PlanOutcome:
    models = runtime.models
    image = read_rgb_image(plan["image_path"], "plan.image_path")

    ctx.progress("loading", 0, 1, "Loading the model set")
    models.load_all()

    ctx.progress("encoding", 0, _ENCODE_STEPS, "Encoding the prompt")
    prompt = runtime.prompts.get(plan["prompt"])

    ctx.progress("encoding", 1, _ENCODE_STEPS, "Encoding the image with the VAE")
    pixels = fit_image(image, plan["width"], plan["height"])  # (H, W, 3) uint8
    latent = vae_encode(models, image_to_tensor(pixels))  # (1, 16, 1, H/8, W/8)

    ctx.progress("encoding", 2, _ENCODE_STEPS, "Encoding the image with SigLIP")
    siglip = siglip_encode(models, pixels)  # (1, 729, D)

    shapes = {
        "llama_embeds": list(prompt.llama.shape),
        "llama_mask": list(prompt.llama_mask.shape),
        "clip_pooled": list(prompt.clip_pooled.shape),
        "siglip_embeds": list(siglip.shape),
        "image_latent": list(latent.shape),
    }
    loaded = [entry["name"] for entry in models.loaded_models()]
    metadata = {
        "shapes": shapes,
        "prompt_tokens": int(prompt.llama_mask.sum().item()),
        "loaded_models": loaded,
    }
    return PlanOutcome(files=[], metadata=metadata)
