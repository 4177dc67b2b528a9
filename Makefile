# compose_core developer tasks. `make help` lists them.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST ?= $(BIN)/pytest
PYTEST_ARGS ?= -q
RUFF ?= $(BIN)/ruff
LINT_PATHS := compose_core tests bench
# `make install` reruns pip only when the packaging files change.
INSTALL_STAMP := $(VENV)/.compose-core-installed

.DEFAULT_GOAL := help
.PHONY: help install bytecode golden engine images refs test test-unit test-integration test-acceptance \
	lint format bench clean distclean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "} {printf "  %-18s %s\n", $$1, $$2}'

install: $(INSTALL_STAMP) ## create the venv and install the package with its test extras

$(INSTALL_STAMP): setup.py pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[test]'
	touch $@

bytecode: install ## compile the package, so commands start fast even with PYTHONDONTWRITEBYTECODE
	$(BIN)/python -m compileall -q compose_core >/dev/null

engine: ## make sure a Docker engine answers (installs and starts dockerd if needed)
	bash scripts/ensure-engine.sh

images: engine ## build the local test base images that are missing
	bash scripts/base-images.sh

.PHONY: registry
registry: engine ## start the local image registries (open and htpasswd) on 127.0.0.1
	bash scripts/registry.sh

refs: ## install the reference tools the benchmarks compare against
	PYTHON=$(PYTHON) bash scripts/ensure-refs.sh

test: bytecode images lint ## lint, then the whole test suite
	$(PYTEST) $(PYTEST_ARGS) tests

test-unit: install ## unit tests only (no engine needed)
	$(PYTEST) $(PYTEST_ARGS) tests/unit

test-integration: install images ## integration tests against the real engine
	$(PYTEST) $(PYTEST_ARGS) tests/integration

test-acceptance: install images ## acceptance tests driving the installed CLI
	$(PYTEST) $(PYTEST_ARGS) tests/acceptance

lint: install ## ruff lint and format check
	$(RUFF) check $(LINT_PATHS)
	$(RUFF) format --check $(LINT_PATHS)

format: install ## ruff format and safe fixes, in place
	$(RUFF) check --fix $(LINT_PATHS)
	$(RUFF) format $(LINT_PATHS)

bench: bytecode images refs binary ## compare speed and memory with the reference tools
	$(BIN)/python bench/run.py $(BENCH_ARGS)

golden: refs ## rewrite the expected `config` outputs from Compose v2
	bash scripts/golden.sh

clean: ## remove caches and build output (keeps the venv and .refs)
	rm -rf build dist .pytest_cache .ruff_cache .mypy_cache *.egg-info
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -not -path './.refs/*' \
		-prune -exec rm -rf {} +

# ---------------------------------------------------------------- distribution
# The version lives in compose_core/__init__.py only.
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' compose_core/__init__.py)
BINARY := dist/docker-compose-Linux-x86_64
BUILD_VENV ?= build/venv
BASE_IMAGE ?= compose-core-build-base:bookworm-py311-2
IMAGE_NAME ?= compose-core
WHEELHOUSE := build/wheelhouse

.PHONY: binary base-image wheelhouse image dist completions release

binary: ## the static one-file binary dist/docker-compose-Linux-x86_64 (PyInstaller + staticx)
	PYTHON=$(PYTHON) BUILD_VENV=$(BUILD_VENV) OUTPUT=$(BINARY) sh release/build-binary.sh

base-image: engine ## the local base image of the Dockerfile's build stage, made when its tag is missing
	BASE_IMAGE=$(BASE_IMAGE) sh release/base-image.sh

wheelhouse: install ## the wheels the image's build stage installs offline
	$(BIN)/pip wheel -q -w $(WHEELHOUSE) -r release/requirements-build.txt setuptools wheel .

image: base-image wheelhouse ## the FROM-scratch image compose-core:VERSION and compose-core:latest
	docker build -q --build-arg BASE_IMAGE=$(BASE_IMAGE) \
		-t $(IMAGE_NAME):$(VERSION) -t $(IMAGE_NAME):latest .
	docker image ls $(IMAGE_NAME):$(VERSION)

dist: install ## the wheel and the sdist in dist/
	$(BIN)/python -m build --version >/dev/null 2>&1 || $(BIN)/pip install -q build==1.6.1
	$(BIN)/python -m build -q --wheel --sdist --outdir dist .

completions: install ## the completion scripts for bash, zsh and fish in build/completions/
	mkdir -p build/completions
	$(BIN)/docker-compose completion bash > build/completions/docker-compose.bash
	$(BIN)/docker-compose completion zsh > build/completions/_docker-compose
	$(BIN)/docker-compose completion fish > build/completions/docker-compose.fish

release: binary image dist completions ## release/VERSION/: binary, sha256, wheel, sdist, run.sh, completions, image tarball
	VERSION=$(VERSION) IMAGE_NAME=$(IMAGE_NAME) BINARY=$(BINARY) sh release/collect.sh

distclean: clean ## also remove the venv and .refs
	rm -rf $(VENV) .refs
