"""Make your own characters: profile, biography, life story, questionnaire, memory (pure core)."""
