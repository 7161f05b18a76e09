#!/usr/bin/env bash
# Runs node/e2e N times in a row (default 20) with a CPU hog on each of two
# cores, as issue 12 asks: a busy loop per core, started here and killed by
# its PID when the script ends. Root (the e2e suite's namespaces).
#
#   hack/stress-e2e.sh [N]     summary and logs in bin/stress/
#
# Each run is bounded (15 minutes); the summary has each run's exit status,
# duration and load average, and "passed K of N" at the end.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-20} out=$root/bin/stress
mkdir -p "$out" && rm -f "$out"/run-*.log "$out"/summary
cd "$root" && go test -c -o "$out/e2e.test" ./node/e2e || exit 1
hogs=()
for _ in 1 2; do sh -c 'while :; do :; done' & hogs+=($!); done
trap 'kill "${hogs[@]}" 2>/dev/null; wait "${hogs[@]}" 2>/dev/null' EXIT
pass=0
for i in $(seq 1 "$n"); do
  s=$(date +%s) l0=$(cut -d' ' -f1 /proc/loadavg)
  (cd node/e2e && CI=true timeout 900 "$out/e2e.test" -test.count=1 -test.timeout=14m -test.v >"$out/run-$i.log" 2>&1)
  rc=$?
  [ $rc = 0 ] && pass=$((pass + 1))
  echo "run $i rc=$rc $(($(date +%s) - s))s load $l0..$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out/summary"
done
echo "passed $pass of $n" | tee -a "$out/summary"
[ "$pass" = "$n" ]
