"""A tiny FramePack model set with deterministic random weights, for tests and CPU smoke runs.

Same classes and directory layout as the real repos, so the loading code cannot tell the
difference except through the TINY_MARKER file. Hidden widths follow diffusers' own test sizes;
16 latent channels and the VAE's 8x spatial / 4x temporal compression are kept, so every shape
outside the hidden widths matches the real model. Tokenizers are trained here on a small corpus.
"""

from __future__ import annotations

import itertools
import json
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import torch
from diffusers import AutoencoderKLHunyuanVideo, HunyuanVideoFramepackTransformer3DModel
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors
from transformers import (
    CLIPTextConfig,
    CLIPTextModel,
    CLIPTokenizer,
    LlamaConfig,
    LlamaModel,
    PreTrainedTokenizerFast,
    SiglipImageProcessorPil,
    SiglipVisionConfig,
    SiglipVisionModel,
)

from framepack_engine.conditioning.image import (
    LATENT_CHANNELS,
    VAE_SCALING_FACTOR,
    VAE_SPATIAL_STRIDE,
    VAE_TIME_STRIDE,
)
from framepack_engine.conditioning.text import PROMPT_TEMPLATE
from framepack_engine.weights.layout import (
    FEATURE_EXTRACTOR,
    IMAGE_ENCODER,
    TEXT_ENCODER,
    TEXT_ENCODER_2,
    TINY_MARKER,
    TOKENIZER,
    TOKENIZER_2,
    TRANSFORMER_BASE,
    TRANSFORMER_F1,
    VAE,
    Component,
    component_dir,
)

# The encoders' widths must equal the transformer's text, pooled and image-projection dims.
TEXT_EMBED_DIM = 16
POOLED_PROJECTION_DIM = 8
IMAGE_PROJ_DIM = 16

_TOKENIZER_CORPUS = (
    PROMPT_TEMPLATE,
    "A cat walks on the grass, realistic.",
    "The girl dances gracefully, with clear movements, full of charm.",
    "A man in a red jacket turns his head and smiles at the camera, soft light.",
    "Waves crash on the rocks at sunset; 4 birds fly over the sea.",
)
_LLAMA_BOS = "<|begin_of_text|>"
_LLAMA_EOS = "<|end_of_text|>"
_LLAMA_PAD = "<pad>"
_LLAMA_SPECIAL_TOKENS = (
    _LLAMA_BOS,
    _LLAMA_EOS,
    "<|start_header_id|>",
    "<|end_header_id|>",
    "<|eot_id|>",
    _LLAMA_PAD,
)
# Llama 3's pre-tokenizer split (tiktoken-style).
_LLAMA3_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
_CLIP_BOS = "<|startoftext|>"
_CLIP_EOS = "<|endoftext|>"
_CLIP_END_OF_WORD = "</w>"


