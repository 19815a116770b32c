# The course's commands. Students need two: `make lab` and `make test`.
# TF=cpu (default) installs tensorflow-cpu, TF=gpu installs tensorflow[and-cuda],
# TF=none keeps whatever TensorFlow the Python already has.

PYTHON ?= python3
VENV ?= .venv
TF ?= cpu
BIN := $(VENV)/bin
comma := ,
EXTRAS := lab,test,site$(if $(filter none,$(TF)),,$(comma)$(TF))
STAMP := $(VENV)/.installed-$(TF)
EXECUTED ?= executed
NOTEBOOKS ?=
# test-full runs these (a folder or notebook files)
FULL_NOTEBOOKS ?= notebooks/solutions
MODE ?= fast
# make site builds every notebook in full mode unless told MODE=fast (a quick preview)
SITE_MODE := $(if $(filter command line environment,$(origin MODE)),$(MODE),full)
SITE ?= site
LAB_ARGS ?=
# The course's own JupyterLab settings (overrides.json: no news pop-up, no update check);
# only `make lab` reads them, the user's Jupyter settings stay as they are.
LAB_SETTINGS := $(CURDIR)/.jupyter/lab/settings
# Jupyter refuses to start as root (containers, cloud VMs) unless told --allow-root.
LAB_ROOT = $(if $(filter 0,$(shell id -u)),--allow-root)
# bench runs these notebooks (numbers like "01 05"; empty: all) and writes to BENCH_OUTPUT
BENCH_NOTEBOOKS ?=
BENCH_OUTPUT ?= results/bench
BENCH_ARGS ?=
# SEEDS="1 2 3 4 5": bench runs each notebook once per seed instead (fresh data folder per run)
SEEDS ?=
SEEDS_OUTPUT ?= results/seeds
SEEDS_ARGS ?=
NBVAL := --nbval-lax --nbval-current-env --nbval-cell-timeout=900
# What the notebook tests set: fast mode, no live widgets, failed exercise checks raise.
TEST_ENV := COURSE_HEADLESS=1 COURSE_STRICT_CHECKS=1 MPLBACKEND=Agg

.PHONY: help install lab test test-unit test-notebooks test-full bench students execute site site-serve check clean

help:
	@echo "make lab         create .venv if missing, install, open the course in JupyterLab"
	@echo "make test        unit tests + every solution notebook in fast mode (nbval)"
	@echo "make test-full   every solution notebook in full mode; all quality checks must pass (FULL_NOTEBOOKS=... for some)"
	@echo "make bench       full-mode time to quality, peak memory, lecture recipes (BENCH_NOTEBOOKS='01 05'; BENCH_ARGS=--readme README.md)"
	@echo "                 SEEDS='1 2 3 4 5': each notebook once per seed, pass/fail and margins (SEEDS_ARGS=--readme README.md)"
	@echo "make students    regenerate student notebooks from notebooks/solutions/"
	@echo "make execute     run solution notebooks (MODE=fast|full, NOTEBOOKS='01 05') into $(EXECUTED)/"
	@echo "make site        the course as a website in $(SITE)/: executed notebooks (full mode; MODE=fast to preview), cached"
	@echo "make site-serve  serve $(SITE)/ at http://localhost:8000"
	@echo "make check       notebooks in sync, no outputs, titles, badges, setup cells, syntax"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "The course needs Python 3.10 or newer; this is " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	touch $@

install: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_ROOT) --LabApp.app_settings_dir="$(LAB_SETTINGS)" $(LAB_ARGS) notebooks/00_start_here.ipynb

test: $(STAMP)
	$(TEST_ENV) COURSE_MODE=fast $(BIN)/python -m pytest tests course_utils --doctest-modules notebooks/solutions $(NBVAL)

test-unit: $(STAMP)
	$(BIN)/python -m pytest tests course_utils --doctest-modules

test-notebooks: $(STAMP)
	$(TEST_ENV) COURSE_MODE=fast $(BIN)/python -m pytest notebooks/solutions $(NBVAL)

# Full mode: what an instructor runs (on a GPU runtime) before a course starts.
test-full: $(STAMP)
	@rm -rf results/full && mkdir -p results/full
	$(TEST_ENV) COURSE_MODE=full COURSE_RESULTS_DIR=$(CURDIR)/results/full $(BIN)/python -m pytest $(FULL_NOTEBOOKS) $(NBVAL); \
	status=$$?; $(BIN)/python -m course_utils.build report results/full; exit $$status

# A benchmark reports figures; it fails only when a notebook cannot run.
bench: $(STAMP)
ifeq ($(strip $(SEEDS)),)
	$(BIN)/python -m course_utils.build bench --output $(BENCH_OUTPUT) $(BENCH_ARGS) $(BENCH_NOTEBOOKS)
else
	$(BIN)/python -m course_utils.build seeds --seeds $(SEEDS) --output $(SEEDS_OUTPUT) $(SEEDS_ARGS) $(BENCH_NOTEBOOKS)
endif

students: $(STAMP)
	$(BIN)/python -m course_utils.build students

execute: $(STAMP)
	$(BIN)/python -m course_utils.build execute --mode $(MODE) --output $(EXECUTED) $(NOTEBOOKS)

# The website: executed solution notebooks (reused from results/site-cache/ when unchanged) built by MkDocs.
site: $(STAMP)
	$(BIN)/python -m course_utils.build site --mode $(SITE_MODE) --output $(SITE) $(NOTEBOOKS)

site-serve:
	$(BIN)/python -m http.server --directory $(SITE) 8000

check: $(STAMP)
	$(BIN)/python -m course_utils.build check

clean:
	rm -rf $(EXECUTED) results $(SITE) .pytest_cache
