// Package e2e runs the rendered manifests on the lab (package cluster): a
// real control plane and three worker nodes, each with its own containerd
// and kubelet, our node image imported. The scenarios are the user's path:
// apply, fail over on pod deletion, drain, rolling update and node failure,
// a failing check, two sets side by side, removal. A monitor samples every
// node's addresses every 20 ms throughout and proves "never two holders".
//
// It needs root, the Debian packages of the lab and the variables that
// make test-lab sets (IPFLAB_BINS, IPFLAB_IMAGES, IPFLAB_NODE_IMAGE,
// IPFLAB_RENDER); under CI=true nothing here may skip.
package e2e
