"""What every experiment's config builder shares: the run's settings, data and characters, the
simulacrum models, the chat inference config and the infer/eval stages.

A config cannot call a function it imports (mmengine parses such configs lazily), so the
configs reach each experiment's ``build`` through ``__import__``. Every ``type`` here is a
dotted path string: it survives OpenCompass's dump of the config and is resolved in the
task subprocesses without any registry. Nothing here imports OpenCompass, so a config
parses quickly.

Layout of a run: one model per (method, character), all the models of a method sharing
the abbr ``<method>-<served model>`` so that the summary has one column per method;
``model_dataset_combinations`` pairs each character's models with that character's
datasets only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..data.records import Character
from ..data.store import HumanSimulacra
from ..errors import ConfigError
from ..llm.cache import check_call_cache
from ..names import model_abbr
from ..settings.data import open_data
from ..settings.run import DEFAULT_PROGRESS_INTERVAL, RunSettings
from ..simulacra import check_method
from .item import ITEM_ROLE
from .launch import GROUPED_PARTITIONER, keep_stages_under_launchers
from .plain import to_plain

__all__ = [
    "API_META_TEMPLATE",
    "RunContext",
    "assemble",
    "chat_infer_cfg",
    "model_config",
    "prepare",
    "select_characters",
    "stage",
    "with_endpoint",
]

_OC = "opencompass"
_HERE = __package__  # llmp_opencompass.adapters
API_META_TEMPLATE = dict(
    round=[dict(role="HUMAN", api_role="HUMAN"), dict(role="BOT", api_role="BOT", generate=True)],
    reserved_roles=[dict(role="SYSTEM", api_role="SYSTEM"), dict(role=ITEM_ROLE, api_role=ITEM_ROLE)],
)


def select_characters(store: HumanSimulacra, names: Sequence[str]) -> tuple[Character, ...]:
    """The requested characters (all when ``names`` is empty), in the requested order."""
    if not names:
        return store.characters()
    chosen: dict[str, Character] = {}
    for name in names:
        character = store.character(name)  # unknown names raise with the valid ones listed
        chosen.setdefault(character.name, character)
    return tuple(chosen.values())


@dataclass(frozen=True)
class RunContext:
    """Everything a builder needs, read once from the environment."""

    methods: tuple[str, ...]
    """Simulacrum methods, one summary column each."""
    settings: RunSettings
    """Endpoint and run settings."""
    characters: tuple[Character, ...]
    """Characters to evaluate."""
    data: dict = field(default_factory=dict)
    """Config keys locating the data (``data_dir``, ``verify_data``, ``extra_characters``) for datasets and models."""


def with_endpoint(environ: Mapping[str, str], endpoint: Mapping[str, str] | None) -> Mapping[str, str]:
    """``environ`` with an endpoint preset (``configs/models/*.py``) applied over it.

    A preset has ``base_url`` and optionally ``model``; without ``model``, ``LLMP_MODEL``
    still names the served model.
    """
    if not endpoint:
        return environ
    unknown = set(endpoint) - {"base_url", "model"}
    if unknown:
        raise ConfigError(f"unknown keys {sorted(unknown)} in an endpoint preset; it takes base_url and model")
    preset = {"OPENAI_BASE_URL": endpoint.get("base_url"), "LLMP_MODEL": endpoint.get("model")}
    return {**environ, **{k: v for k, v in preset.items() if v}}


def prepare(
    methods: str | Sequence[str],
    environ: Mapping[str, str] | None = None,
    endpoint: Mapping[str, str] | None = None,
) -> RunContext:
    """Validate the methods, read the settings, locate (or download) the data, pick the characters."""
    env = with_endpoint(os.environ if environ is None else environ, endpoint)
    methods = (methods,) if isinstance(methods, str) else tuple(methods)
    for method in methods:
        check_method(method)
    settings = RunSettings.from_environment(env)
    _check_call_cache(settings)
    store = open_data(env)  # downloads at first use
    data = dict(
        data_dir=str(store.characters_dir),
        verify_data=store.verify,
        extra_characters=[str(p) for p in store.extra_dirs],
    )
    return RunContext(methods, settings, select_characters(store, settings.characters), data)


def _check_call_cache(settings: RunSettings) -> None:
    """Check the call cache once at parse time: a corrupt one is moved aside here, with one warning,
    and one that cannot be opened fails the config with one clear error, before any task starts.
    A missing one is not created here (tasks inside a Slurm job write shards instead)."""
    if settings.connection.cache_file is not None:
        check_call_cache(settings.connection.cache_file)


def assemble(
    run: RunContext,
    per_character: Mapping[Character, list[dict]],
    summarizer: dict,
    *,
    eval_calls_endpoint: bool = False,
) -> dict:
    """A run's config keys: each character's models (one per method) meet only its datasets.

    The evaluation is one task, run in the ``opencompass`` process (:mod:`.runner`): a task
    process would spend more time importing than evaluating. An evaluator that calls an
    endpoint (``eval_calls_endpoint``: an LLM judge) gets parallel task processes, as inference.
    In the ``opencompass`` command, the stages are also kept under ``--slurm`` / ``--dlc``
    (see :mod:`.launch`)."""
    from .config_dump import dump_unformatted  # mmengine is loaded: this runs inside Config.fromfile

    dump_unformatted()
    keep_stages_under_launchers()
    combinations = [
        dict(models=[model_config(m, c, run) for m in run.methods], datasets=datasets)
        for c, datasets in per_character.items()
    ]
    return dict(
        datasets=[d for comb in combinations for d in comb["datasets"]],
        models=[m for comb in combinations for m in comb["models"]],
        model_dataset_combinations=combinations,
        summarizer=summarizer,
        infer=stage(
            f"{_HERE}.infer_task.ConcurrentInferTask", run.settings.task_workers, run.settings.progress_interval
        ),
        eval=stage(
            f"{_HERE}.eval_task.IsolatedEvalTask",
            run.settings.task_workers if eval_calls_endpoint else 1,
            in_process=not eval_calls_endpoint,
        ),
    )


def chat_infer_cfg(run: RunContext) -> dict:
    """Inference of a (``system``, ``item``, ``prompt``) row: the scene as a SYSTEM round (HUMAN for
    models without one), the item (stimulus and seed, see :mod:`.item`) as the ``SimulacrumModel``'s
    ITEM round, the question as HUMAN; ``UsageGenInferencer`` keeps each answer's LLM usage."""
    return dict(
        prompt_template=dict(
            type=f"{_OC}.openicl.icl_prompt_template.PromptTemplate",
            template=dict(
                begin=[
                    dict(role="SYSTEM", fallback_role="HUMAN", prompt="{system}"),
                    dict(role=ITEM_ROLE, prompt="{item}"),
                ],
                round=[dict(role="HUMAN", prompt="{prompt}"), dict(role="BOT", prompt="")],
            ),
        ),
        retriever=dict(type=f"{_OC}.openicl.icl_retriever.ZeroRetriever"),
        inferencer=dict(type=f"{_HERE}.usage.UsageGenInferencer", max_out_len=run.settings.max_out_len),
    )


def model_config(method: str, character: Character, run: RunContext) -> dict:
    """The ``SimulacrumModel`` config of one (method, character); abbr shared by the method."""
    settings = run.settings
    concurrency = settings.connection.concurrency or 1
    config = dict(
        type=f"{_HERE}.model.SimulacrumModel",
        abbr=model_abbr(method, settings.model),
        path=settings.model,
        method=method,
        character=character.name,
        **run.data,
        openai_api_base=settings.base_url,
        api_key_env="OPENAI_API_KEY",
        temperature=settings.temperature,
        connection=to_plain(settings.connection),
        meta_template=API_META_TEMPLATE,
        max_out_len=settings.max_out_len,
        batch_size=max(8, concurrency),
        run_cfg=dict(num_gpus=0),
    )
    if method != "blank":  # the persona's options concern prompt, RAG and MACM
        config["options"] = to_plain(settings.options)
    if method == "macm":
        config.update(agent_model=settings.agent_model or None, agent_api_base=settings.agent_base_url or None)
    return config


def stage(task: str, workers: int, progress_interval: float = 0.0, *, in_process: bool = False) -> dict:
    """``infer``/``eval`` settings running ``task`` (a class name in ``opencompass.tasks`` or a
    dotted path) in ``workers`` parallel tasks that share all the model/dataset pairs
    (see :mod:`.partitioner`: task start-up dominates small runs); with a ``progress_interval``,
    the runner prints the answers so far and the time left that often (:mod:`.progress_runner`);
    ``in_process``: in the ``opencompass`` process, one after another (:mod:`.runner`). Under
    ``--slurm`` / ``--dlc`` OpenCompass swaps the runner and ``--max-num-workers`` sets
    ``workers`` (see :mod:`.launch`)."""
    task_type = task if "." in task else f"{_OC}.tasks.{task}"
    runner = dict(type=f"{_OC}.runners.LocalRunner", max_num_workers=workers, task=dict(type=task_type))
    if in_process:
        runner["type"] = f"{_HERE}.runner.InProcessRunner"
    elif progress_interval > 0:
        runner["type"] = f"{_HERE}.progress_runner.ProgressLocalRunner"
    if progress_interval > 0 and progress_interval != DEFAULT_PROGRESS_INTERVAL:
        # only then: `opencompass --slurm` swaps the runner's type and keeps its other keys
        runner["progress_interval"] = progress_interval
    return dict(partitioner=dict(type=GROUPED_PARTITIONER, num_worker=workers), runner=runner)
