"""Topic tagging: taxonomy (YAML, editable) and the tagger."""

from __future__ import annotations

from docsearch.tagging.tagger import Tagger, TaggerParams
from docsearch.tagging.taxonomy import Taxonomy, TaxonomyError, Topic, load_taxonomy

__all__ = ["Tagger", "TaggerParams", "Taxonomy", "TaxonomyError", "Topic", "get_tagger", "load_taxonomy"]


def get_tagger(path: str | None = None, embedder=None, cache=None) -> Tagger:
    from docsearch.config import get_settings
    from docsearch.index.embedders import get_embedder

    tax_path = path or get_settings().taxonomy
    return Tagger(load_taxonomy(tax_path), embedder=embedder or get_embedder(), cache=cache)
