"""What plan runners share across plans: the one model set and the state built on it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framepack_engine.conditioning.prompt_cache import PromptCache
from framepack_engine.lora import LoraManager, LoraSpec
from framepack_engine.protocol_types import LoraEntry
from framepack_engine.weights.loader import ModelSet, TransformerVariant


@dataclass
class EngineRuntime:
    models: ModelSet
    prompts: PromptCache = field(init=False)
    _loras: dict[TransformerVariant, LoraManager] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.prompts = PromptCache(self.models)

    def transformer(self, variant: TransformerVariant, loras: Sequence[LoraEntry] = ()) -> Any:
        """The variant's transformer with exactly this LoRA stack merged.

        Switching stacks restores the kept original weights and merges the new ones; the
        base model is never reloaded. A bad file raises LoraError, model untouched.
        """
        model = self.models.transformer(variant)
        manager = self._loras.get(variant)
        if manager is None:
            manager = self._loras[variant] = LoraManager(model)
        manager.apply([LoraSpec(Path(lora["path"]), float(lora["scale"])) for lora in loras])
        return model

    def active_loras(self) -> dict[str, list[dict[str, object]]]:
        return {
            variant: [{"path": str(spec.path), "scale": spec.scale} for spec in manager.active]
            for variant, manager in self._loras.items()
        }
