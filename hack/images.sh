#!/usr/bin/env bash
# Builds a container image without pulling anything: both images start
# FROM scratch (see build/). The build context is staged in bin/images/NAME.
#
#   hack/images.sh render TAG   function image: static ipfailover-render
#   hack/images.sh node TAG     node image: static ipfailover-node on a root
#                               file system of Debian packages (hack/node-rootfs.sh)
#
# The binaries' --version is the release (internal/version.Release), or
# VERSION when set; built without VCS stamps, so the binary, and with it the
# image, depends on the sources only. Needs go and docker (podman works too:
# DOCKER=podman).
set -euo pipefail
what=${1:?usage: hack/images.sh render|node TAG}
tag=${2:?usage: hack/images.sh render|node TAG}
root=$(cd "$(dirname "$0")/.." && pwd)
docker=${DOCKER:-docker}
ctx=$root/bin/images/$what
ldflags="-s -w"
if [ -n "${VERSION:-}" ]; then
  ldflags="$ldflags -X github.com/failoverkit/ipfailover/internal/version.Version=$VERSION"
fi

# One build of an image at a time: concurrent test processes share ctx.
mkdir -p "$root/bin/images"
exec 9>"$root/bin/images/.$what.lock"
flock 9
rm -rf "$ctx"
mkdir -p "$ctx"
export CGO_ENABLED=0
case $what in
render)
  go build -C "$root" -trimpath -buildvcs=false -ldflags "$ldflags" -o "$ctx/ipfailover-render" ./cmd/render
  cp "$root"/build/render/{Dockerfile,passwd,group} "$ctx/"
  ;;
node)
  "$root/hack/node-rootfs.sh" "$ctx/rootfs"
  go build -C "$root" -trimpath -buildvcs=false -ldflags "$ldflags" -o "$ctx/rootfs/usr/local/bin/ipfailover-node" ./cmd/node
  # Reproducible: same packages and binary, same tar, same image.
  tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -C "$ctx/rootfs" -cf "$ctx/rootfs.tar" .
  rm -rf "$ctx/rootfs"
  cp "$root/build/node/Dockerfile" "$ctx/"
  ;;
*)
  echo "hack/images.sh: unknown image $what (render or node)" >&2
  exit 2
  ;;
esac
# A rebuild that changed the image leaves the previous one untagged:
# remove it, unless a container still uses it.
old=$("$docker" image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
"$docker" build -q -t "$tag" "$ctx" >/dev/null
new=$("$docker" image inspect -f '{{.Id}}' "$tag")
if [ -n "$old" ] && [ "$old" != "$new" ]; then
  "$docker" image rm "$old" >/dev/null 2>&1 || true
fi
echo "$tag"
