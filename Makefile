# docsearch — the two commands of the README: `make serve` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CORPUS ?=
DOCSEARCH_INDEX ?= indexes/default
export DOCSEARCH_INDEX

.PHONY: install serve ingest test lint fuzz bench load clean

# serving needs the package (and the OCR wrapper); the tests add the dev tools and the sentence-transformers
# extra (CPU torch), which the default install leaves out
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[ocr]'
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev,ocr,st,postgres,milvus]'
	touch $@

install: $(VENV)/.installed

ingest: install
	$(BIN)/docsearch ingest corpus $(CORPUS)

WORKERS ?= 1

serve: ingest
	@echo ""
	@echo "docsearch đang chạy: http://$(HOST):$(PORT)/   (tài liệu API: http://$(HOST):$(PORT)/docs)"
	@echo "  thêm văn bản:   $(BIN)/docsearch ingest THƯ_MỤC   (PDF, DOCX, DOC, ODT, RTF, HTML, TXT, ảnh quét)"
	@echo "  tạo tài khoản:  $(BIN)/docsearch user add TÊN --role editor   (để nạp, liên kết, xác nhận trên trang)"
	@echo ""
	$(BIN)/uvicorn api.main:app --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: $(VENV)/.installed-dev
	$(BIN)/ruff check docsearch api tests bench
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check docsearch api tests bench

fuzz: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q tests/reliability -k fuzz

bench: $(VENV)/.installed-dev
	cd bench && ../$(BIN)/python structure.py && ../$(BIN)/python parse_speed.py && ../$(BIN)/python quality.py && ../$(BIN)/python ingest.py && ../$(BIN)/python latency.py

load: $(VENV)/.installed-dev
	cd bench && ../$(BIN)/python load.py

clean:
	rm -rf $(VENV) indexes .pytest_cache