def write_tiny_model_set(root: Path, seed: int = 0) -> None:
    """Write the set to ``root`` (absent or an empty directory); same seed -> identical bytes."""
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"refusing to write a tiny model set into non-empty {root}")
    root.parent.mkdir(parents=True, exist_ok=True)
    # Build beside root and rename at the end, so a half-written set never looks complete.
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.", dir=root.parent))
    try:
        _write_components(staging, seed)
        marker = {"seed": seed, "generator": "framepack_engine tiny"}
        (staging / TINY_MARKER).write_text(json.dumps(marker, indent=2) + "\n")
        staging.chmod(0o755)
        staging.rename(root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_components(root: Path, seed: int) -> None:
    def out(component: Component) -> Path:
        return component_dir(root, component)

    llama_tokenizer = _llama_tokenizer()
    _save_declaring_class(llama_tokenizer, out(TOKENIZER), TOKENIZER.class_name)
    clip_tokenizer = _clip_tokenizer()
    clip_tokenizer.save_pretrained(out(TOKENIZER_2))
    # The real repo ships CLIP's classic vocab.json + merges.txt.
    clip_tokenizer.backend_tokenizer.model.save(str(out(TOKENIZER_2)))
    _siglip_processor().save_pretrained(out(FEATURE_EXTRACTOR))

    # Models draw their initial weights from torch's global generator: seed it once, privately,
    # and build in a fixed order (so base and F1 get different weights).
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        tiny_transformer().save_pretrained(out(TRANSFORMER_BASE))
        tiny_transformer().save_pretrained(out(TRANSFORMER_F1))
        _tiny_llama(llama_tokenizer).save_pretrained(out(TEXT_ENCODER))
        _tiny_clip_text(clip_tokenizer).save_pretrained(out(TEXT_ENCODER_2))
        tiny_vae().save_pretrained(out(VAE))
        _tiny_siglip().save_pretrained(out(IMAGE_ENCODER))


def tiny_transformer() -> Any:
    return HunyuanVideoFramepackTransformer3DModel(
        in_channels=LATENT_CHANNELS,
        out_channels=LATENT_CHANNELS,
        num_attention_heads=2,
        attention_head_dim=10,
        num_layers=1,
        num_single_layers=1,
        num_refiner_layers=1,
        patch_size=2,
        patch_size_t=1,
        guidance_embeds=True,
        text_embed_dim=TEXT_EMBED_DIM,
        pooled_projection_dim=POOLED_PROJECTION_DIM,
        rope_axes_dim=(2, 4, 4),  # sums to attention_head_dim
        image_condition_type=None,
        has_image_proj=True,
        image_proj_dim=IMAGE_PROJ_DIM,
        has_clean_x_embedder=True,
    )


def tiny_vae() -> Any:
    return AutoencoderKLHunyuanVideo(
        latent_channels=LATENT_CHANNELS,
        block_out_channels=(8, 8, 8, 8),
        layers_per_block=1,
        norm_num_groups=4,
        scaling_factor=VAE_SCALING_FACTOR,
        # The real compression: with four blocks this gives 3 spatial and 2 temporal downsamples.
        spatial_compression_ratio=VAE_SPATIAL_STRIDE,
        temporal_compression_ratio=VAE_TIME_STRIDE,
    )


def _tiny_llama(tokenizer: Any) -> Any:
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=TEXT_EMBED_DIM,
        intermediate_size=32,
        num_hidden_layers=3,  # the conditioning reads hidden state -3
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    return LlamaModel(config)


def _tiny_clip_text(tokenizer: Any) -> Any:
    config = CLIPTextConfig(
        vocab_size=len(tokenizer),
        hidden_size=POOLED_PROJECTION_DIM,
        intermediate_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        max_position_embeddings=77,
        bos_token_id=tokenizer.bos_token_id,
        # The pooled output is read at the first EOS token.
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    return CLIPTextModel(config)


def _tiny_siglip() -> Any:
    # 384 / 14 -> 27 x 27 = 729 patch tokens, as in the real SigLIP so400m.
    config = SiglipVisionConfig(
        hidden_size=IMAGE_PROJ_DIM,
        intermediate_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        image_size=384,
        patch_size=14,
    )
    return SiglipVisionModel(config)


def _siglip_processor() -> Any:
    # The real flux_redux_bfl settings: 384x384 bicubic, rescale 1/255, mean = std = 0.5.
    return SiglipImageProcessorPil(
        do_resize=True,
        size={"height": 384, "width": 384},
        resample=3,  # PIL bicubic
        do_rescale=True,
        rescale_factor=1 / 255,
        do_normalize=True,
        image_mean=[0.5, 0.5, 0.5],
        image_std=[0.5, 0.5, 0.5],
    )


def _byte_alphabet() -> list[str]:
    # Sorted: the library returns the byte-to-unicode alphabet in no fixed order.
    return sorted(pre_tokenizers.ByteLevel.alphabet())


def _learn_merges(words: list[list[str]]) -> list[tuple[str, str]]:
    """Plain BPE training: merge the most frequent adjacent pair until none is left.

    Ties go to the smallest pair, so the result is reproducible (the tokenizers library's
    trainer breaks ties in hash order, which changes from run to run).
    """
    word_counts = Counter(tuple(word) for word in words)
    merges: list[tuple[str, str]] = []
    while True:
        pair_counts: Counter[tuple[str, str]] = Counter()
        for symbols, count in word_counts.items():
            for pair in itertools.pairwise(symbols):
                pair_counts[pair] += count
        if not pair_counts:
            return merges
        best = min(pair_counts, key=lambda pair: (-pair_counts[pair], pair))
        merges.append(best)
        merged_counts: Counter[tuple[str, ...]] = Counter()
        for symbols, count in word_counts.items():
            merged_counts[_merge_pair(symbols, best)] += count
        word_counts = merged_counts


def _merge_pair(symbols: tuple[str, ...], pair: tuple[str, str]) -> tuple[str, ...]:
    merged: list[str] = []
    index = 0
    while index < len(symbols):
        if symbols[index : index + 2] == pair:
            merged.append(pair[0] + pair[1])
            index += 2
        else:
            merged.append(symbols[index])
            index += 1
    return tuple(merged)


def _vocab(tokens: list[str]) -> dict[str, int]:
    """Ids in first-seen order (two merges can spell the same token)."""
    return {token: index for index, token in enumerate(dict.fromkeys(tokens))}


def _llama_tokenizer() -> Any:
    """A byte-level BPE with Llama 3's split, special tokens and BOS-prepending post-processor."""
    pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(_LLAMA3_SPLIT), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    # Trained without the template's special tokens, which are added whole below.
    words = [
        list(piece)
        for text in _TOKENIZER_CORPUS
        for piece, _ in pre_tokenizer.pre_tokenize_str(_strip_special_tokens(text))
    ]
    merges = _learn_merges(words)
    vocab = _vocab(_byte_alphabet() + [left + right for left, right in merges])
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=merges, ignore_merges=True))
    tokenizer.pre_tokenizer = pre_tokenizer
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens(list(_LLAMA_SPECIAL_TOKENS))
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{_LLAMA_BOS} $A",
        pair=f"{_LLAMA_BOS} $A {_LLAMA_BOS} $B",
        special_tokens=[(_LLAMA_BOS, tokenizer.token_to_id(_LLAMA_BOS))],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=_LLAMA_BOS,
        eos_token=_LLAMA_EOS,
        pad_token=_LLAMA_PAD,
        padding_side="right",
        model_max_length=131072,
    )


