#!/usr/bin/env bash
# Builds the lab's Kubernetes binaries (kube-apiserver, kube-controller-manager,
# kube-scheduler, kubelet) from k8s.io/kubernetes through the Go module proxy,
# in the lab module (lab/go.mod pins the release), into bin/cache/k8s-VERSION.
# A second call finds them there and does nothing. Prints the directory.
#
#   hack/k8s-build.sh [BINARY...]   only these (default: all four)
#
# K8S_CACHE (default: bin/cache of this checkout) is where they are kept, so
# that several checkouts on one machine can share one build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(awk '($1 == "k8s.io/kubernetes" && $2 ~ /^v/) {print $2} ($1 == "require" && $2 == "k8s.io/kubernetes") {print $3}' "$root/lab/go.mod" | head -1)
[ -n "$version" ] || { echo "k8s-build: no k8s.io/kubernetes in lab/go.mod" >&2; exit 1; }
out=${K8S_CACHE:-$root/bin/cache}/k8s-$version
bins=(kube-apiserver kube-controller-manager kube-scheduler kubelet)
[ $# -eq 0 ] || bins=("$@")
missing=0
for b in "${bins[@]}"; do [ -x "$out/$b" ] || missing=1; done
if [ $missing = 1 ]; then
  echo "k8s-build: building Kubernetes $version (cold: about 15 minutes on 2 cores)" >&2
  rm -rf "$out.tmp" && mkdir -p "$out.tmp"
  minor=${version#v1.}; minor=${minor%%.*}
  ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$version -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
  pkgs=()
  for b in "${bins[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
  (cd "$root/lab" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$out.tmp/" "${pkgs[@]}")
  mkdir -p "$out" && mv "$out.tmp"/* "$out/" && rmdir "$out.tmp"
fi
echo "$out"
