#!/usr/bin/env bash
# Fuzzes the renderer with a real kube-apiserver as the oracle (make
# fuzz-server): brings the lab's control plane alone up (ipflab up -nodes 0:
# etcd and kube-apiserver in a network namespace of its own, reached through
# a forwarder on 127.0.0.1), runs each fuzz target of package fn that checks
# "accepted implies the server accepts" for the given time (default 1m) with
# IPFAILOVER_FUZZ_KUBECONFIG naming its kubeconfig, and takes it down. Root
# only. New failing inputs land in fn/testdata/fuzz, where the lab's
# serverside suite replays them against the server in make test.
#
#   hack/fuzz-server.sh [FUZZTIME] [IPFLAB]
#
# FUZZPARALLEL (default 1) is go test's -parallel: the API server needs a
# core too.
set -euo pipefail
t=${1:-1m}
root=$(cd "$(dirname "$0")/.." && pwd)
ipflab=${2:-$root/bin/ipflab}
bins=$("$root/hack/k8s-build.sh" kube-apiserver)
dir=$(mktemp -d "${TMPDIR:-/tmp}/ipfl-fuzz.XXXXXX")
down() { "$ipflab" down -dir "$dir" >/dev/null || echo "fuzz-server: taking the control plane down failed; see $dir" >&2; rm -rf "$dir"; }
trap down EXIT
"$ipflab" up -dir "$dir" -nodes 0 -bins "$bins" >/dev/null
export IPFAILOVER_FUZZ_KUBECONFIG=$dir/kubeconfig
cd "$root"
for f in FuzzRenderSpec FuzzRenderYAML; do
  echo "== ./fn $f ($t, against the API server)"
  go test -run='^$' -fuzz="^$f\$" -fuzztime="$t" -parallel="${FUZZPARALLEL:-1}" ./fn
done
