# Container images, built FROM scratch without pulling anything (build/,
# hack/images.sh). Include from the Makefile:  include hack/images.mk
#
#   make images                      both, tagged $(IMAGE_REGISTRY)/<name>:$(IMAGE_TAG) (default: the release, e.g. v0.1.0)
#   make image-render image-node     one
#   make images IMAGE_REGISTRY=localhost/failoverkit IMAGE_TAG=dev
IMAGE_REGISTRY ?= ghcr.io/failoverkit
# The tag is the release the renderer names in its default images
# (internal/version.Release), so the documented container routes find the
# images `make images` built.
IMAGE_TAG      ?= $(shell sed -n 's/^const Release = "\(.*\)"$$/\1/p' internal/version/version.go)
RENDER_IMAGE   ?= $(IMAGE_REGISTRY)/ipfailover-render:$(IMAGE_TAG)
NODE_IMAGE     ?= $(IMAGE_REGISTRY)/ipfailover-node:$(IMAGE_TAG)

.PHONY: images image-render image-node

## images: the function image (ipfailover-render) and the node image (ipfailover-node).
images: image-render image-node

image-render:
	VERSION=$(IMAGE_TAG) hack/images.sh render $(RENDER_IMAGE)

image-node:
	VERSION=$(IMAGE_TAG) hack/images.sh node $(NODE_IMAGE)
