"""Video beyond one start image on the tiny model set: the end frame (and loop), section
prompts with and without blending, keyframes, the MP4's parameters, and `count`-style
batches of one prompt (docs/framepack.md §7.5-§7.8, §9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import torch
from PIL import Image
from plan_builders import checked, image_plan
from section_spy import SectionCall, spy_on_sections

import framepack_engine.sampling.guidance as guidance
import framepack_engine.transformer_forward as transformer_forward
from framepack_engine.conditioning.image import fit_image, image_to_tensor, vae_encode
from framepack_engine.plans import run_plan
from framepack_engine.plans.base import JobContext, PlanError, PlanOutcome
from framepack_engine.plans.frames import encode_input_image
from framepack_engine.protocol_types import VideoPlan
from framepack_engine.runtime import EngineRuntime
from framepack_engine.video_layout import PromptMix, section_prompt_mixes

WIDTH, HEIGHT = 128, 96


def _picture(path: Path, colour: tuple[int, int, int]) -> Path:
    rgb = np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8)
    rgb[20:70, 30:90] = colour
    Image.fromarray(rgb).save(path)
    return path


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("video-inputs")
    return {
        "start": _picture(folder / "start.png", (40, 160, 220)),
        "end": _picture(folder / "end.png", (220, 60, 30)),
        "key": _picture(folder / "key.png", (30, 220, 60)),
    }


def _plan(output_dir: Path, start: Path, **overrides: Any) -> VideoPlan:
    plan = checked(
        {
            "kind": "video",
            "output_dir": str(output_dir),
            "prompt": "the square drifts",
            "seed": 7,
            "input_image_path": str(start),
            "seconds": 2.4,  # 2 sections at lws 9
            "latent_window_size": 9,
            "cache": "none",
            "mp4_crf": 16,
            "gpu_memory_preservation": 6,
            "negative_prompt": "",
            "steps": 1,
            "cfg": 1.0,
            "gs": 10.0,
            "rs": 0.0,
            "shift": None,
            "width": WIDTH,
            "height": HEIGHT,
            "transformer": "base",
            "loras": [],
            "preview_every": 0,
            **overrides,
        }
    )
    assert plan["kind"] == "video"
    return plan


def _run(runtime: EngineRuntime, plan: VideoPlan) -> PlanOutcome:
    with torch.inference_mode():
        events: list[Any] = []
        return run_plan(plan, JobContext("video-1", events.append), runtime)


def _latent(runtime: EngineRuntime, path: Path) -> torch.Tensor:
    with torch.inference_mode():
        pixels = fit_image(np.asarray(Image.open(path).convert("RGB")), WIDTH, HEIGHT)
        return vae_encode(runtime.models, image_to_tensor(pixels)).float()


def _comment(path: str) -> str:
    with av.open(path) as container:
        return str(container.metadata["comment"])


def _post(call: SectionCall) -> torch.Tensor:
    assert call.context.clean is not None
    return call.context.clean.latents[:, :, 1:2]


def _pre(call: SectionCall) -> torch.Tensor:
    assert call.context.clean is not None
    return call.context.clean.latents[:, :, :1]


def test_end_frame_is_the_first_sections_post_and_stays_in_the_history(
    runtime: EngineRuntime, tmp_path: Path, pictures: dict[str, Path], sections: list[SectionCall]
) -> None:
    plan = _plan(
        tmp_path, pictures["start"], end_image_path=str(pictures["end"]), end_frame_strength=0.5
    )
    outcome = _run(runtime, plan)
    end = _latent(runtime, pictures["end"]) * 0.5
    first, second = sections
    torch.testing.assert_close(_post(first), end)
    assert first.context.history_2x is not None and first.context.history_4x is not None
    assert torch.count_nonzero(first.context.history_2x.latents) == 0
    # After the first section (9 latents) is prepended, the end latent is history frame 9:
    # 1x is frame 0, 2x frames 1-2, 4x frames 3-18, so it is the 4x group's 7th frame.
    assert second.context.history_4x is not None
    torch.testing.assert_close(second.context.history_4x.latents[:, :, 6:7], end)
    assert torch.count_nonzero(second.context.history_4x.latents[:, :, 7:]) == 0
    # The start image still conditions every section, and the video keeps its length.
    start = _latent(runtime, pictures["start"])
    for call in sections:
        torch.testing.assert_close(_pre(call), start)
    assert outcome.files[0]["frames"] == 73
    parameters = _comment(outcome.files[0]["path"])
    assert "End frame: yes" in parameters and "End frame strength: 0.5" in parameters


def test_loop_uses_the_start_image_as_the_end(
    runtime: EngineRuntime, tmp_path: Path, pictures: dict[str, Path], sections: list[SectionCall]
) -> None:
    start = str(pictures["start"])
    outcome = _run(runtime, _plan(tmp_path, pictures["start"], end_image_path=start, loop=True))
    torch.testing.assert_close(_post(sections[0]), _latent(runtime, pictures["start"]))
    assert "Loop: true" in _comment(outcome.files[0]["path"])


def test_end_frame_and_keyframes_are_refused_with_f1(
    runtime: EngineRuntime, tmp_path: Path, pictures: dict[str, Path]
) -> None:
    end = str(pictures["end"])
    with pytest.raises(PlanError, match=r"plan\.end_image_path"):
        _run(runtime, _plan(tmp_path, pictures["start"], transformer="f1", end_image_path=end))
    keyframes = [{"section": 0, "image_path": end}]
    with pytest.raises(PlanError, match=r"plan\.keyframes"):
        _run(runtime, _plan(tmp_path, pictures["start"], transformer="f1", keyframes=keyframes))


def _prompt_text(runtime: EngineRuntime, prompt: str) -> torch.Tensor:
    return runtime.prompts.get(prompt).llama


@pytest.mark.parametrize("transformer", ["base", "f1"])
def test_each_section_gets_the_prompt_of_its_time(
    runtime: EngineRuntime, tmp_path: Path, pictures: dict[str, Path], transformer: str
) -> None:
    prompts = [f"{transformer} opening", f"{transformer} middle", f"{transformer} close"]
    runtime.prompts._entries.clear()
    encodings = runtime.prompts.encodings
    with pytest.MonkeyPatch.context() as patch:
        calls = spy_on_sections(patch)
        plan = _plan(
            tmp_path,
            pictures["start"],
            transformer=transformer,
            seconds=3.6,  # 3 sections, prompts snap to 1.1 s
            prompt=prompts[0],
            section_prompts=[
                {"start": 1.0, "prompt": prompts[1]},
                {"start": 2.3, "prompt": prompts[2]},
            ],
        )
        outcome = _run(runtime, plan)
    assert runtime.prompts.encodings - encodings == 3  # each prompt encoded once
    time_order = prompts if transformer == "f1" else prompts[::-1]  # base generates the end first
    assert len(calls) == 3
    for call, prompt in zip(calls, time_order, strict=True):
        torch.testing.assert_close(call.positive.text, _prompt_text(runtime, prompt))
    parameters = _comment(outcome.files[0]["path"])
    assert f'Section prompts: [[1.0, "{prompts[1]}"], [2.3, "{prompts[2]}"]]' in parameters


@pytest.mark.parametrize("transformer", ["base", "f1"])
def test_blended_sections_lerp_towards_the_next_prompt(
    runtime: EngineRuntime,
    tmp_path: Path,
    pictures: dict[str, Path],
    sections: list[SectionCall],
    transformer: str,
) -> None:
    plan = _plan(
        tmp_path,
        pictures["start"],
        transformer=transformer,
        seconds=4.8,  # 4 sections
        prompt="a calm sea",
        section_prompts=[{"start": 3.3, "prompt": "a storm"}],  # section 3
        prompt_blend_sections=2,
    )
    _run(runtime, plan)
    calm, storm = runtime.prompts.get("a calm sea"), runtime.prompts.get("a storm")
    by_time = sections if transformer == "f1" else sections[::-1]
    expected = [
        calm.llama,
        torch.lerp(calm.llama, storm.llama, 0.5),  # (1 - (3 - 2) + 1) / 2
        storm.llama,  # (2 - 1 + 1) / 2 = 1
        storm.llama,
    ]
    for call, text in zip(by_time, expected, strict=True):
        torch.testing.assert_close(call.positive.text, text)
    union = calm.llama_mask | storm.llama_mask
    assert torch.equal(by_time[1].positive.text_mask, union)
    torch.testing.assert_close(
        by_time[1].positive.pooled, torch.lerp(calm.clip_pooled, storm.clip_pooled, 0.5)
    )


def test_prompt_mixes_snap_and_blend() -> None:
    assert section_prompt_mixes(3, 9, [], 0) == [PromptMix(0, 0, 0.0)] * 3
    # 0.5 s snaps to section 0 (0.45 of 1.1 s), replacing the main prompt; 1.7 s to section 2.
    assert [m.first for m in section_prompt_mixes(3, 9, [0.5, 1.7], 0)] == [1, 1, 2]
    # A prompt past the video's sections never applies.
    assert [m.first for m in section_prompt_mixes(2, 9, [30.0], 0)] == [0, 0]
    assert section_prompt_mixes(3, 9, [2.2], 1) == [
        PromptMix(0, 0, 0.0),
        PromptMix(0, 1, 1.0),
        PromptMix(1, 1, 0.0),
    ]


def test_keyframe_is_its_sections_clean_pre_latent_and_image(
    runtime: EngineRuntime, tmp_path: Path, pictures: dict[str, Path], sections: list[SectionCall]
) -> None:
    key = str(pictures["key"])
    plan = _plan(
        tmp_path, pictures["start"], seconds=3.6, keyframes=[{"section": 1, "image_path": key}]
    )
    outcome = _run(runtime, plan)
    with torch.inference_mode():
        key_latent, key_image = encode_input_image(runtime, key, "k", WIDTH, HEIGHT)
        start_latent, start_image = encode_input_image(
            runtime, str(pictures["start"]), "s", WIDTH, HEIGHT
        )
    by_time = sections[::-1]  # base: generation index = 2 - time index
    torch.testing.assert_close(_pre(by_time[1]), key_latent.float())
    torch.testing.assert_close(by_time[1].positive.image, key_image)
    for other in (by_time[0], by_time[2]):
        torch.testing.assert_close(_pre(other), start_latent.float())
        torch.testing.assert_close(other.positive.image, start_image)
    assert "Keyframe sections: 1" in _comment(outcome.files[0]["path"])


def test_a_keyframe_past_the_sections_is_an_invalid_plan(
    runtime: EngineRuntime, tmp_path: Path, pictures: dict[str, Path]
) -> None:
    keyframes = [{"section": 2, "image_path": str(pictures["key"])}]
    with pytest.raises(PlanError, match=r"plan\.keyframes\[0\].*past the video's 2 sections"):
        _run(runtime, _plan(tmp_path, pictures["start"], keyframes=keyframes))


def test_the_mp4_carries_its_parameters(
    runtime: EngineRuntime, tmp_path: Path, pictures: dict[str, Path]
) -> None:
    outcome = _run(runtime, _plan(tmp_path, pictures["start"], seconds=1.0, seed=12345))
    lines = _comment(outcome.files[0]["path"]).split("\n")
    assert lines[0] == "the square drifts"
    assert lines[1] == "Negative prompt: "
    assert lines[2].startswith("Seed: 12345, Steps: 1, CFG: 1.0, GS: 10.0")
    assert "Size: 128x96" in lines[2] and "Seconds: 1.0" in lines[2]
    assert "Sampling mode: reverse" in lines[2] and "Cache: none" in lines[2]


def test_one_prompt_many_seeds_share_forward_passes(
    runtime: EngineRuntime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `count` on /api/batch-images becomes: one prompt, N seeds, B > 1 per call."""
    batches: list[int] = []
    real = transformer_forward.framepack_forward

    def spy(model: Any, latents: torch.Tensor, *rest: Any) -> Any:
        batches.append(latents.shape[0])
        return real(model, latents, *rest)

    monkeypatch.setattr(guidance, "framepack_forward", spy)
    base = {k: v for k, v in image_plan(tmp_path).items() if k not in ("prompt", "seed")}
    items = [{"prompt": "one prompt", "seed": seed} for seed in (101, 102, 103, 104, 105)]
    plan = checked({**base, "kind": "batch", "items": items, "batch_size": 3, "steps": 1})
    events: list[Any] = []
    with torch.inference_mode():
        outcome = run_plan(plan, JobContext("batch-1", events.append), runtime)
    assert batches == [3, 2]
    assert [file["seed"] for file in outcome.files] == [101, 102, 103, 104, 105]
    pictures = [np.asarray(Image.open(file["path"])) for file in outcome.files]
    assert not np.array_equal(pictures[0], pictures[1])
