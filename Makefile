# nnviz: `make run` renders the samples into output/, `make test` runs the whole test suite.
# Both first install the system libraries that are missing (Debian packages; run as root or with sudo).

SWIFT    ?= swift
APT_DEPS := libgraphviz-dev libcairo2-dev libopenblas-dev fonts-dejavu-core
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE  := $(SWIFT) build -c release

.PHONY: deps build run test bench clean

deps:
	@missing=""; \
	for p in $(APT_DEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(RELEASE)

run: build
	@mkdir -p output
	$(SWIFT) run -c release --skip-build nnviz-demo

test: deps
	$(SWIFT) test

bench: deps
	$(SWIFT) run -c release nnviz-bench

clean:
	rm -rf .build output/*.png output/*.svg output/*.pdf output/*.dot output/*.csv
