"""The `video` plan: FramePack image-to-video, section by section.

transformer "base" generates backwards from the end (inverted anti-drifting,
docs/framepack.md §7.2); "f1" generates forwards (§7.3). Each section samples
`latent_window_size` latent frames with its context from the history; its latents are
decoded right away and cross-faded into the video, so memory stays flat however long the
video is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from framepack_engine.conditioning.image import vae_decode
from framepack_engine.one_frame import stack_conditioning
from framepack_engine.plans.base import JobContext, PlanOutcome
from framepack_engine.plans.frames import (
    encode_input_image,
    negative_conditioning,
    output_size,
    step_reporter,
)
from framepack_engine.previews import preview_data_uri, write_preview
from framepack_engine.protocol_types import OutputFile, VideoPlan
from framepack_engine.runtime import EngineRuntime
from framepack_engine.sampling.noise import generator_noise
from framepack_engine.sampling.sampler import SamplerSettings, sample_latents
from framepack_engine.transformer_forward import ContextGroup, FrameContext
from framepack_engine.video_layout import (
    VIDEO_FPS,
    SectionContext,
    SectionIndices,
    append_section,
    base_latents_to_decode,
    base_paddings,
    base_section_context,
    base_section_indices,
    f1_latents_to_decode,
    f1_section_context,
    f1_section_indices,
    initial_base_history,
    initial_f1_history,
    overlap_pixel_frames,
    prepend_section,
    section_count,
)
from framepack_engine.video_output import pixels_to_uint8_frames, soft_append_frames, write_mp4

VIDEO_NAME = "video.mp4"
PREVIEW_NAME = "preview.jpg"  # the latest section's first frame


@dataclass(frozen=True)
class Section:
    number: int  # 0-based, in generation order
    count: int
    padding: int  # base model only: blank frames between the start and the window

    @property
    def is_first(self) -> bool:
        return self.number == 0

    @property
    def is_last(self) -> bool:
        return self.number == self.count - 1


class _VideoRun:
    """The state of one video as it grows: latent history and decoded pixels."""

    def __init__(self, plan: VideoPlan, start_latent: torch.Tensor) -> None:
        self.forward = plan["transformer"] == "f1"
        self.lws = plan["latent_window_size"]
        self.start_latent = start_latent  # (1, 16, 1, H/8, W/8)
        self.history = (
            initial_f1_history(start_latent) if self.forward else initial_base_history(start_latent)
        )
        self.pixels: torch.Tensor | None = None  # (1, 3, frames, H, W)

    def layout(self, section: Section) -> tuple[SectionIndices, SectionContext]:
        if self.forward:
            indices = f1_section_indices(self.lws)
            return indices, f1_section_context(self.history, self.start_latent)
        indices = base_section_indices(section.padding, self.lws)
        return indices, base_section_context(self.history, self.start_latent)

    def add(self, section: Section, latents: torch.Tensor, runtime: EngineRuntime) -> None:
        """Puts the section's latents into the history and its pixels into the video."""
        if self.forward:
            self.history = append_section(self.history, latents)
            window = f1_latents_to_decode(self.history, self.lws, section.is_first)
        else:
            self.history = prepend_section(
                self.history, latents, section.is_last, self.start_latent
            )
            window = base_latents_to_decode(
                self.history, self.lws, section.is_first, section.is_last
            )
        decoded = vae_decode(runtime.models, window)  # (1, 3, 4T-3, H, W)
        self.pixels = soft_append_frames(
            self.pixels, decoded, overlap_pixel_frames(self.lws), prepend=not self.forward
        )


def _frame_context(indices: SectionIndices, context: SectionContext) -> FrameContext:
    return FrameContext(
        noisy_indices=indices.latents,
        clean=ContextGroup(context.clean, indices.clean),
        history_2x=ContextGroup(context.history_2x, indices.history_2x),
        history_4x=ContextGroup(context.history_4x, indices.history_4x),
    )


