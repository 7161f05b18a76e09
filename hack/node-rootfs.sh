#!/usr/bin/env bash
# Assembles the node image's root file system in DIR from Debian packages,
# without a base image: iptables (both the nf_tables and the legacy
# backend, the variant binaries the agent calls) with every library it
# needs down to libc, and netbase (/etc/protocols, so iptables prints
# protocol names). The packages come from the machine's apt sources
# (apt-get download, cached in DEB_CACHE) and are unpacked with dpkg-deb -x:
# no maintainer script runs, so what their postinst would do (the
# iptables alternatives, passwd, a few directories) is done here.
#
#   hack/node-rootfs.sh DIR
#
# DIR must not exist or be empty. Needs apt-get, apt-cache and dpkg-deb;
# the apt lists must be present (apt-get update, which this runs when root
# and the lists lack a package).
set -euo pipefail
dir=${1:?usage: hack/node-rootfs.sh DIR}
cache=${DEB_CACHE:-$(cd "$(dirname "$0")/.." && pwd)/bin/cache/debs}
roots=(iptables netbase)

mkdir -p "$dir" "$cache"
if [ -n "$(ls -A "$dir")" ]; then
  echo "node-rootfs: $dir is not empty" >&2
  exit 1
fi

# The packages: the roots and everything they depend on, recursively.
resolve() {
  apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances "${roots[@]}" | grep '^[a-z0-9]' | sort -u
}
if ! pkgs=$(resolve) || [ -z "$pkgs" ] || ! apt-get download --print-uris $pkgs >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "node-rootfs: apt cannot resolve ${roots[*]}; run apt-get update as root" >&2
    exit 1
  fi
  echo "node-rootfs: apt-get update" >&2
  apt-get update -qq
  pkgs=$(resolve)
fi

# Download what the cache lacks; the file names carry the versions.
missing=()
files=()
while read -r _uri file _size _hash; do
  files+=("$cache/$file")
  [ -f "$cache/$file" ] || missing+=("$(echo "$file" | cut -d_ -f1)")
done < <(apt-get download --print-uris $pkgs)
if [ ${#missing[@]} -gt 0 ]; then
  echo "node-rootfs: downloading ${missing[*]}" >&2
  sandbox=()
  [ "$(id -u)" != 0 ] || sandbox=(-o APT::Sandbox::User=root) # the cache is root's
  (cd "$cache" && apt-get download -qq "${sandbox[@]}" "${missing[@]}")
fi

for f in "${files[@]}"; do
  dpkg-deb -x "$f" "$dir"
done

# What the maintainer scripts would have done: the alternatives that make
# plain iptables the nf_tables variant (Debian's default), and the files
# and directories a process expects.
for t in iptables ip6tables; do
  for s in "" -save -restore; do
    ln -sf "$t-nft$s" "$dir/usr/sbin/$t$s"
  done
done
for v in nft legacy; do
  for t in iptables ip6tables; do
    [ -e "$dir/usr/sbin/$t-$v" ] || { echo "node-rootfs: $t-$v is missing from the iptables package" >&2; exit 1; }
  done
done
mkdir -p "$dir/etc" "$dir/run" "$dir/tmp" "$dir/var" "$dir/usr/local/bin"
chmod 1777 "$dir/tmp"
ln -sfn ../run "$dir/var/run"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$dir/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
ldconfig -r "$dir" 2>/dev/null || true

# Nothing the agent or iptables reads: documentation, manuals, maintainer
# data, and libc's character set converters (half of the image).
rm -rf "$dir"/usr/share/{doc,man,info,lintian,locale,bug} "$dir"/etc/{init.d,logrotate.d,cron.daily} \
  "$dir"/usr/lib/*-linux-gnu*/gconv
