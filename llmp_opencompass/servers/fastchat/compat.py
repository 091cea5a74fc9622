"""Run-time fixes that let FastChat 0.2.36 work with pydantic 2 (and with transformers 5).

1. The API server streams chunks with pydantic-1 style ``.json(exclude_unset=...,
   ensure_ascii=False)``; pydantic 2 rejects ``ensure_ascii`` and the stream drops
   after the HTTP 200. ``BaseModel.json`` gets a compatible replacement. Needed in the
   environment the README installs (pydantic 2 comes with the ``openai`` SDK).
2. ``fastchat.utils.get_context_length`` reads ``config.rope_scaling["factor"]``; in
   transformers 5 ``rope_scaling`` holds the rope parameters without a "factor", so
   the model worker crashes at load. The replacement treats a missing factor as 1. The
   README's environment has transformers 4 (OpenCompass's HF classes need it), where
   the original works; the fix stays so that a transformers 5 environment works too.

Both must be applied before ``fastchat.serve.*`` is imported (see :mod:`.launch`).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["apply_all", "patch_context_length", "patch_pydantic_json"]

_FALLBACK_CONTEXT = 2048


def patch_context_length() -> None:
    """Replace ``fastchat.utils.get_context_length`` with a rope-parameters-tolerant one."""
    import fastchat.utils as fastchat_utils

    keys = tuple(fastchat_utils.SEQUENCE_LENGTH_KEYS)

    def get_context_length(config: Any) -> int:
        rope = getattr(config, "rope_scaling", None)
        factor = (rope.get("factor") if isinstance(rope, dict) else None) or 1
        for key in keys:
            value = getattr(config, key, None)
            if value is not None:
                return int(factor * value)
        return _FALLBACK_CONTEXT

    fastchat_utils.get_context_length = get_context_length


def patch_pydantic_json() -> None:
    """Give pydantic 2 models a ``.json()`` that accepts FastChat's pydantic-1 arguments."""
    import pydantic

    def compatible_json(self: pydantic.BaseModel, *, ensure_ascii: bool = False, **kwargs: Any) -> str:
        return json.dumps(self.model_dump(mode="json", **kwargs), ensure_ascii=ensure_ascii)

    pydantic.BaseModel.json = compatible_json  # type: ignore[method-assign,assignment]


def apply_all() -> None:
    """Apply every fix (idempotent)."""
    patch_context_length()
    patch_pydantic_json()
