"""The `video` plan: FramePack image-to-video, section by section.

transformer "base" generates backwards from the end (inverted anti-drifting,
docs/framepack.md §7.2); "f1" generates forwards (§7.3). Each section samples
`latent_window_size` latent frames with its context from the history; its latents are
decoded right away and cross-faded into the video, so memory stays flat however long the
video is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch

from framepack_engine.conditioning.image import (
    fit_image,
    image_to_tensor,
    vae_decode,
    vae_encode,
)
from framepack_engine.conditioning.text import PromptEmbeds
from framepack_engine.continuation import Continued, continued_video
from framepack_engine.one_frame import stack_conditioning
from framepack_engine.outputs import format_parameters
from framepack_engine.plans.base import JobContext, PlanError, PlanOutcome, Yielded
from framepack_engine.plans.frames import (
    common_fields,
    encode_input_image,
    negative_conditioning,
    output_size,
    step_reporter,
)
from framepack_engine.plans.inputs import read_rgb_image
from framepack_engine.previews import preview_data_uri, write_preview
from framepack_engine.protocol_types import OutputFile, VideoPlan
from framepack_engine.runtime import EngineRuntime
from framepack_engine.sampling.noise import generator_noise
from framepack_engine.sampling.sampler import SamplerSettings, block_caches, sample_latents
from framepack_engine.section_checkpoint import SectionCheckpoint, SectionState
from framepack_engine.transformer_forward import Conditioning, ContextGroup, FrameContext
from framepack_engine.video_layout import (
    VIDEO_FPS,
    PromptMix,
    SectionContext,
    SectionIndices,
    append_section,
    base_latents_to_decode,
    base_paddings,
    base_section_context,
    base_section_indices,
    f1_latents_to_decode,
    f1_overlap_frames,
    f1_section_context,
    f1_section_indices,
    initial_base_history,
    initial_f1_history,
    overlap_pixel_frames,
    prepend_section,
    section_count,
    section_prompt_mixes,
    time_order_index,
)
from framepack_engine.video_output import (
    pixels_to_uint8_frames,
    soft_append_frames,
    write_latent_history,
    write_mp4,
)

VIDEO_NAME = "video.mp4"
PREVIEW_NAME = "preview.jpg"  # the latest section's first frame
LATENTS_NAME = "latents.safetensors"  # the latent history, for continuing the video


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

    def __init__(
        self,
        plan: VideoPlan,
        start_latent: torch.Tensor,
        end_latent: torch.Tensor | None,
        continued: Continued | None = None,
    ) -> None:
        self.forward = plan["transformer"] == "f1"
        self.lws = plan["latent_window_size"]
        self.start_latent = start_latent  # (1, 16, 1, H/8, W/8)
        self.history = (
            initial_f1_history(start_latent) if self.forward else initial_base_history(start_latent)
        )
        if end_latent is not None:
            # History frame 0 is the first generated section's post frame; it stays in the
            # history, sliding into the 2x/4x context of the sections prepended after it.
            self.history[:, :, :1] = end_latent.to(self.history)
        self.pixels: torch.Tensor | None = None  # (1, 3, frames, H, W)
        if continued is not None:  # F1 only: new sections go after the earlier video (§7.10)
            self.history, self.pixels = continued.history, continued.pixels

    def layout(
        self, section: Section, keyframe: torch.Tensor | None = None
    ) -> tuple[SectionIndices, SectionContext]:
        """`keyframe`: a latent that replaces the start latent in this section's clean group."""
        if self.forward:
            indices = f1_section_indices(self.lws)
            return indices, f1_section_context(self.history, self.start_latent)
        indices = base_section_indices(section.padding, self.lws)
        pre = self.start_latent if keyframe is None else keyframe
        return indices, base_section_context(self.history, pre)

    def add(self, section: Section, latents: torch.Tensor, runtime: EngineRuntime) -> None:
        """Puts the section's latents into the history and its pixels into the video."""
        if self.forward:
            self.history = append_section(self.history, latents)
            # The first decode of a continued video already joins the earlier frames.
            window = f1_latents_to_decode(self.history, self.lws, self.pixels is None)
        else:
            self.history = prepend_section(
                self.history, latents, section.is_last, self.start_latent
            )
            window = base_latents_to_decode(
                self.history, self.lws, section.is_first, section.is_last
            )
        decoded = vae_decode(runtime.models, window)  # (1, 3, 4T-3, H, W)
        overlap = (
            f1_overlap_frames(decoded.shape[2], self.lws)
            if self.forward
            else overlap_pixel_frames(self.lws)
        )
        self.pixels = soft_append_frames(self.pixels, decoded, overlap, prepend=not self.forward)


