"""A local OpenAI-compatible FastChat stack (controller, model worker, API server).

FastChat 0.2.36 is the last release; :mod:`.compat` mends its two breakages with
current transformers and pydantic, :mod:`.stack` starts and stops exactly the
processes it launched, :mod:`.templates` picks the conversation template.
"""

from .stack import FastChatConfig, FastChatStack, StackState
from .templates import choose_conv_template

__all__ = ["FastChatConfig", "FastChatStack", "StackState", "choose_conv_template"]
