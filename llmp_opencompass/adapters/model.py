"""``SimulacrumModel``: an OpenCompass API model that answers as a simulacrum of one character.

Thin: it turns OpenCompass prompts into chat messages, hands them to the simulacrum
of its method, and runs the items of a batch concurrently. The endpoint is any
OpenAI-compatible server; the API key is read from the environment at request
time (``api_key_env``), so it never appears in the config OpenCompass dumps.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from opencompass.models.base_api import BaseAPIModel
from opencompass.registry import MODELS
from opencompass.utils.prompt import PromptList

from ..data.store import HumanSimulacra
from ..llm import Endpoint, GenerationConfig, OpenAIChatModel, RetryingChatModel, RetryPolicy
from ..llm.openai_chat import OPENAI_DEFAULT_URL
from ..llm.types import ChatMessage
from ..simulacra import Simulacrum, build_simulacrum, check_method

__all__ = ["SimulacrumModel", "to_messages"]

_ROLES = {"SYSTEM": "system", "HUMAN": "user", "BOT": "assistant"}


def to_messages(prompt: PromptList | str | list) -> list[ChatMessage]:
    """OpenCompass's prompt (a string or a list of role/prompt dicts) as chat messages."""
    if isinstance(prompt, str):
        return [ChatMessage("user", prompt)]
    messages = []
    for item in prompt:
        role = _ROLES.get(str(item.get("role", "")).upper())
        if role is None:
            raise ValueError(f"unexpected prompt role {item.get('role')!r}; expected SYSTEM, HUMAN or BOT")
        messages.append(ChatMessage(role, str(item.get("prompt", ""))))  # type: ignore[arg-type]
    return messages


@MODELS.register_module()
class SimulacrumModel(BaseAPIModel):
    """A character's simulacrum (``method``: blank or prompt) over an OpenAI-compatible endpoint.

    Args:
        path: the served model's name (``LLMP_MODEL``).
        character: the character's name, e.g. "Mary Jones".
        data_dir: the Human Simulacra ``Characters`` directory (resolved by the config builder).
        method: simulacrum method.
        verify_data: check the data files' SHA-256 against the manifest.
        openai_api_base: base URL ending in ``/v1``; defaults to OpenAI.
        api_key_env: environment variable holding the API key, read per request.
        temperature: sampling temperature (0 unless configured).
        max_workers: items of a batch sent concurrently.
        retry: attempts per call for transient errors (429, 5xx, timeouts).
        timeout: seconds per request.
    """

    is_api: bool = True

    def __init__(
        self,
        path: str,
        character: str,
        data_dir: str,
        method: str = "prompt",
        verify_data: bool = True,
        openai_api_base: str | None = None,
        api_key_env: str = "OPENAI_API_KEY",
        temperature: float = 0.0,
        max_workers: int = 4,
        retry: int = 6,
        timeout: float = 300.0,
        query_per_second: float = 16.0,
        max_seq_len: int = 8192,
        meta_template: dict | None = None,
        generation_kwargs: dict | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(
            path=path,
            query_per_second=query_per_second,
            retry=retry,
            max_seq_len=max_seq_len,
            meta_template=meta_template,
            generation_kwargs=generation_kwargs or {},
        )
        self.method = check_method(method)
        self.character = character
        self.data_dir = Path(data_dir)
        self.verify_data = verify_data
        self.endpoint = Endpoint(
            model=path, base_url=openai_api_base or OPENAI_DEFAULT_URL, api_key_env=api_key_env, timeout=timeout
        )
        self.temperature = temperature
        self.max_workers = max(1, int(max_workers))
        self._simulacrum: Simulacrum | None = None
        self._lock = threading.Lock()

    @property
    def simulacrum(self) -> Simulacrum:
        """Built on first use, in the task process (the character is loaded once)."""
        with self._lock:
            if self._simulacrum is None:
                chat = RetryingChatModel(
                    OpenAIChatModel(self.endpoint),
                    RetryPolicy(max_attempts=max(1, int(self.retry))),
                    name=self.endpoint.base_url,
                )
                character = HumanSimulacra(self.data_dir, verify=self.verify_data).character(self.character)
                self._simulacrum = build_simulacrum(self.method, chat, character)
            return self._simulacrum

    def generate(self, inputs: list[PromptList | str], max_out_len: int = 512, **kwargs: object) -> list[str]:
        """Answer every prompt of the batch; raises (never returns "") when the endpoint fails."""
        config = GenerationConfig(temperature=self.temperature, max_tokens=int(max_out_len))
        simulacrum = self.simulacrum
        with ThreadPoolExecutor(max_workers=min(self.max_workers, max(1, len(inputs)))) as pool:
            return list(pool.map(lambda prompt: self._answer(simulacrum, prompt, config), inputs))

    def _answer(self, simulacrum: Simulacrum, prompt: PromptList | str, config: GenerationConfig) -> str:
        self.acquire()
        try:
            return simulacrum.respond(to_messages(prompt), config).text
        finally:
            self.release()
