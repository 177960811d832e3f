# custq: `make run` opens the shell on the example data, `make test` runs every test.
# Both install what the build needs on a fresh Debian machine (libedit-dev, zlib1g-dev,
# libpq-dev for the live PostgreSQL mode, pkg-config).

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
EXAMPLES := examples/customers.csv examples/orders.csv examples/responses.json

.PHONY: run test build deps test-deps sql-deps python-deps bench examples clean

# Python tools the tests check against (DuckDB, later lifetimes and others) live in one
# virtualenv outside the clone, so a fresh clone reuses it; it is rebuilt when
# tests/requirements.txt changes.
CACHE ?= $(if $(XDG_CACHE_HOME),$(XDG_CACHE_HOME),$(HOME)/.cache)/custq
VENV := $(CACHE)/venv
PYTHON := $(VENV)/bin/python
REQUIREMENTS_STAMP := $(VENV)/installed-$(shell cksum < tests/requirements.txt | cut -d' ' -f1)

deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libedit || ! pkg-config --exists zlib \
			|| ! pkg-config --exists libpq; then \
		echo "make: installing libedit-dev, zlib1g-dev, libpq-dev and pkg-config (apt-get)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libedit-dev zlib1g-dev libpq-dev pkg-config >/dev/null; \
	fi

# The terminal tests type into the real shell through tmux.
test-deps: deps
	@if ! command -v tmux >/dev/null 2>&1; then \
		echo "make: installing tmux (apt-get)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq tmux >/dev/null; \
	fi

# The SQL tests run custq's SQL on a PostgreSQL 15 cluster of their own (initdb, pg_ctl)
# and on Spark in local mode (pyspark from PyPI, in the virtualenv, runs on Java 17).
sql-deps:
	@if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then \
		echo "make: installing postgresql-15 (apt-get)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql-15 >/dev/null; \
	fi
	@if ! command -v java >/dev/null 2>&1; then \
		echo "make: installing openjdk-17-jre-headless (apt-get)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	fi

python-deps: $(REQUIREMENTS_STAMP)

$(REQUIREMENTS_STAMP): tests/requirements.txt
	@if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then \
		echo "make: installing python3-venv (apt-get)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv >/dev/null; \
	fi
	@echo "make: installing tests/requirements.txt from PyPI into $(VENV)"
	@[ -x $(PYTHON) ] || python3 -m venv $(VENV)
	@$(PYTHON) -m pip install -q --disable-pip-version-check -r tests/requirements.txt
	@rm -f $(VENV)/installed-* && touch $@

build: deps
	$(SWIFT) build -c release

run: build
	.build/release/custq $(EXAMPLES)

# Unit and end-to-end tests, plus query results checked against DuckDB SQL (PyPI's duckdb,
# in the virtualenv above): the examples, segmentation on generated orders-only exports,
# the orders model on line-item exports, and the conversion and text functions; and Excel workbooks written with openpyxl read
# back cell for cell; the predictive models against lifetimes and the published fits on CDNOW. The release build is what users run: the README's first session is typed into
# it (Tests/EndToEndTests/ReadmeSessionTests.swift).
test: test-deps sql-deps python-deps
	$(SWIFT) build
	$(SWIFT) build -c release
	$(PYTHON) tests/duckdb/check_queries.py examples .build/debug/custq
	$(PYTHON) tests/duckdb/check_segments.py .build/debug/custq
	$(PYTHON) tests/duckdb/check_functions.py .build/debug/custq
	$(PYTHON) tests/duckdb/check_orders.py .build/debug/custq
	$(PYTHON) tests/duckdb/check_periods.py .build/debug/custq
	$(PYTHON) tests/xlsx/check_workbooks.py .build/debug/custq
	$(PYTHON) tests/clv/check_cdnow.py .build/debug/custq
	$(PYTHON) tests/sql/check_sql.py .build/debug/custq
	$(SWIFT) test

# Side-by-side benchmark against DuckDB's CLI, and of workbook loads against python-calamine
# (both installed from PyPI into bench/.venv).
# The live PostgreSQL step needs the cluster and psycopg the SQL tests use.
bench: build sql-deps python-deps
	PYTHON=$(PYTHON) bench/run.sh

# Regenerates the committed example data (deterministic: the same bytes every time).
examples: build
	.build/release/custq generate --customers 2000 --seed 42 --force examples

clean:
	rm -rf .build
