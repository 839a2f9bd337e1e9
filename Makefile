# The two commands a new user needs, on a fresh Debian 12 machine as root:
#   make up    installs what is missing, builds, and runs Berth on this machine
#   make test  installs what is missing and runs lint, build, unit and integration tests
SHELL := /bin/bash
.DEFAULT_GOAL := help

DEBIAN_PACKAGES := runc conmon containernetworking-plugins etcd-server etcd-client \
	busybox-static skopeo umoci docker-registry iproute2 iptables attr util-linux mount apache2-utils \
	perl-base
# Only the benchmarks compare against containerd (bench/pull-unpack.ts starts its own daemon).
BENCH_PACKAGES := containerd
# Only the tests use these; their Debian services must not start on install (prometheus and
# victoria-metrics would listen on all addresses): the tests run their own on 127.0.0.1.
TEST_PACKAGES := prometheus victoria-metrics
MOCHA := node_modules/.bin/mocha
NPM_STAMP := node_modules/.berth-npm-ci

.PHONY: help deps packages test-packages bench-packages node-modules build lint test unit integration bench up clean

help:
	@echo "make up      install what is missing, build, and run a one-node Berth cluster here (root)"
	@echo "make test    install what is missing, then lint, build, unit and integration tests"
	@echo "make bench   run the benchmarks in bench/ (root)"

deps: packages node-modules build

# apt-get update only when something is missing: a machine that has everything stays offline.
packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then echo "missing Debian packages: $$missing (run as root to install them)"; exit 1; fi; \
		echo "installing: $$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		if [ -n "$(NO_SERVICE_START)" ] && [ ! -e /usr/sbin/policy-rc.d ]; then \
			trap 'rm -f /usr/sbin/policy-rc.d' EXIT; \
			printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d; \
		fi; \
		apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("Berth needs Node.js >= 20.19, found "+process.versions.node); process.exit(1) }'

node-modules: $(NPM_STAMP)
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: node-modules
	npm run --silent build

lint: node-modules
	npm run --silent lint

UNIT := 'dist/test/unit/**/*.test.js'
INTEGRATION := 'dist/test/integration/**/*.test.js'
# Integration runs end with a leak check (root hook) that fails the run on leftover host resources.
MOCHA_RUN := $(MOCHA) --timeout 180000 --reporter dist/test/support/summary-reporter.js \
	--require dist/test/support/root-hooks.js

# One mocha run, so the last line is the whole suite's "N passed, N failed".
test: deps test-packages lint
	$(MOCHA_RUN) $(UNIT) $(INTEGRATION)

unit: build
	$(MOCHA) $(UNIT)

integration: build
	$(MOCHA_RUN) $(INTEGRATION)

test-packages:
	@$(MAKE) --no-print-directory packages DEBIAN_PACKAGES="$(TEST_PACKAGES)" NO_SERVICE_START=1

bench-packages:
	@$(MAKE) --no-print-directory packages DEBIAN_PACKAGES="$(BENCH_PACKAGES)"

bench: deps bench-packages
	node dist/bench/import-unpack.js
	node dist/bench/pull-unpack.js
	node dist/bench/cri-lifecycle.js
	node dist/bench/cni-add-del.js
	node dist/bench/api-load.js
	node dist/bench/scheduling.js
	node dist/bench/pod-startup.js
	node dist/bench/cadvisor-scrape.js

up: deps
	./bin/berth up

clean:
	rm -rf dist proto/gen
