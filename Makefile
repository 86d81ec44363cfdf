# keydrill: `make run` runs the bundled drills, `make test` runs the tests. Both install what they
# need first (libedit-dev through apt-get, with sudo when not root).
SHELL := /bin/bash
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/release/keydrill

.PHONY: deps build test run bench clean

deps:
	@if ! pkg-config --exists libedit 2>/dev/null; then \
		echo "Installing libedit-dev (and pkg-config) with apt-get..."; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libedit-dev pkg-config; \
	fi

build: deps
	$(SWIFT) build -c release --static-swift-stdlib

test: deps
	@mkdir -p .build
	@set -o pipefail; $(SWIFT) test --disable-swift-testing 2>&1 | tee .build/test.log
	@awk '/Executed [0-9]+ tests?,/ { line = $$0 } END { \
		match(line, /Executed [0-9]+/); n = substr(line, RSTART + 9, RLENGTH - 9); \
		s = 0; if (match(line, /[0-9]+ tests? skipped/)) { s = substr(line, RSTART, RLENGTH) + 0 } \
		match(line, /with [0-9]+ failures?/); f = substr(line, RSTART + 5, RLENGTH - 5) + 0; \
		printf "tests: %d passed, %d failed, %d skipped\n", n - f - s, f, s }' .build/test.log

# The main job: every bundled drill, from an empty world each, with JUnit and Markdown reports.
run: build
	@mkdir -p .build/drills
	$(BIN) run runbooks/*.md --state .build/drills/state --junit .build/drills/junit.xml --report .build/drills/report.md --json .build/drills/results.json

bench: build
	./tools/bench.sh
	./tools/bench-scale.sh

clean:
	rm -rf .build
