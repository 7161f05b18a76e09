# Integrations: the CRD, the legacy kustomize plugin, and the integration
# tests of kustomize, kpt, Argo CD and the images. Include from the
# Makefile:  include hack/integration.mk
#
# make test then also runs test-argocd (the Argo CD module, test/argocd);
# the kustomize, kpt and image tests are in the main module
# (./test/integration), so go test ./... runs them already.
KUSTOMIZE_PLUGIN_HOME ?= $(CURDIR)/$(BIN)/kustomize-plugins

.PHONY: crd kustomize-plugin test-integration test-argocd check-argocd

## crd: regenerate deploy/crd from the types of api/v1alpha1 (a test fails when it is stale).
crd:
	$(GO) run ./hack/gen-crd -o deploy/crd/ipfailover.failoverkit.io_ipfailovers.yaml

## kustomize-plugin: install bin/ipfailover-render as the legacy kustomize plugin (kubectl kustomize).
kustomize-plugin: build
	hack/install-kustomize-plugin.sh $(KUSTOMIZE_PLUGIN_HOME) $(BIN)/ipfailover-render

## test-integration: the integration tests alone (kustomize, kpt, images, Argo CD).
test-integration: test-argocd
	$(GO) test $(GOTESTFLAGS) ./test/integration

## test-argocd: the Argo CD plugin's end-to-end test (its own module; builds argocd-cmp-server).
# CGO_ENABLED=0 throughout: the test builds argocd-cmp-server statically (it
# also runs in the scratch function image), and the same setting lets that
# build reuse every package the test binary compiled (cold: one big compile,
# not two).
test-argocd: check-argocd testsum
	cd test/argocd && CGO_ENABLED=0 $(TESTSUM) -- $(GO) test -json $(GOTESTFLAGS) ./...

# The test module's gates: vet and a tidy go.mod (gofmt covers it already).
check-argocd:
	cd test/argocd && CGO_ENABLED=0 $(GO) vet ./... && $(GO) mod tidy -diff

test: test-argocd