def run_video(plan: VideoPlan, ctx: JobContext, runtime: EngineRuntime) -> PlanOutcome:
    lws = plan["latent_window_size"]
    width, height = output_size(plan, plan["input_image_path"], "plan.input_image_path")
    ctx.progress("loading", 0, 1, "Loading models")
    # Before the transformer accessor: it re-splits resident and streamed blocks.
    runtime.models.set_gpu_memory_preservation(plan["gpu_memory_preservation"])
    transformer = runtime.transformer(plan["transformer"], plan["loras"])
    ctx.progress("encoding", 0, 1, "Encoding the start image and the prompt")
    start_latent, image_embeds = encode_input_image(
        runtime, plan["input_image_path"], "plan.input_image_path", width, height
    )
    positive = stack_conditioning([runtime.prompts.get(plan["prompt"])], image_embeds)
    negative = negative_conditioning(runtime, plan, 1, image_embeds)
    teacache_threshold = plan["teacache_threshold"] if plan["use_teacache"] else None
    settings = SamplerSettings.from_plan(plan, teacache_threshold)

    count = section_count(plan["seconds"], lws)
    paddings = [0] * count if plan["transformer"] == "f1" else base_paddings(count)
    video = _VideoRun(plan, start_latent)
    # One generator for the whole video: each section draws the next noise from it.
    generator = torch.Generator("cpu").manual_seed(plan["seed"])
    latent_height, latent_width = start_latent.shape[-2:]
    skipped = 0
    for number, padding in enumerate(paddings):
        section = Section(number, count, padding)
        indices, context = video.layout(section)
        noise = generator_noise(generator, lws, latent_height, latent_width, start_latent.device)
        label = f"section {number + 1} of {count}: "
        reporter = step_reporter(
            ctx, number * settings.steps, count * settings.steps, plan["preview_every"], label
        )
        teacaches = settings.teacaches()
        latents = sample_latents(
            transformer,
            positive,
            negative,
            _frame_context(indices, context),
            noise,
            settings,
            reporter,
            teacaches,
        )
        skipped += 0 if teacaches is None else teacaches[0].skipped
        ctx.progress("decoding", number + 1, count, f"Decoding section {number + 1} of {count}")
        video.add(section, latents, runtime)
        write_preview(latents, Path(plan["output_dir"]) / PREVIEW_NAME)
        ctx.progress(
            "decoding",
            number + 1,
            count,
            f"Section {number + 1} of {count} done",
            preview_data_uri(latents, frame=0),
        )
    assert video.pixels is not None
    return _save_video(plan, ctx, video.pixels, count, settings, skipped)


def _save_video(
    plan: VideoPlan,
    ctx: JobContext,
    pixels: torch.Tensor,
    sections: int,
    settings: SamplerSettings,
    teacache_skipped: int,
) -> PlanOutcome:
    ctx.progress("saving", 0, 1, "Writing the MP4")
    frames = pixels_to_uint8_frames(pixels)  # (T, H, W, 3)
    path = Path(plan["output_dir"]) / VIDEO_NAME
    write_mp4(frames, path, fps=VIDEO_FPS, crf=plan["mp4_crf"])
    file: OutputFile = {
        "path": str(path),
        "kind": "video",
        "width": int(frames.shape[2]),
        "height": int(frames.shape[1]),
        "seed": plan["seed"],
        "frames": int(frames.shape[0]),
        "fps": VIDEO_FPS,
    }
    teacache = {
        "enabled": settings.teacache_threshold is not None,
        "threshold": settings.teacache_threshold,
        "skipped_steps": teacache_skipped,
    }
    metadata = {"sections": sections, "seconds": frames.shape[0] / VIDEO_FPS, "teacache": teacache}
    preview: OutputFile = {"path": str(Path(plan["output_dir"]) / PREVIEW_NAME), "kind": "preview"}
    return PlanOutcome(files=[file, preview], metadata=metadata)
