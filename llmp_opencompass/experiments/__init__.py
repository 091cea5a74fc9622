"""Experiments beyond the self-report questionnaires, one subpackage each (pure; no OpenCompass):
``bandwagon`` (Asch conformity replication), ``jung`` and ``observer`` (observer report)."""
