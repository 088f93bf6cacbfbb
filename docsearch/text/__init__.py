"""Text helpers shared by every stage: the Vietnamese vocabulary of policy documents (vocabulary.py)."""
