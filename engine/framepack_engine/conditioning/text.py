"""Prompt conditioning: Llama hidden states and CLIP pooled output (docs/framepack.md §4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch

if TYPE_CHECKING:
    from framepack_engine.weights.loader import ModelSet

# HunyuanVideo's prompt template (diffusers' DEFAULT_PROMPT_TEMPLATE); "{}" is the user prompt.
PROMPT_TEMPLATE = (
    "<|start_header_id|>system<|end_header_id|>\n\n"
    "Describe the video by detailing the following aspects: "
    "1. The main content and theme of the video."
    "2. The color, shape, size, texture, quantity, text, and spatial relationships of the objects."
    "3. Actions, events, behaviors temporal relationships, physical movement changes "
    "of the objects."
    "4. background environment, light, style and atmosphere."
    "5. camera angles, movements, and transitions used in the video:<|eot_id|>"
    "<|start_header_id|>user<|end_header_id|>\n\n{}<|eot_id|>"
)
PROMPT_PLACEHOLDER = "{}"

LLAMA_MAX_PROMPT_TOKENS = 256
LLAMA_PADDED_TOKENS = 512
# HunyuanVideo conditions on the third-to-last hidden state, not the final one.
LLAMA_HIDDEN_STATE_INDEX = -3
CLIP_MAX_TOKENS = 77


@dataclass(frozen=True)
class PromptEmbeds:
    """Prompt conditioning for the transformer, on the text encoders' device and dtype."""

    llama: torch.Tensor  # (1, 512, D): D = 4096 for the real Llama, zeros past the mask
    llama_mask: torch.Tensor  # (1, 512) bool: True on the prompt's real tokens, a prefix
    clip_pooled: torch.Tensor  # (1, P): P = 768 for CLIP-L


def template_crop_start(tokenizer: Any) -> int:
    """Token count of the template before the prompt, BOS included (diffusers pins 95 for the
    real tokenizer); the prompt's embeddings start at this index."""
    prefix = PROMPT_TEMPLATE[: PROMPT_TEMPLATE.index(PROMPT_PLACEHOLDER)]
    return len(tokenizer(prefix).input_ids)


def encode_prompt(models: ModelSet, prompt: str) -> PromptEmbeds:
    llama, llama_mask = _encode_llama(models, prompt)
    return PromptEmbeds(
        llama=llama, llama_mask=llama_mask, clip_pooled=_encode_clip(models, prompt)
    )


@torch.no_grad()
def _encode_llama(models: ModelSet, prompt: str) -> tuple[torch.Tensor, torch.Tensor]:
    tokenizer = models.tokenizer()
    crop_start = template_crop_start(tokenizer)
    tokens = tokenizer(
        PROMPT_TEMPLATE.format(prompt),
        max_length=LLAMA_MAX_PROMPT_TOKENS + crop_start,
        truncation=True,
        padding="max_length",
        # The crop below assumes the real tokens come first.
        padding_side="right",
        return_tensors="pt",
    )
    real_length = int(tokens.attention_mask.sum())
    outputs = models.text_encoder()(
        input_ids=tokens.input_ids.to(models.device),  # (1, 256 + crop_start)
        attention_mask=tokens.attention_mask.to(models.device),
        output_hidden_states=True,
    )
    hidden = outputs.hidden_states[LLAMA_HIDDEN_STATE_INDEX]  # (1, 256 + crop_start, D)
    prompt_hidden = hidden[:, crop_start:real_length]  # (1, L, D), L <= 256

    length = prompt_hidden.shape[1]
    llama = hidden.new_zeros((1, LLAMA_PADDED_TOKENS, hidden.shape[2]))  # (1, 512, D)
    llama[:, :length] = prompt_hidden
    llama_mask = torch.zeros((1, LLAMA_PADDED_TOKENS), dtype=torch.bool, device=hidden.device)
    llama_mask[:, :length] = True
    return llama, llama_mask


@torch.no_grad()
def _encode_clip(models: ModelSet, prompt: str) -> torch.Tensor:
    tokens = models.tokenizer_2()(
        prompt,
        max_length=CLIP_MAX_TOKENS,
        truncation=True,
        padding="max_length",
        return_tensors="pt",
    )
    outputs = models.text_encoder_2()(input_ids=tokens.input_ids.to(models.device))  # (1, 77)
    pooled: torch.Tensor = outputs.pooler_output  # (1, P)
    return pooled