def _frame_context(indices: SectionIndices, context: SectionContext) -> FrameContext:
    return FrameContext(
        noisy_indices=indices.latents,
        clean=ContextGroup(context.clean, indices.clean),
        history_2x=ContextGroup(context.history_2x, indices.history_2x),
        history_4x=ContextGroup(context.history_4x, indices.history_4x),
    )


def _encode_latent(
    runtime: EngineRuntime, path: str, field_name: str, width: int, height: int
) -> torch.Tensor:
    """An image fitted to the video's size, VAE-encoded: (1, 16, 1, H/8, W/8)."""
    pixels = fit_image(read_rgb_image(path, field_name), width, height)
    return vae_encode(runtime.models, image_to_tensor(pixels))


def _end_latent(
    plan: VideoPlan, runtime: EngineRuntime, width: int, height: int
) -> torch.Tensor | None:
    """The end image's latent scaled by end_frame_strength (docs/framepack.md §7.5)."""
    path = plan.get("end_image_path")
    if path is None:
        return None
    if plan["transformer"] == "f1":
        raise PlanError("plan.end_image_path", "an end frame needs the base model")
    return _encode_latent(runtime, path, "plan.end_image_path", width, height) * plan.get(
        "end_frame_strength", 1.0
    )


def _keyframes(
    plan: VideoPlan, runtime: EngineRuntime, count: int, width: int, height: int
) -> dict[int, tuple[torch.Tensor, torch.Tensor]]:
    """Time-order section -> (VAE latent, SigLIP tokens) of its keyframe (§7.7)."""
    keyframes = plan.get("keyframes", [])
    if keyframes and plan["transformer"] == "f1":
        raise PlanError("plan.keyframes", "keyframes need the base model")
    encoded: dict[int, tuple[torch.Tensor, torch.Tensor]] = {}
    for number, keyframe in enumerate(keyframes):
        field_name = f"plan.keyframes[{number}]"
        if keyframe["section"] >= count:
            raise PlanError(
                field_name, f"section {keyframe['section']} is past the video's {count} sections"
            )
        if keyframe["section"] in encoded:
            raise PlanError(field_name, f"section {keyframe['section']} has two keyframes")
        encoded[keyframe["section"]] = encode_input_image(
            runtime, keyframe["image_path"], field_name, width, height
        )
    return encoded


def blend_prompts(first: PromptEmbeds, second: PromptEmbeds, alpha: float) -> PromptEmbeds:
    """Linear blend of the Llama states and CLIP pooled vectors; the masks' union (§7.6)."""
    if alpha == 0:
        return first
    return PromptEmbeds(
        llama=torch.lerp(first.llama, second.llama, alpha),
        llama_mask=first.llama_mask | second.llama_mask,
        clip_pooled=torch.lerp(first.clip_pooled, second.clip_pooled, alpha),
    )


class _SectionPrompts:
    """The prompt embedding of each section; each prompt is encoded once (prompt cache)."""

    def __init__(self, plan: VideoPlan, runtime: EngineRuntime, count: int) -> None:
        section_prompts = plan.get("section_prompts", [])
        self._prompts = [plan["prompt"], *(entry["prompt"] for entry in section_prompts)]
        self._runtime = runtime
        self.mixes = section_prompt_mixes(
            count,
            plan["latent_window_size"],
            [entry["start"] for entry in section_prompts],
            plan.get("prompt_blend_sections", 0),
        )

        # Held for the whole video: up to 65 prompts could outgrow the shared LRU cache.
        self._encoded: dict[int, PromptEmbeds] = {}

    def _get(self, index: int) -> PromptEmbeds:
        if index not in self._encoded:
            self._encoded[index] = self._runtime.prompts.get(self._prompts[index])
        return self._encoded[index]

    def embeds(self, time_index: int) -> PromptEmbeds:
        mix: PromptMix = self.mixes[time_index]
        first = self._get(mix.first)
        if mix.alpha == 0:
            return first
        return blend_prompts(first, self._get(mix.second), mix.alpha)


