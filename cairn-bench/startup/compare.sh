#!/usr/bin/env bash
# Start-up time of two cairn launchers, side by side: runs A and B alternately (A B, B A, A B, ...), RUNS times each,
# so that a busy moment of a shared machine falls on both, and prints the median wall and CPU (user + sys) time of
# each and the ratio B/A. Usage:
#   cairn-bench/startup/compare.sh RUNS 'A command' 'B command'
# e.g. compare.sh 40 '/tmp/old/cairn --db demo.db goals' './cairn --db demo.db goals'
set -euo pipefail
runs="$1"; a="$2"; b="$3"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
one() { # label command: appends "wall cpu" in ms
  /usr/bin/time -f "%e %U %S" -o "$out/t" bash -c "$2" >/dev/null 2>&1
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' "$out/t" >>"$out/$1"
}
# One warm-up each (page cache, the archive of B built if it must be); not counted.
bash -c "$a" >/dev/null 2>&1; bash -c "$b" >/dev/null 2>&1
for i in $(seq "$runs"); do
  if [ $((i % 2)) = 1 ]; then one A "$a"; one B "$b"; else one B "$b"; one A "$a"; fi
done
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for s in A B; do
  eval "${s}_wall=$(cut -d ' ' -f 1 "$out/$s" | median)"
  eval "${s}_cpu=$(cut -d ' ' -f 2 "$out/$s" | median)"
done
echo "runs each:   $runs (alternating)"
echo "A: $a"
echo "B: $b"
printf 'median wall  A %5.0f ms   B %5.0f ms   B/A %.2f\n' "$A_wall" "$B_wall" "$(echo "$B_wall / $A_wall" | bc -l)"
printf 'median CPU   A %5.0f ms   B %5.0f ms   B/A %.2f\n' "$A_cpu" "$B_cpu" "$(echo "$B_cpu / $A_cpu" | bc -l)"
