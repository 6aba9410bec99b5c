# The two newcomer commands are `make dashboard` and `make test`.
VENV := .venv/bin
PORT ?= 8501

.PHONY: setup dashboard serve test test-fast etl lint bench bench-etl bench-dashboard evaluate clean official

# scripts/setup.sh installs uv.lock into .venv, and returns at once when it is installed already.
setup:
	./scripts/setup.sh

dashboard: setup
	$(VENV)/python -m etl --if-stale
	$(VENV)/streamlit run dashboard.py --server.headless true --server.address 127.0.0.1 \
		--server.port $(PORT) --browser.gatherUsageStats false

test:
	./scripts/setup.sh --test
	$(VENV)/python -m pytest

# No browser, no slow test: a couple of minutes. CI runs `make test` (everything).
test-fast:
	./scripts/setup.sh --test
	$(VENV)/python -m pytest -m "not browser and not slow"

etl: setup
	$(VENV)/python -m etl

# N replicas of the dashboard behind nginx with sticky sessions, on http://127.0.0.1:$(PORT) (see deploy/).
# Installs Debian's nginx when it is missing; Ctrl-C stops nginx and every replica.
REPLICAS ?= 2
serve: setup
	$(VENV)/python -m etl --if-stale
	$(VENV)/python scripts/serve.py --replicas $(REPLICAS) --port $(PORT)

lint:
	$(VENV)/ruff check .

evaluate: setup
	$(VENV)/python -m etl.evaluate --all

# Import official series (World Bank CSV or long layout): make official FILE=API_IT.NET.USER.ZS_DS2_en_csv_v2.csv
official: setup
	$(VENV)/python -m etl.official $(FILE)

# Benchmarks (see benchmarks/README.md). Quick mode: make bench BENCH_QUICK=--quick
# Sizes: make bench BENCH_ETL_SIZES=1,10 BENCH_STORE_SIZES=10k,1m
BENCH_ETL_SIZES ?= 1,10,100
BENCH_STORE_SIZES ?= 10k,1m,10m
BENCH_QUICK ?=
.PHONY: bench-browser bench-sessions bench-setup bench-compare

# The bench extra brings quantulum3 with its classifier (its model was pickled with scikit-learn 1.8.0).
bench-setup:
	./scripts/setup.sh --bench

# All five; the 100 MB ETL corpus and the 10M-row store make a full run take about an hour.
bench: bench-compare bench-etl bench-dashboard bench-browser bench-sessions

bench-etl: bench-setup
	$(VENV)/python -m benchmarks.etl $(BENCH_QUICK) $(if $(BENCH_QUICK),,--sizes $(BENCH_ETL_SIZES))

bench-dashboard: bench-setup
	$(VENV)/python -m benchmarks.dashboard $(BENCH_QUICK) $(if $(BENCH_QUICK),,--sizes $(BENCH_STORE_SIZES))

bench-browser: bench-setup
	$(VENV)/python -m benchmarks.browser $(BENCH_QUICK)

bench-sessions: bench-setup
	$(VENV)/python -m benchmarks.sessions $(BENCH_QUICK)

# Each figure beside the minimal reference app (benchmarks/reference_app), same instrument, one run.
bench-compare: bench-setup
	$(VENV)/python -m benchmarks.compare $(BENCH_QUICK)

clean:
	rm -rf data/processed/* data/processed/.etl.lock benchmarks/out
