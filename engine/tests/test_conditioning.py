"""Conditioning shapes and rules (docs/framepack.md §3-§4) on the tiny model set."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from diffusers.pipelines.hunyuan_video.pipeline_hunyuan_video import DEFAULT_PROMPT_TEMPLATE
from PIL import Image

from framepack_engine.conditioning.image import (
    BUCKETS_640,
    VAE_SCALING_FACTOR,
    ImageArray,
    buckets_for_resolution,
    find_nearest_bucket,
    fit_image,
    image_to_tensor,
    siglip_encode,
    vae_encode,
    vae_scaling_factor,
)
from framepack_engine.conditioning.text import (
    LLAMA_HIDDEN_STATE_INDEX,
    PROMPT_TEMPLATE,
    encode_prompt,
    template_crop_start,
)
from framepack_engine.weights.loader import ModelSet

PROMPT = "A cat walks on the grass, realistic"
# The tiny set's widths: Llama 16, CLIP 8, SigLIP 16.
LLAMA_DIM, CLIP_DIM, SIGLIP_DIM = 16, 8, 16


def _noise_image(height: int, width: int, seed: int = 0) -> ImageArray:
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


def _prompt_token_count(models: ModelSet, prompt: str) -> int:
    """Templated prompt tokens after the template prefix, the closing <|eot_id|> included."""
    tokenizer = models.tokenizer()
    return len(tokenizer(PROMPT_TEMPLATE.format(prompt)).input_ids) - template_crop_start(tokenizer)


def test_prompt_template_is_hunyuan_videos() -> None:
    assert DEFAULT_PROMPT_TEMPLATE["template"] == PROMPT_TEMPLATE


def test_crop_start_counts_the_template_prefix(model_set: ModelSet) -> None:
    tokenizer = model_set.tokenizer()
    crop_start = template_crop_start(tokenizer)
    template_ids = tokenizer(PROMPT_TEMPLATE).input_ids
    # diffusers' count: the whole template less its "{}" and closing <|eot_id|> tokens.
    assert crop_start == len(template_ids) - 2
    prompt_ids = tokenizer(PROMPT_TEMPLATE.format(PROMPT)).input_ids
    assert prompt_ids[:crop_start] == template_ids[:crop_start]


def test_prompt_embeds_shapes_and_mask(model_set: ModelSet) -> None:
    embeds = encode_prompt(model_set, PROMPT)
    real_tokens = _prompt_token_count(model_set, PROMPT)

    assert embeds.llama.shape == (1, 512, LLAMA_DIM)
    assert embeds.llama_mask.shape == (1, 512)
    assert embeds.llama_mask.dtype == torch.bool
    assert int(embeds.llama_mask.sum()) == real_tokens
    assert embeds.llama_mask[0, :real_tokens].all()
    assert not embeds.llama[0, real_tokens:].any()
    assert embeds.clip_pooled.shape == (1, CLIP_DIM)


def test_llama_embeds_are_hidden_state_minus_3_of_the_prompt_tokens(model_set: ModelSet) -> None:
    tokenizer = model_set.tokenizer()
    ids = tokenizer(PROMPT_TEMPLATE.format(PROMPT), return_tensors="pt").input_ids
    with torch.no_grad():
        hidden = model_set.text_encoder()(input_ids=ids, output_hidden_states=True).hidden_states
    expected = hidden[LLAMA_HIDDEN_STATE_INDEX][0, template_crop_start(tokenizer) :]

    embeds = encode_prompt(model_set, PROMPT)
    # Causal attention: the right padding does not change the real tokens' states.
    torch.testing.assert_close(embeds.llama[0, : expected.shape[0]], expected)


def test_long_prompts_keep_256_tokens(model_set: ModelSet) -> None:
    embeds = encode_prompt(model_set, " ".join(["grass"] * 400))
    assert int(embeds.llama_mask.sum()) == 256


def test_prompt_embeds_are_deterministic(model_set: ModelSet) -> None:
    first, second = encode_prompt(model_set, PROMPT), encode_prompt(model_set, PROMPT)
    assert torch.equal(first.llama, second.llama)
    assert torch.equal(first.clip_pooled, second.clip_pooled)
    other = encode_prompt(model_set, "A dog sleeps")
    assert not torch.equal(first.clip_pooled, other.clip_pooled)


@pytest.mark.parametrize(
    ("height", "width", "bucket"),
    [
        (640, 608, (640, 608)),
        (1080, 1920, (480, 832)),  # 16:9 landscape
        (1920, 1080, (832, 480)),  # 9:16 portrait
        (768, 1024, (544, 704)),  # 4:3
        (512, 512, (640, 608)),  # square: (608, 640) ties, the later entry wins
        (100, 1000, (416, 960)),  # wider than every bucket
    ],
)
def test_nearest_bucket_at_640(height: int, width: int, bucket: tuple[int, int]) -> None:
    assert find_nearest_bucket(height, width) == bucket


def test_other_resolutions_scale_the_640_list() -> None:
    assert buckets_for_resolution(640) == BUCKETS_640
    half = buckets_for_resolution(320)
    assert half[0] == (208, 480)
    assert all(side % 16 == 0 for bucket in half for side in bucket)
    assert find_nearest_bucket(1080, 1920, resolution=320) == (240, 416)
    assert find_nearest_bucket(1080, 1920, resolution=1280) == (960, 1664)


def test_fit_image_center_crops_without_resizing() -> None:
    # Three vertical stripes: red | green | blue, each 100 wide.
    image = np.zeros((100, 300, 3), dtype=np.uint8)
    for stripe in range(3):
        image[:, stripe * 100 : (stripe + 1) * 100, stripe] = 255
    fitted = fit_image(image, width=100, height=100)
    assert fitted.dtype == np.uint8
    assert np.array_equal(fitted, image[:, 100:200])


def test_fit_image_scales_to_cover_then_crops() -> None:
    # A tall image: top half white, bottom half black; fitted wide, only the middle rows survive.
    image = np.zeros((400, 100, 3), dtype=np.uint8)
    image[:200] = 255
    fitted = fit_image(Image.fromarray(image), width=200, height=160)
    assert fitted.shape == (160, 200, 3)  # resized to 800x200, rows 320..480 kept
    assert fitted[:60].min() > 250
    assert fitted[100:].max() < 5


def test_image_to_tensor_maps_to_minus_one_one() -> None:
    image = np.zeros((32, 48, 3), dtype=np.uint8)
    image[..., 0] = 255
    tensor = image_to_tensor(image)
    assert tensor.shape == (1, 3, 1, 32, 48)
    assert tensor.dtype == torch.float32
    assert torch.equal(tensor[0, 0], torch.ones(1, 32, 48))
    assert torch.equal(tensor[0, 1:], -torch.ones(2, 1, 32, 48))


def test_vae_encode_gives_scaled_deterministic_latents(model_set: ModelSet) -> None:
    pixels = image_to_tensor(fit_image(_noise_image(300, 200), width=192, height=256))
    latent = vae_encode(model_set, pixels)
    assert latent.shape == (1, 16, 1, 256 // 8, 192 // 8)
    assert torch.equal(latent, vae_encode(model_set, pixels))

    assert vae_scaling_factor(model_set) == VAE_SCALING_FACTOR
    with torch.no_grad():
        mean = model_set.vae().encode(pixels).latent_dist.mean
    torch.testing.assert_close(latent, mean * VAE_SCALING_FACTOR)


def test_siglip_encode_gives_729_tokens(model_set: ModelSet) -> None:
    image = fit_image(_noise_image(256, 192), width=192, height=256)
    tokens = siglip_encode(model_set, image)
    assert tokens.shape == (1, 729, SIGLIP_DIM)
    assert torch.equal(tokens, siglip_encode(model_set, image))