def _start(
    plan: VideoPlan, runtime: EngineRuntime, continued: Continued | None
) -> tuple[int, int, torch.Tensor, torch.Tensor]:
    """(width, height, start latent (1, 16, 1, H/8, W/8), SigLIP tokens (1, 729, D)).

    A continued video has its earlier video's size and anchor unless a start image is given,
    which then takes the start slot and SigLIP (§7.10).
    """
    path = plan["input_image_path"]
    if continued is None and path is None:
        raise PlanError("plan.input_image_path", "a start image is needed unless continuing")
    if continued is None:
        width, height = output_size(plan, path, "plan.input_image_path")
    else:
        width, height = continued.width, continued.height
    if path is None:
        assert continued is not None
        return width, height, continued.start_latent, continued.image_embeds
    latent, embeds = encode_input_image(runtime, path, "plan.input_image_path", width, height)
    return width, height, latent, embeds


def run_video(plan: VideoPlan, ctx: JobContext, runtime: EngineRuntime) -> PlanOutcome:
    lws = plan["latent_window_size"]
    count = section_count(plan["seconds"], lws)
    forward = plan["transformer"] == "f1"
    ctx.progress("loading", 0, 1, "Loading models")
    # Before the transformer accessor: it re-splits resident and streamed blocks.
    runtime.models.set_gpu_memory_preservation(plan["gpu_memory_preservation"])
    transformer = runtime.transformer(plan["transformer"], plan["loras"])
    ctx.progress("encoding", 0, 1, "Encoding the start image and the prompt")
    continued = continued_video(plan, runtime)
    width, height, start_latent, image_embeds = _start(plan, runtime, continued)
    end_latent = _end_latent(plan, runtime, width, height)
    keyframes = _keyframes(plan, runtime, count, width, height)
    prompts = _SectionPrompts(plan, runtime, count)
    settings = SamplerSettings.from_plan(plan)

    paddings = [0] * count if forward else base_paddings(count)
    video = _VideoRun(plan, start_latent, end_latent, continued)
    # One generator for the whole video: each section draws the next noise from it.
    generator = torch.Generator("cpu").manual_seed(plan["seed"])
    latent_height, latent_width = start_latent.shape[-2:]
    skipped = 0
    checkpoint = _checkpoint_of(plan)
    resumed = checkpoint.load(start_latent.device) if checkpoint else None
    first_number = 0
    if resumed is not None:
        video.history, video.pixels = resumed.history, resumed.pixels
        generator.set_state(resumed.generator_state)
        skipped, first_number = resumed.cache_skipped, resumed.sections_done
        assert checkpoint is not None
        _announce_checkpoint(ctx, checkpoint, first_number, count)
        ctx.progress(
            "sampling",
            first_number * settings.steps,
            count * settings.steps,
            f"Resuming at section {first_number + 1} of {count} from its checkpoint",
        )
    for number, padding in enumerate(paddings):
        if number < first_number:
            continue
        section = Section(number, count, padding)
        time_index = time_order_index(number, count, forward)
        keyframe_latent, section_image = keyframes.get(time_index, (None, image_embeds))
        indices, context = video.layout(section, keyframe_latent)
        positive: Conditioning = stack_conditioning([prompts.embeds(time_index)], section_image)
        negative = negative_conditioning(runtime, plan, 1, section_image)
        noise = generator_noise(generator, lws, latent_height, latent_width, start_latent.device)
        label = f"section {number + 1} of {count}: "
        reporter = step_reporter(
            ctx, number * settings.steps, count * settings.steps, plan["preview_every"], label
        )
        caches = block_caches(plan["cache"], settings.steps, plan["transformer"])
        latents = sample_latents(
            transformer,
            positive,
            negative,
            _frame_context(indices, context),
            noise,
            settings,
            reporter,
            caches,
        )
        skipped += 0 if caches is None else caches[0].skipped
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
        if checkpoint is not None and not section.is_last:
            assert video.pixels is not None
            state = SectionState(
                number + 1, video.history, video.pixels, generator.get_state(), skipped
            )
            _save_checkpoint(ctx, checkpoint, state, video, count)
    assert video.pixels is not None
    history_metadata = {
        "sampling_mode": "forward" if forward else "reverse",
        "latent_window_size": str(lws),
        "width": str(width),
        "height": str(height),
    }
    write_latent_history(Path(plan["output_dir"]) / LATENTS_NAME, video.history, history_metadata)
    outcome = _save_video(plan, ctx, video.pixels, count, skipped)
    if continued is not None:
        total = outcome.files[0].get("frames", 0)
        outcome.metadata["continued_from"] = continued.source
        outcome.metadata["frames_before"] = continued.frames
        outcome.metadata["frames_added"] = total - continued.frames
    if resumed is not None:
        outcome.metadata["resumed_at_section"] = resumed.sections_done
    return outcome