def _strip_special_tokens(text: str) -> str:
    for token in _LLAMA_SPECIAL_TOKENS:
        text = text.replace(token, " ")
    return text


def _clip_tokenizer() -> Any:
    """CLIP's byte-level BPE: lower-cased, words end in </w>, specials at the top of the vocab."""
    # An empty CLIPTokenizer carries CLIP's own normalizer and pre-tokenizer.
    splitter = CLIPTokenizer().backend_tokenizer
    words = [
        [*piece[:-1], piece[-1] + _CLIP_END_OF_WORD]
        for text in _TOKENIZER_CORPUS
        for piece, _ in splitter.pre_tokenizer.pre_tokenize_str(
            splitter.normalizer.normalize_str(text)
        )
    ]
    merges = _learn_merges(words)
    alphabet = _byte_alphabet()
    vocab = _vocab(
        alphabet
        + [char + _CLIP_END_OF_WORD for char in alphabet]
        + [left + right for left, right in merges]
        + [_CLIP_BOS, _CLIP_EOS]
    )
    return CLIPTokenizer(vocab=vocab, merges=merges, model_max_length=77)


def _save_declaring_class(tokenizer: Any, directory: Path, class_name: str) -> None:
    """save_pretrained, then declare the tokenizer class the real repo declares."""
    tokenizer.save_pretrained(directory)
    config_path = directory / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config["tokenizer_class"] = class_name
    config_path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
