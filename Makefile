# custq: `make run` opens the shell on the example data, `make test` runs every test.
# Both install what the build needs on a fresh Debian machine (libedit-dev, pkg-config).

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
EXAMPLES := examples/customers.csv examples/orders.csv examples/responses.json

.PHONY: run test build deps test-deps bench examples clean

deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libedit; then \
		echo "make: installing libedit-dev and pkg-config (apt-get)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libedit-dev pkg-config >/dev/null; \
	fi

# The terminal tests type into the real shell through tmux.
test-deps: deps
	@if ! command -v tmux >/dev/null 2>&1; then \
		echo "make: installing tmux (apt-get)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq tmux >/dev/null; \
	fi

build: deps
	$(SWIFT) build -c release

run: build
	.build/release/custq $(EXAMPLES)

# Unit and end-to-end tests, plus query results checked against DuckDB SQL (PyPI's duckdb,
# installed into tests/duckdb/.venv on first use): the examples, and segmentation on
# generated orders-only exports. The release build is what users run: the README's first
# session is typed into it (Tests/EndToEndTests/ReadmeSessionTests.swift).
test: test-deps
	$(SWIFT) build
	$(SWIFT) build -c release
	python3 tests/duckdb/check_queries.py examples .build/debug/custq
	python3 tests/duckdb/check_segments.py .build/debug/custq
	$(SWIFT) test

# Side-by-side load benchmark against DuckDB's CLI (installed from PyPI into bench/.venv).
bench: build
	bench/run.sh

# Regenerates the committed example data (deterministic: the same bytes every time).
examples: build
	.build/release/custq generate --customers 2000 --seed 42 --force examples

clean:
	rm -rf .build
