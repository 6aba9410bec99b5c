# The two newcomer commands are `make dashboard` and `make test`.
VENV := .venv/bin
PORT ?= 8501

.PHONY: setup dashboard test etl lint bench bench-etl bench-dashboard evaluate clean

setup:
	./scripts/setup.sh

dashboard: setup
	$(VENV)/python -m etl --if-stale
	$(VENV)/streamlit run dashboard.py --server.headless true --server.address 127.0.0.1 \
		--server.port $(PORT) --browser.gatherUsageStats false

test:
	./scripts/setup.sh --test
	$(VENV)/python -m pytest

etl: setup
	$(VENV)/python -m etl

lint:
	$(VENV)/ruff check .

evaluate: setup
	$(VENV)/python -m etl.evaluate

bench:
	./scripts/setup.sh --bench
	$(VENV)/python -m benchmarks.etl
	$(VENV)/python -m benchmarks.dashboard

clean:
	rm -rf data/processed/* data/processed/.etl.lock benchmarks/out
