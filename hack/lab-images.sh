#!/usr/bin/env bash
# Writes the image archives the lab imports into every node's containerd:
# the node and function images (already built by make images; their tags
# are the arguments) and the pause image, built here FROM scratch.
#
#   hack/lab-images.sh OUTDIR NODE_IMAGE RENDER_IMAGE
#
# Prints the sandbox (pause) image's reference.
set -euo pipefail
out=${1:?usage: hack/lab-images.sh OUTDIR NODE_IMAGE RENDER_IMAGE}
node=${2:?node image}
render=${3:?render image}
root=$(cd "$(dirname "$0")/.." && pwd)
docker=${DOCKER:-docker}
pause=localhost/failoverkit/pause:lab
ctx=$root/bin/images/pause
mkdir -p "$out" "$root/bin/images"
exec 9>"$root/bin/images/.pause.lock"
flock 9
rm -rf "$ctx" && mkdir -p "$ctx"
CGO_ENABLED=0 go build -C "$root/lab" -trimpath -ldflags "-s -w" -o "$ctx/pause" ./cmd/pause
cp "$root/build/pause/Dockerfile" "$ctx/"
"$docker" build -q -t "$pause" "$ctx" >/dev/null
rm -f "$out"/*.tar
i=0
for ref in "$pause" "$node" "$render"; do
  i=$((i + 1))
  "$docker" save -o "$out/$i.tar" "$ref"
done
echo "$pause"
