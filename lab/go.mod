// Lab module: tests against real Kubernetes binaries, whose dependencies
// stay out of the product's go.mod.
module github.com/failoverkit/ipfailover/lab

go 1.26.3

require sigs.k8s.io/yaml v1.6.0

require go.yaml.in/yaml/v2 v2.4.2 // indirect
