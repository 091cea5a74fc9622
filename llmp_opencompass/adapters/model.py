"""``SimulacrumModel``: an OpenCompass API model that answers as a simulacrum of one character.

Thin: it turns OpenCompass prompts into chat messages, hands them to the simulacrum
of its method, and runs the items of a batch concurrently. The endpoint is any
OpenAI-compatible server; the API key is read from the environment at request
time (``api_key_env``), so it never appears in the config OpenCompass dumps.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from opencompass.models.base_api import BaseAPIModel
from opencompass.registry import MODELS
from opencompass.utils.prompt import PromptList

from ..data.store import HumanSimulacra
from ..errors import ConfigError
from ..llm import ConnectOptions, Endpoint, GenerationConfig, connect
from ..llm.openai_chat import OPENAI_DEFAULT_URL
from ..llm.types import DEFAULT_MAX_TOKENS, ChatMessage, ChatModel
from ..settings.connection import for_this_process
from ..simulacra import MethodOptions, Simulacrum, build_simulacrum, check_method, needs
from .item import ITEM_ROLE, parse_item
from .plain import from_plain
from .usage import prompt_key, usage_record

__all__ = ["SimulacrumModel", "split_prompt", "to_messages"]

_QUESTIONS_PER_SLOT = 4
"""Questions a batch works on at once per call slot (a question waits for slots between its rounds)."""

_UNLIMITED = 16
"""Questions' call slots assumed when the connection sets no limit."""
_BASE_OPTIONS = ("query_per_second", "max_seq_len", "meta_template", "generation_kwargs")
"""``BaseAPIModel`` options a config may set (OpenCompass's other model keys are its own)."""
_ROLES = {"SYSTEM": "system", "HUMAN": "user", "BOT": "assistant"}


def to_messages(prompt: PromptList | str | list) -> list[ChatMessage]:
    """OpenCompass's prompt (a string or a list of role/prompt dicts) as chat messages."""
    return split_prompt(prompt)[0]


def split_prompt(prompt: PromptList | str | list) -> tuple[list[ChatMessage], str]:
    """The chat messages of a prompt, and the text of its ``ITEM`` round ("" when it has none)."""
    if isinstance(prompt, str):
        return [ChatMessage("user", prompt)], ""
    messages, item = [], ""
    for part in prompt:
        name = str(part.get("role", "")).upper()
        if name == ITEM_ROLE:
            item = str(part.get("prompt", ""))
            continue
        role = _ROLES.get(name)
        if role is None:
            raise ValueError(f"unexpected prompt role {part.get('role')!r}; expected SYSTEM, HUMAN, BOT or {ITEM_ROLE}")
        messages.append(ChatMessage(role, str(part.get("prompt", ""))))  # type: ignore[arg-type]
    return messages, item


def _base_options(kwargs: dict[str, object]) -> dict[str, object]:
    options: dict[str, object] = {"query_per_second": 16.0, "max_seq_len": 8192, "generation_kwargs": {}}
    options.update({key: kwargs[key] for key in _BASE_OPTIONS if kwargs.get(key) is not None})
    return options


def _check_types(**options: tuple[object, type]) -> None:
    """A wrong option type in a config fails here, naming the option, not deep inside a task."""
    for name, (value, kind) in options.items():
        if kind is str:
            ok = isinstance(value, str)
        else:
            ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
        if not ok:
            what = "a" if kind is str else "a non-negative"
            raise ConfigError(f"SimulacrumModel option {name}={value!r} must be {what} {kind.__name__}")


