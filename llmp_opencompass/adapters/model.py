"""``SimulacrumModel``: an OpenCompass API model that answers as a simulacrum of one character.

Thin: it turns OpenCompass prompts into chat messages, hands them to the simulacrum
of its method, and runs the items of a batch concurrently. The endpoint is any
OpenAI-compatible server; the API key is read from the environment at request
time (``api_key_env``), so it never appears in the config OpenCompass dumps.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from opencompass.models.base_api import BaseAPIModel
from opencompass.registry import MODELS
from opencompass.utils.prompt import PromptList

from ..data.store import HumanSimulacra
from ..errors import ConfigError
from ..llm import Endpoint, GenerationConfig, RetryPolicy, connect, shared_slots
from ..llm.openai_chat import OPENAI_DEFAULT_URL
from ..llm.types import ChatMessage, ChatModel
from ..retrieval import ChunkingConfig
from ..simulacra import MethodOptions, Simulacrum, build_simulacrum, check_method, needs
from .usage import prompt_key, usage_record

__all__ = ["SimulacrumModel", "to_messages"]

_QUESTIONS_PER_SLOT = 4
"""Questions a batch works on at once per call slot (a question waits for slots between its rounds)."""

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


def _check_options(**options: tuple[object, type]) -> None:
    """A wrong option type in a config fails here, naming the option, not deep inside a task."""
    for name, (value, kind) in options.items():
        if kind is str:
            ok = isinstance(value, str)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            ok = False
        else:
            ok = (kind is float or isinstance(value, int)) and value >= 0
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
        max_workers: LLM calls in flight at once, shared by all the models of a task process
            (``LLMP_CONCURRENCY``); a batch works on more questions than that at once, so that
            every slot stays busy while questions wait between their rounds.
        retry: attempts per call for transient errors (429, 5xx, timeouts).
        retry_max_wait: longest wait between attempts, in seconds.
        cache_path: SQLite file of the persistent call cache; None disables it.
        timeout: seconds per request.
        agent_model: MACM agents' served model (default: ``path``).
        agent_api_base: MACM agents' base URL (default: ``openai_api_base``).
        rag_k, chunk_size, chunk_overlap, embedder, embedding_api_base, retrieval, memory_k,
        page_tokens, agent_max_tokens, index_cache_dir: RAG/MACM options (see ``MethodOptions``).

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
        max_workers: int = 4,
        retry: int = 6,
        retry_max_wait: float = 60.0,
        cache_path: str | None = None,
        timeout: float = 300.0,
        query_per_second: float = 16.0,
        max_seq_len: int = 8192,
        meta_template: dict | None = None,
        generation_kwargs: dict | None = None,
        agent_model: str | None = None,
        agent_api_base: str | None = None,
        rag_k: int = 3,
        chunk_size: int = 512,
        chunk_overlap: int = 32,
        embedder: str = "minilm",
        embedding_api_base: str | None = None,
        retrieval: str = "llm",
        memory_k: int = 2,
        page_tokens: int = 3000,
        agent_max_tokens: int = 128,
        index_cache_dir: str | None = None,
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
        _check_options(
            character=(character, str), data_dir=(data_dir, str), temperature=(temperature, float),
            max_workers=(max_workers, int), retry=(retry, int), retry_max_wait=(retry_max_wait, float),
            timeout=(timeout, float),
        )  # fmt: skip
        self.method = check_method(method)
        self.character = character
        self.data_dir = Path(data_dir)
        self.verify_data = verify_data
        self.extra_characters = list(extra_characters or ())
        self.endpoint = Endpoint(
            model=path, base_url=openai_api_base or OPENAI_DEFAULT_URL, api_key_env=api_key_env, timeout=timeout
        )
        self.agent_endpoint = Endpoint(
            model=agent_model or path,
            base_url=agent_api_base or self.endpoint.base_url,
            api_key_env=api_key_env,
            timeout=timeout,
        )
        self.options = MethodOptions(
            rag_k=rag_k,
            chunking=ChunkingConfig(chunk_size, chunk_overlap),
            embedder=embedder,
            embedding_base_url=embedding_api_base or self.endpoint.base_url,
            retrieval=retrieval,  # type: ignore[arg-type]  # validated by MethodOptions
            memory_k=memory_k,
            page_tokens=page_tokens,
            agent_max_tokens=agent_max_tokens,
            index_cache_dir=Path(index_cache_dir) if index_cache_dir else None,
        )
        self.retry_policy = RetryPolicy(max_attempts=max(1, int(retry)), max_wait=float(retry_max_wait))
        self.cache_path = Path(cache_path) if cache_path else None
        self.temperature = temperature
        self.max_workers = max(1, int(max_workers))
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
        return connect(endpoint, policy=self.retry_policy, cache=self.cache_path, slots=shared_slots(self.max_workers))

    def pop_usage(self, prompt: PromptList | str | list) -> dict | None:
        """The usage of an answered prompt ({calls, prompt_tokens, completion_tokens, rounds}), once."""
        key = prompt_key(to_messages(prompt))
        with self._lock:
            records = self._usage.get(key)
            return records.pop(0) if records else None

    def generate(self, inputs: list[PromptList | str], max_out_len: int = 512, **kwargs: object) -> list[str]:
        """Answer every prompt of the batch; raises (never returns "") when the endpoint fails.

        A ``seed`` keyword (an int, e.g. from the bandwagon's ``SessionInferencer``) is sent
        to the endpoint as the sampling seed.
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
        self.acquire()
        try:
            messages = to_messages(prompt)
            reply = simulacrum.respond(messages, config)
        finally:
            self.release()
        with self._lock:
            self._usage[prompt_key(messages)].append(usage_record(reply))
        return reply.text
