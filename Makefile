# keydrill: `make run` runs the bundled drills, `make test` runs the tests. Both install what they
# need first (libedit-dev through apt-get, with sudo when not root).
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
	$(SWIFT) test

run: build
	@echo "== keydrill tour (examples/tour.keydrill) =="
	$(BIN) --ephemeral < examples/tour.keydrill

bench: build
	./tools/bench.sh

clean:
	rm -rf .build
