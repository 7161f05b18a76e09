# Build, render and test targets. `make test` is what CI runs (through .ci/run).
GO        ?= go
BIN       := bin
PKGS      := ./...
GOTESTFLAGS ?= -count=1 -timeout 25m

.PHONY: all build render test testsum check fmt-check vet tidy-check unit fuzz-smoke deps clean

all: build

build:
	$(GO) build -o $(BIN)/ipfailover-render ./cmd/render
	$(GO) build -o $(BIN)/ipfailover-node ./cmd/node

## render: print the manifests of the documentation's example (the main job).
render:
	@$(GO) run ./cmd/render examples/docs-example

## test: every gate and every test. Privileged tests need root (CI runs as root).
# go test -json through hack/testsum: go test's own lines (each package's
# ok/FAIL, failing tests' output), then the tests run, passed, skipped and
# failed per package; under CI=true a skipped test fails the run.
TESTSUM := $(CURDIR)/$(BIN)/testsum
test: deps check testsum
	$(TESTSUM) -- $(GO) test -json $(GOTESTFLAGS) $(PKGS)

testsum:
	@$(GO) build -o $(TESTSUM) ./hack/testsum

## check: formatting, vet and a tidy module.
check: fmt-check vet tidy-check

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

tidy-check:
	$(GO) mod tidy -diff

## fuzz-smoke: a short run of every fuzz target (each FUZZTIME long).
FUZZTIME ?= 10s
fuzz-smoke:
	hack/fuzz-all.sh $(FUZZTIME)

## deps: install the system tools the tests drive (root only; no-op when present).
deps:
	@hack/ensure-deps.sh

clean:
	rm -rf $(BIN)

# Integrations (kustomize, kpt, Argo CD, CRD), images and benchmarks.
include hack/integration.mk
include hack/images.mk
include bench/Makefile.inc
include hack/lab.mk
