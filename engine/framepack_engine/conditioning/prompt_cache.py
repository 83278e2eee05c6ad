"""An LRU cache of prompt embeddings: they are a pure function of (prompt, encoders)."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from framepack_engine.conditioning.text import PromptEmbeds, encode_prompt

if TYPE_CHECKING:
    from framepack_engine.weights.loader import ModelSet


class PromptCache:
    def __init__(self, models: ModelSet, capacity: int = 64) -> None:
        self._models = models
        self._capacity = capacity
        self._entries: OrderedDict[str, PromptEmbeds] = OrderedDict()
        self.encodings = 0  # how many times the text encoders actually ran

    def get(self, prompt: str) -> PromptEmbeds:
        cached = self._entries.get(prompt)
        if cached is not None:
            self._entries.move_to_end(prompt)
            return cached
        embeds = encode_prompt(self._models, prompt)
        self.encodings += 1
        self._entries[prompt] = embeds
        if len(self._entries) > self._capacity:
            self._entries.popitem(last=False)
        return embeds
