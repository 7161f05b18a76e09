#!/usr/bin/env bash
# Installs the system tools the tests drive, from Debian packages, when they
# are missing: iproute2 (network namespaces), iptables (both backends),
# keepalived (the interop peer and benchmark yardstick), and what the
# cluster lab runs (etcd-server, containerd, runc, containernetworking-plugins). Root only; without
# root it lists what is missing and leaves the decision to the tests.
set -euo pipefail
need=()
command -v ip >/dev/null || need+=(iproute2)
command -v iptables-legacy >/dev/null || need+=(iptables)
command -v keepalived >/dev/null || [ -x /usr/sbin/keepalived ] || need+=(keepalived)
command -v nft >/dev/null || need+=(nftables)
# The cluster lab (make lab, make test-lab): etcd, containerd, runc, CNI.
command -v etcd >/dev/null || need+=(etcd-server)
command -v containerd >/dev/null || need+=(containerd)
command -v runc >/dev/null || need+=(runc)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "ensure-deps: missing ${need[*]} (run as root, or: apt-get install -y ${need[*]})" >&2
  exit 0
fi
echo "ensure-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