def _checkpoint_of(plan: VideoPlan) -> SectionCheckpoint | None:
    directory = plan.get("checkpoint_dir")
    return None if directory is None else SectionCheckpoint(Path(directory), plan)


def _announce_checkpoint(
    ctx: JobContext, checkpoint: SectionCheckpoint, sections_done: int, count: int
) -> None:
    """Tells the service what the checkpoint holds: after each write, and at a resume."""
    ctx.emit(
        {
            "type": "checkpoint",
            "job_id": ctx.job_id,
            "sections_done": sections_done,
            "sections_total": count,
            "bytes": checkpoint.path.stat().st_size,
        }
    )


def _save_checkpoint(
    ctx: JobContext,
    checkpoint: SectionCheckpoint,
    state: SectionState,
    video: _VideoRun,
    count: int,
) -> None:
    """Writes the section's checkpoint, tells the service, and yields there when asked."""
    checkpoint.save(state, overlap_pixel_frames(video.lws), prepend=not video.forward)
    _announce_checkpoint(ctx, checkpoint, state.sections_done, count)
    ctx.check_cancelled()
    if ctx.yield_requested.is_set():
        raise Yielded(ctx.job_id, state.sections_done)


def video_parameters(plan: VideoPlan, width: int, height: int) -> str:
    """The MP4's `parameters` text, in the PNGs' layout (docs/framepack.md §15)."""
    fields: dict[str, object] = {
        "Seed": plan["seed"],
        **common_fields(plan, width, height),
        "Seconds": plan["seconds"],
        "Latent window size": plan["latent_window_size"],
        "Sampling mode": "forward" if plan["transformer"] == "f1" else "reverse",
        "Cache": plan["cache"],
    }
    if plan.get("loop"):
        fields["Loop"] = "true"
    if plan.get("end_image_path") is not None:
        fields["End frame"] = "start image" if plan.get("loop") else "yes"
        fields["End frame strength"] = plan.get("end_frame_strength", 1.0)
    section_prompts = plan.get("section_prompts", [])
    if section_prompts:
        # JSON keeps prompts with commas or newlines in them one readable value.
        fields["Section prompts"] = json.dumps(
            [[entry["start"], entry["prompt"]] for entry in section_prompts], ensure_ascii=False
        )
        fields["Prompt blend sections"] = plan.get("prompt_blend_sections", 0)
    keyframes = plan.get("keyframes", [])
    if keyframes:
        fields["Keyframe sections"] = " ".join(str(entry["section"]) for entry in keyframes)
    continuation = plan.get("continuation")
    if continuation is not None:
        fields["Continued from"] = continuation["source"]
    return format_parameters(plan["prompt"], plan["negative_prompt"], fields)


def _save_video(
    plan: VideoPlan,
    ctx: JobContext,
    pixels: torch.Tensor,
    sections: int,
    cache_skipped: int,
) -> PlanOutcome:
    ctx.progress("saving", 0, 1, "Writing the MP4")
    frames = pixels_to_uint8_frames(pixels)  # (T, H, W, 3)
    path = Path(plan["output_dir"]) / VIDEO_NAME
    width, height = int(frames.shape[2]), int(frames.shape[1])
    write_mp4(
        frames,
        path,
        fps=VIDEO_FPS,
        crf=plan["mp4_crf"],
        comment=video_parameters(plan, width, height),
    )
    file: OutputFile = {
        "path": str(path),
        "kind": "video",
        "width": int(frames.shape[2]),
        "height": int(frames.shape[1]),
        "seed": plan["seed"],
        "frames": int(frames.shape[0]),
        "fps": VIDEO_FPS,
    }
    cache = {"kind": plan["cache"], "skipped_steps": cache_skipped}
    metadata = {"sections": sections, "seconds": frames.shape[0] / VIDEO_FPS, "cache": cache}
    preview: OutputFile = {"path": str(Path(plan["output_dir"]) / PREVIEW_NAME), "kind": "preview"}
    return PlanOutcome(files=[file, preview], metadata=metadata)
