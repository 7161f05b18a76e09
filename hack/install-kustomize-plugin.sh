#!/usr/bin/env bash
# Installs ipfailover-render as the legacy kustomize exec plugin of the
# IPFailover kind, which is how kubectl kustomize (it has no --enable-exec)
# runs it: kustomize looks for the executable
# $KUSTOMIZE_PLUGIN_HOME/<group>/<version>/<lowercase kind>/<Kind>.
#
#   hack/install-kustomize-plugin.sh [PLUGIN_HOME [BINARY]]
#
# PLUGIN_HOME defaults to $KUSTOMIZE_PLUGIN_HOME, else kustomize's default
# ${XDG_CONFIG_HOME:-$HOME/.config}/kustomize/plugin; BINARY to
# bin/ipfailover-render (make build), else ipfailover-render on $PATH. The
# plugin is a symlink to BINARY. Then:
#
#   KUSTOMIZE_PLUGIN_HOME=PLUGIN_HOME kubectl kustomize --enable-alpha-plugins DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
home=${1:-${KUSTOMIZE_PLUGIN_HOME:-${XDG_CONFIG_HOME:-$HOME/.config}/kustomize/plugin}}
bin=${2:-}
if [ -z "$bin" ]; then
  if [ -x "$root/bin/ipfailover-render" ]; then
    bin=$root/bin/ipfailover-render
  else
    bin=$(command -v ipfailover-render) || {
      echo "install-kustomize-plugin: no ipfailover-render: run make build, or pass the binary" >&2
      exit 1
    }
  fi
fi
[ -x "$bin" ] || { echo "install-kustomize-plugin: $bin is not executable" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
dir=$home/ipfailover.failoverkit.io/v1alpha1/ipfailover
mkdir -p "$dir"
ln -sfn "$bin" "$dir/IPFailover"
echo "$dir/IPFailover -> $bin"