@MODELS.register_module()
class SimulacrumModel(BaseAPIModel):
    """A character's simulacrum (``method``: blank, prompt, rag or macm) over an OpenAI-compatible endpoint.

    Args:
        path: the served model's name (``LLMP_MODEL``).
        character: the character's name, e.g. "Mary Jones".
        data_dir: the Human Simulacra ``Characters`` directory (resolved by the config builder).
        method: simulacrum method.
        verify_data: check the data files' SHA-256 against the manifest.
        extra_characters: character folders (``LLMP_EXTRA_CHARACTERS``) beside the dataset's.
        openai_api_base: base URL ending in ``/v1``; defaults to OpenAI.
        api_key_env: environment variable holding the API key, read per request.
        temperature: sampling temperature (0 unless configured).
        connection: :class:`~llmp_opencompass.llm.ConnectOptions` as a dict: retries, the call
            cache file and ``concurrency``, the LLM calls in flight at once, shared by all the
            models of a task process (``LLMP_CONCURRENCY``); a batch works on more questions
            than that at once, so that every slot stays busy while questions wait between rounds.
        options: :class:`~llmp_opencompass.simulacra.MethodOptions` as a dict (RAG and MACM).
        agent_model: MACM agents' served model (default: ``path``).
        agent_api_base: MACM agents' base URL (default: ``openai_api_base``).
        timeout: seconds per request.

    The usage of every answered prompt is kept until :meth:`pop_usage` takes it
    (``UsageGenInferencer`` does, to write it beside the prediction).
    """

    is_api: bool = True

    def __init__(
        self,
        path: str,
        character: str,
        data_dir: str,
        method: str = "prompt",
        verify_data: bool = True,
        extra_characters: list[str] | None = None,
        openai_api_base: str | None = None,
        api_key_env: str = "OPENAI_API_KEY",
        temperature: float = 0.0,
        connection: dict | None = None,
        options: dict | None = None,
        agent_model: str | None = None,
        agent_api_base: str | None = None,
        timeout: float = 300.0,
        **kwargs: object,
    ) -> None:
        self.connection = from_plain(ConnectOptions, connection, where="SimulacrumModel option 'connection'")
        super().__init__(path=path, retry=self.connection.retry.max_attempts, **_base_options(kwargs))
        _check_types(character=(character, str), data_dir=(data_dir, str), temperature=(temperature, float),
                     timeout=(timeout, float))  # fmt: skip
        self.method = check_method(method)
        self.character = character
        self.data_dir = Path(data_dir)
        self.verify_data = verify_data
        self.extra_characters = list(extra_characters or ())
        self.endpoint = Endpoint(
            model=path, base_url=openai_api_base or OPENAI_DEFAULT_URL, api_key_env=api_key_env, timeout=timeout
        )
        self.agent_endpoint = replace(
            self.endpoint, model=agent_model or path, base_url=agent_api_base or self.endpoint.base_url
        )
        self.options = from_plain(MethodOptions, options, where="SimulacrumModel option 'options'")
        self.temperature = temperature
        self.max_workers = self.connection.concurrency or _UNLIMITED
        self._simulacrum: Simulacrum | None = None
        self._lock = threading.Lock()
        self._usage: dict[str, list[dict]] = defaultdict(list)

    @property
    def simulacrum(self) -> Simulacrum:
        """Built on first use, in the task process (the character is loaded once)."""
        with self._lock:
            if self._simulacrum is None:
                self._simulacrum = self._build()
            return self._simulacrum

    def _build(self) -> Simulacrum:
        store = HumanSimulacra(self.data_dir, verify=self.verify_data, extra=self.extra_characters)
        character = store.character(self.character)
        wanted = needs(self.method)
        chat = self._chat(self.endpoint)
        return build_simulacrum(
            self.method,
            chat,
            character,
            story=store.story(character.name) if "story" in wanted else None,
            memory=store.memory(character.name) if "memory" in wanted else None,
            options=self.options,
            agent_chat=chat if self.agent_endpoint == self.endpoint else self._chat(self.agent_endpoint),
        )

    def _chat(self, endpoint: Endpoint) -> ChatModel:
        return connect(endpoint, for_this_process(self.connection, os.environ))

    def pop_usage(self, prompt: PromptList | str | list) -> dict | None:
        """The usage of an answered prompt ({calls, prompt_tokens, completion_tokens, rounds}), once."""
        key = prompt_key(*split_prompt(prompt))
        with self._lock:
            records = self._usage.get(key)
            return records.pop(0) if records else None

    def generate(
        self, inputs: list[PromptList | str], max_out_len: int = DEFAULT_MAX_TOKENS, **kwargs: object
    ) -> list[str]:
        """Answer every prompt of the batch; raises (never returns "") when the endpoint fails.

        A prompt's ``ITEM`` round (see :mod:`.item`) gives the stimulus and the sampling seed;
        a ``seed`` keyword (an int, e.g. from the bandwagon's ``SessionInferencer``) is the
        seed of prompts without one.
        """
        seed = kwargs.get("seed")
        config = GenerationConfig(
            temperature=self.temperature, max_tokens=int(max_out_len), seed=seed if isinstance(seed, int) else None
        )
        simulacrum = self.simulacrum
        questions = min(self.max_workers * _QUESTIONS_PER_SLOT, max(1, len(inputs)))
        with ThreadPoolExecutor(max_workers=questions) as pool:
            return list(pool.map(lambda prompt: self._answer(simulacrum, prompt, config), inputs))

    def _answer(self, simulacrum: Simulacrum, prompt: PromptList | str, config: GenerationConfig) -> str:
        messages, item_text = split_prompt(prompt)
        item = parse_item(item_text) if item_text else None
        if item is not None and item.seed is not None:
            config = replace(config, seed=item.seed)
        self.acquire()
        try:
            reply = simulacrum.respond(messages, config, item.stimulus if item else None)
        finally:
            self.release()
        with self._lock:
            self._usage[prompt_key(messages, item_text)].append(usage_record(reply))
        return reply.text
