"""Any model served by a local FastChat stack on port 8000, as an endpoint preset.

The served model's name comes from ``LLMP_MODEL`` (the name given to, or derived by,
``llmp-opencompass fastchat up --model-path DIR [--model-name NAME]``).
"""

llmp_endpoint = dict(base_url='http://127.0.0.1:8000/v1')
