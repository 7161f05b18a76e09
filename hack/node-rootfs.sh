#!/usr/bin/env bash
# Assembles the node image's root file system in DIR from Debian packages,
# without a base image: iptables (both the nf_tables and the legacy
# backend, the variant binaries the agent calls) with every library it
# needs down to libc, and netbase (/etc/protocols, so iptables prints
# protocol names). For check and notify scripts: bash (also /bin/sh),
# coreutils, grep, sed, mawk (awk) and curl, and the CA certificates of
# ca-certificates (the bundle only: curl and the agent's https check
# verify servers with it). Nothing else: no package manager, no su, no
# mount, no setuid or setgid file (the script fails if one appears), so a
# script can do no more than the agent's capabilities allow.
#
# The packages come from the machine's apt sources (apt-get download,
# cached in DEB_CACHE) and are unpacked with dpkg-deb -x: no maintainer
# script runs, so what their postinst would do (the iptables and awk
# alternatives, /bin/sh, the CA bundle, passwd, a few directories) is done
# here.
#
#   hack/node-rootfs.sh DIR
#
# DIR must not exist or be empty. Needs apt-get, apt-cache and dpkg-deb;
# the apt lists must be present (apt-get update, which this runs when root
# and the lists lack a package).
set -euo pipefail
dir=${1:?usage: hack/node-rootfs.sh DIR}
cache=${DEB_CACHE:-$(cd "$(dirname "$0")/.." && pwd)/bin/cache/debs}
roots=(iptables netbase bash coreutils grep sed mawk curl
  install-info) # install-info satisfies grep's "dpkg | install-info" without dpkg

mkdir -p "$dir" "$cache"
if [ -n "$(ls -A "$dir")" ]; then
  echo "node-rootfs: $dir is not empty" >&2
  exit 1
fi

# The packages: the roots and everything they depend on, as apt resolves
# an installation on an empty system (one provider of each alternative,
# no recommends), plus ca-certificates alone (its dependencies, openssl
# and debconf, only run its postinst).
resolve() {
  apt-get -s -qq -o Dir::State::status=/dev/null -o APT::Install-Recommends=false \
    install "${roots[@]}" 2>/dev/null | awk '$1 == "Inst" { print $2 }' | sort -u
  echo ca-certificates
}
if ! pkgs=$(resolve) || [ "$pkgs" = ca-certificates ] || ! apt-get download --print-uris $pkgs >/dev/null 2>&1; then
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
ln -sf bash "$dir/bin/sh"
ln -sf /bin/bash "$dir/usr/bin/bash" # the RHEL images' paths
ln -sf /bin/bash "$dir/usr/bin/sh"
ln -sf mawk "$dir/usr/bin/awk"
mkdir -p "$dir/etc/ssl/certs"
find "$dir/usr/share/ca-certificates" -name '*.crt' | sort | xargs cat >"$dir/etc/ssl/certs/ca-certificates.crt"
[ -s "$dir/etc/ssl/certs/ca-certificates.crt" ] || { echo "node-rootfs: ca-certificates holds no certificate" >&2; exit 1; }
rm -rf "$dir/usr/share/ca-certificates" "$dir/usr/sbin/update-ca-certificates"
mkdir -p "$dir/etc" "$dir/run" "$dir/tmp" "$dir/var" "$dir/usr/local/bin"
chmod 1777 "$dir/tmp"
ln -sfn ../run "$dir/var/run"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$dir/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$dir/etc/group"
ldconfig -r "$dir" 2>/dev/null || true

# Nothing that grants more than the caller has: no setuid or setgid file.
if suid=$(find "$dir" -type f -perm /6000) && [ -n "$suid" ]; then
  echo "node-rootfs: setuid or setgid files: $suid" >&2
  exit 1
fi

# Nothing the agent, iptables or a script reads: documentation, manuals, maintainer
# data, and libc's character set converters (half of the image).
rm -rf "$dir"/usr/share/{doc,man,info,lintian,locale,bug} "$dir"/etc/{init.d,logrotate.d,cron.daily} \
  "$dir"/usr/lib/*-linux-gnu*/gconv
