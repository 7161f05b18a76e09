# The local Kubernetes lab (lab/, a Go module of its own): a control plane
# and three worker nodes in network namespaces, each node with its own
# containerd and kubelet, our images imported. Include from the Makefile:
# include hack/lab.mk
#
#   make lab         bring it up and print how to use it (KUBECONFIG, nodes)
#   make lab-down    take it down, leaving the machine as it was
#   make test-lab    the end-to-end suite on a lab of its own (part of make test)
#   make fuzz-server the renderer's fuzz targets with a real API server as oracle
LAB_DIR    ?= $(CURDIR)/$(BIN)/lab
LAB_NODES  ?= 3
LAB_IMAGES := $(CURDIR)/$(BIN)/cache/lab-images
IPFLAB     := $(BIN)/ipflab

.PHONY: k8s lab lab-down lab-images ipflab test-lab check-lab fuzz-server

## k8s: build the Kubernetes binaries into bin/cache (once; cold about 15 minutes).
k8s:
	@hack/k8s-build.sh >/dev/null

ipflab:
	cd lab && CGO_ENABLED=0 $(GO) build -o $(CURDIR)/$(IPFLAB) ./cmd/ipflab

## lab-images: the node, function and pause image archives for the lab's nodes.
lab-images: images
	@hack/lab-images.sh $(LAB_IMAGES) $(NODE_IMAGE) $(RENDER_IMAGE) >/dev/null

## lab: bring the lab up (root; Debian etcd-server, containerd, runc, containernetworking-plugins).
lab: deps k8s lab-images ipflab
	$(IPFLAB) up -dir $(LAB_DIR) -nodes $(LAB_NODES) -bins $$(hack/k8s-build.sh) \
	  -sandbox-image localhost/failoverkit/pause:lab $(foreach f,1 2 3,-image $(LAB_IMAGES)/$(f).tar)

## lab-down: take the lab down.
lab-down: ipflab
	$(IPFLAB) down -dir $(LAB_DIR)

## test-lab: the end-to-end suite on the lab (its own lab, up and down in the test).
test-lab: check-lab deps k8s lab-images build testsum
	cd lab && CGO_ENABLED=0 IPFLAB_BINS=$$($(CURDIR)/hack/k8s-build.sh) IPFLAB_IMAGES=$(LAB_IMAGES) \
	  IPFLAB_NODE_IMAGE=$(NODE_IMAGE) IPFLAB_RENDER=$(CURDIR)/$(BIN)/ipfailover-render \
	  $(TESTSUM) -- $(GO) test -json $(GOTESTFLAGS) ./...

## fuzz-server: fuzz the renderer (each target FUZZTIME long) with a control plane of its own as oracle (root).
fuzz-server: deps ipflab
	hack/fuzz-server.sh $(FUZZTIME) $(CURDIR)/$(IPFLAB)

check-lab:
	cd lab && CGO_ENABLED=0 $(GO) vet ./... && $(GO) mod tidy -diff

test: test-lab
