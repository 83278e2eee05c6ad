"""The `image` and `batch` plans: one-frame inference (docs/framepack.md §8, §9).

An image plan is a batch of one. A batch runs its items in micro-batches of
`batch_size` images per transformer call; items whose layout differs (a RoPE sweep
over target indices or window sizes) cannot share a call, since the index tensors
are shared by the whole batch, so they are grouped by layout first. Every call is
sampled before anything is decoded, so in low mode the transformer and the VAE
change places once per plan, not once per call (docs/framepack.md §9).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import torch

from framepack_engine.one_frame import (
    one_frame_context,
    sample_frames,
    stack_conditioning,
)
from framepack_engine.plans.base import JobContext, PlanOutcome
from framepack_engine.plans.frames import (
    common_fields,
    decode_frames,
    encode_input_image,
    encode_masked_latent,
    free_memory,
    negative_conditioning,
    output_size,
    save_image,
    step_reporter,
)
from framepack_engine.protocol_types import BatchItem, BatchPlan, ImagePlan
from framepack_engine.runtime import EngineRuntime
from framepack_engine.sampling.sampler import SamplerSettings

OneFramePlan = ImagePlan | BatchPlan


@dataclass(frozen=True)
class Item:
    index: int
    prompt: str
    seed: int
    latent_window_size: int
    target_index: int

    @property
    def layout(self) -> tuple[int, int]:
        return (self.latent_window_size, self.target_index)


def run_image(plan: ImagePlan, ctx: JobContext, runtime: EngineRuntime) -> PlanOutcome:
    item: BatchItem = {"prompt": plan["prompt"], "seed": plan["seed"]}
    return _run_items(plan, [item], 1, ctx, runtime)


def run_batch(plan: BatchPlan, ctx: JobContext, runtime: EngineRuntime) -> PlanOutcome:
    return _run_items(plan, plan["items"], plan["batch_size"], ctx, runtime)


def _micro_batches(items: list[Item], batch_size: int) -> Iterator[list[Item]]:
    by_layout = sorted(items, key=lambda item: item.layout)
    for _, group in groupby(by_layout, key=lambda item: item.layout):
        members = list(group)
        for start in range(0, len(members), batch_size):
            yield members[start : start + batch_size]


def _run_items(
    plan: OneFramePlan,
    raw_items: list[BatchItem],
    batch_size: int,
    ctx: JobContext,
    runtime: EngineRuntime,
) -> PlanOutcome:
    items = [
        Item(
            index=raw.get("index", index),
            prompt=raw["prompt"],
            seed=raw["seed"],
            latent_window_size=raw.get("latent_window_size", plan["latent_window_size"]),
            target_index=raw.get("target_index", plan["target_index"]),
        )
        for index, raw in enumerate(raw_items)
    ]
    ctx.progress("loading", 0, 1, "Loading models")
    transformer = runtime.transformer(plan["transformer"], plan["loras"])
    ctx.progress("encoding", 0, 1, "Encoding the input image and prompts")
    input_path = plan["input_image_path"]
    width, height = output_size(plan, input_path, "plan.input_image_path")
    input_latent, image_embeds = encode_input_image(
        runtime, input_path, "plan.input_image_path", width, height
    )
    clean = _clean_frames(plan, runtime, input_latent, width, height)
    batches = list(_micro_batches(items, batch_size))
    job = _FrameJob(plan, ctx, runtime, transformer, clean, image_embeds, len(batches))
    sampled: list[tuple[Item, torch.Tensor]] = []
    results: dict[int, dict[str, Any]] = {}
    for number, batch in enumerate(batches):
        for item, latent in job.sample(number, batch):
            if isinstance(latent, torch.Tensor):
                sampled.append((item, latent))
            else:
                results[item.index] = latent
    if sampled:
        ctx.progress("decoding", 0, 1, "Decoding")
    for start in range(0, len(sampled), batch_size):
        for item, result in job.decode_and_save(sampled[start : start + batch_size]):
            results[item.index] = result
    return _outcome(results)


@dataclass(frozen=True)
class CleanFrames:
    """The clean context frames every item of a plan sees, before post / 2x / 4x."""

    latents: torch.Tensor  # (1, 16, N, H/8, W/8)
    indices: tuple[int, ...]  # (N,)


def _clean_frames(
    plan: OneFramePlan,
    runtime: EngineRuntime,
    input_latent: torch.Tensor,
    width: int,
    height: int,
) -> CleanFrames:
    """The input latent at 0; with 1f-mc control images their masked latents at their indices
    instead, the input image (or the neutral one) only giving SigLIP (docs/framepack.md §11)."""
    controls = plan.get("control_images", [])
    if not controls:
        return CleanFrames(input_latent, (0,))
    latents = [
        encode_masked_latent(
            runtime,
            control["image_path"],
            control["mask_path"],
            f"plan.control_images[{number}]",
            width,
            height,
        )
        for number, control in enumerate(controls)
    ]
    return CleanFrames(torch.cat(latents, dim=2), tuple(c["index"] for c in controls))


Sampled = torch.Tensor | dict[str, Any]  # an item's latent (1, 16, 1, h, w), or its failure


class _FrameJob:
    """Samples micro-batches of one plan, then decodes and saves them; a batch that runs out of
    memory is retried one item at a time, in either phase."""

    def __init__(
        self,
        plan: OneFramePlan,
        ctx: JobContext,
        runtime: EngineRuntime,
        transformer: Any,
        clean: CleanFrames,
        image_embeds: torch.Tensor,
        batch_count: int,
    ) -> None:
        self.plan, self.ctx, self.runtime, self.transformer = plan, ctx, runtime, transformer
        self.clean, self.image_embeds = clean, image_embeds
        self.batch_count = batch_count
        self.settings = SamplerSettings.from_plan(plan)

    def sample(self, number: int, batch: list[Item]) -> list[tuple[Item, Sampled]]:
        try:
            return list(zip(batch, self._sample(number, batch), strict=True))
        except torch.OutOfMemoryError:
            if len(batch) == 1:
                raise
            free_memory()
        return [(item, self._sample_single(number, item)) for item in batch]

    def _sample_single(self, number: int, item: Item) -> Sampled:
        try:
            return self._sample(number, [item])[0]
        except torch.OutOfMemoryError as error:
            free_memory()
            return self._report(item, _failure(error))

    def decode_and_save(
        self, sampled: list[tuple[Item, torch.Tensor]]
    ) -> list[tuple[Item, dict[str, Any]]]:
        try:
            images = decode_frames(self.runtime, torch.cat([latent for _, latent in sampled]))
        except torch.OutOfMemoryError as error:
            free_memory()
            if len(sampled) == 1:  # the plan fails when every item failed (_outcome)
                return [(sampled[0][0], self._report(sampled[0][0], _failure(error)))]
            return [pair for one in sampled for pair in self.decode_and_save([one])]
        return [
            (item, self._save(item, image))
            for (item, _), image in zip(sampled, images, strict=True)
        ]

    def _sample(self, number: int, batch: list[Item]) -> list[torch.Tensor]:
        plan, count = self.plan, len(batch)
        lws, target_index = batch[0].layout
        context = one_frame_context(
            self.clean.latents.expand(count, -1, -1, -1, -1),
            lws,
            target_index,
            plan["no_2x"],
            plan["no_4x"],
            plan["no_post"],
            clean_indices=self.clean.indices,
        )
        image = self.image_embeds.expand(count, -1, -1)
        positive = stack_conditioning([self.runtime.prompts.get(i.prompt) for i in batch], image)
        label = f"batch {number + 1} of {self.batch_count}: " if self.batch_count > 1 else ""
        steps = self.settings.steps
        reporter = step_reporter(
            self.ctx, number * steps, self.batch_count * steps, plan["preview_every"], label
        )
        latents = sample_frames(
            self.transformer,
            positive,
            negative_conditioning(self.runtime, plan, count, image),
            context,
            [item.seed for item in batch],
            tuple(self.clean.latents.shape[-2:]),  # type: ignore[arg-type]
            self.settings,
            reporter,
        )
        return list(torch.split(latents, 1))

    def _save(self, item: Item, image: Any) -> dict[str, Any]:
        fields = {
            "Seed": item.seed,
            **common_fields(self.plan, image.shape[1], image.shape[0]),
            "Latent window size": item.latent_window_size,
            "Target index": item.target_index,
            "No 2x": self.plan["no_2x"],
            "No 4x": self.plan["no_4x"],
            "No post": self.plan["no_post"],
            **_control_fields(self.plan),
        }
        name = f"{item.index:04d}-{item.seed}.png"
        file = save_image(
            image, self.plan["output_dir"], name, item.prompt, self.plan["negative_prompt"], fields
        )
        return self._report(
            item, {"status": "completed", "file": {**file, "seed": item.seed, "index": item.index}}
        )

    def _report(self, item: Item, outcome: dict[str, Any]) -> dict[str, Any]:
        event = {
            "type": "item_result",
            "job_id": self.ctx.job_id,
            "index": item.index,
            "seed": item.seed,
            **outcome,
        }
        self.ctx.emit(event)
        return {"index": item.index, "seed": item.seed, **outcome}


def _control_fields(plan: OneFramePlan) -> dict[str, object]:
    """A 1f-mc image records its mode and control indices; others record nothing more."""
    controls = plan.get("control_images", [])
    if not controls:
        return {}
    return {"Mode": "1f-mc", "Control indices": ", ".join(str(c["index"]) for c in controls)}


def _failure(error: torch.OutOfMemoryError) -> dict[str, Any]:
    return {"status": "failed", "error": f"out of memory: {error}"}


def _outcome(results: dict[int, dict[str, Any]]) -> PlanOutcome:
    ordered = [results[index] for index in sorted(results)]
    files = [result["file"] for result in ordered if result["status"] == "completed"]
    if not files:
        raise torch.OutOfMemoryError("every item ran out of memory")
    items = [{key: value for key, value in r.items() if key != "file"} for r in ordered]
    return PlanOutcome(files=files, metadata={"items": items})
