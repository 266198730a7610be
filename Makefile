# nnviz: `make run` renders the samples into output/, `make test` runs the whole test suite.
# Both first install the system libraries that are missing (Debian packages; run as root or with sudo).

SWIFT    ?= swift
APT_DEPS := libgraphviz-dev libcairo2-dev libopenblas-dev fonts-dejavu-core
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The training-script samples (samples/<name>/main.swift), run by `make run`.
SAMPLES  := neural-network-flow single-neuron sine-rnn tensor-basics manual-vs-autograd

.PHONY: deps build run test bench clean

deps:
	@missing=""; \
	for p in $(APT_DEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release

# Every model file drawn as a graph (with gradient norms), every loss log as a chart, the seed tutorial's
# numbers, then every training-script sample.
run: build
	@mkdir -p output
	@bin=$$($(SWIFT) build -c release --show-bin-path); \
	for f in samples/*.yaml; do $$bin/nnviz graph "$$f" --grads || exit 1; done; \
	for f in samples/logs/*.csv; do $$bin/nnviz plot "$$f" || exit 1; done; \
	$$bin/nnviz inspect samples/seed1_mlp.yaml || exit 1; \
	for s in $(SAMPLES); do echo "== $$s"; $$bin/$$s || exit 1; done

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	$(SWIFT) run -c release nnviz-bench

clean:
	rm -rf .build
	find output -type f ! -name .gitkeep ! -name README.md -delete
