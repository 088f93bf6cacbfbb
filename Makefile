PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CORPUS ?=
export DOCSEARCH_INDEX ?= indexes/default

.PHONY: install serve ingest test lint bench clean

$(BIN)/docsearch: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,ocr,st]'
	touch $(BIN)/docsearch

install: $(BIN)/docsearch

ingest: install
	$(BIN)/docsearch ingest corpus $(CORPUS)

serve: ingest
	$(BIN)/uvicorn api.main:app --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check docsearch api tests bench
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check docsearch api tests bench

bench: install
	$(BIN)/python bench/parse_speed.py
	$(BIN)/python bench/quality.py

clean:
	rm -rf $(VENV) indexes .pytest_cache
