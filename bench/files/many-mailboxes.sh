#!/usr/bin/env bash
# Many small mailboxes (issue 22's goal: 2,000 mailboxes x 20 small messages into a Maildir within 3x `cp -r`; issue
# 18's per-mailbox scheduling overhead): MAILBOXES (2,000) Maildir mailboxes of 20 small messages, the tree of
# bench/workers/run.sh's second part (make-many-mailboxes.py). Times `cp -r` of the source tree and one `migrate apply`
# of it into a Maildir with the default SQLite state, RUNS (3) of each taken in turn (cp, apply, cp, apply, ...), and
# prints the medians, the ratio and the CPU seconds (user + system) of the apply process. Whole processes, ReadyToRun
# Release build (bench/build.sh); BUILD_FLAVOR=composite measures the self-contained composite image the container
# ships instead (bench/build.sh's default for the IMAP benchmarks: no tier-1 recompilation of hot methods).
# Nothing is deleted until all runs are done: every run writes a fresh folder. On an ext4 without a journal, creating a
# file scans the inodes deleted in the last minute or more (recently_deleted), so an `rm -rf` of 40,000 files just before
# a run made that run's file creation several times slower (seen in a perf profile: 39% of the apply's CPU).
# STRACE=1 also counts the apply's system calls (one extra run under strace -f -c, not timed): all of them per mailbox,
# and those of the file and state paths (open, stat family, link/rename, pwrite, fsync).
# Work folder: $BENCH_DIR or a temp folder, removed at the end. BOOST=1 on a machine shared with other work: see
# raise_priority in bench/common.sh.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
MAILBOXES=${MAILBOXES:-2000}
RUNS=${RUNS:-3}
if [ -n "${MIGRATE_BIN:-}" ]; then
  MIGRATE=("$MIGRATE_BIN")   # a given composite binary (its publish folder's `migrate`)
elif [ "${BUILD_FLAVOR:-r2r}" = composite ]; then
  MIGRATE=("$(bash "$HERE/../build.sh")") || { echo "build failed" >&2; exit 1; }
else
  build_cli
  MIGRATE=(dotnet "$MIGRATE_DLL")
fi
raise_priority
W="${BENCH_DIR:-$(mktemp -d /tmp/bench-many.XXXXXX)}"
trap 'rm -rf "$W"' EXIT
python3 "$HERE/make-many-mailboxes.py" "$W" "$MAILBOXES" bench-many-mailboxes
# Flush the generated tree and warm the page cache, so both copies read from memory with no write-back pending.
sync
find "$W/src" -type f -exec cat {} + >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {printf "%.3f\n", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
: >"$W/cp.times"; : >"$W/apply.times"
for i in $(seq 1 "$RUNS"); do
  median_seconds 1 cp -r "$W/src" "$W/cp$i" >>"$W/cp.times"
  # The plan in the work folder (its paths may not leave the plan's folder), a target folder of its own.
  sed -e "s|path: out|path: out$i|" "$W/plan.yaml" >"$W/plan$i.yaml"
  (cd "$W" && CI=true /usr/bin/time -f '%U %S %e' -o "$W/apply$i.time" "${MIGRATE[@]}" apply "plan$i.yaml" \
    --state "state$i/state.db" --verbosity quiet >"$W/apply$i.log" 2>&1) || { echo "apply failed: $(tail -20 "$W/apply$i.log")" >&2; exit 1; }
  cat "$W/apply$i.time" >>"$W/apply.times"
  copied=$(find "$W/out$i" -type f \( -path '*/cur/*' -o -path '*/new/*' \) | wc -l)
  [ "$copied" -eq $((MAILBOXES * 20)) ] || { echo "expected $((MAILBOXES * 20)) messages in the target, found $copied" >&2; exit 1; }
done
cp_seconds=$(median <"$W/cp.times")
apply_seconds=$(awk '{ print $3 }' "$W/apply.times" | median)
cpu=$(awk '{ print $1 + $2 }' "$W/apply.times" | median)
user=$(awk '{ print $1 }' "$W/apply.times" | median)
sys=$(awk '{ print $2 }' "$W/apply.times" | median)
build="${BUILD_FLAVOR:-r2r} build"
[ -n "${MIGRATE_BIN:-}" ] && build="the build at $MIGRATE_BIN"
printf '%s mailboxes x 20 messages, median of %s, %s, load %s\n' "$MAILBOXES" "$RUNS" "$build" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'cp -r:          %7.3f s   (runs: %s)\n' "$cp_seconds" "$(tr '\n' ' ' <"$W/cp.times")"
printf 'migrate apply:  %7.3f s   (%.2f ms per mailbox), CPU %.2f s (user %.2f, sys %.2f)\n' "$apply_seconds" \
  "$(echo "$apply_seconds * 1000 / $MAILBOXES" | bc -l)" "$cpu" "$user" "$sys"
printf 'ratio:          %7.1fx cp -r (goal: 3x)\n' "$(echo "$apply_seconds / $cp_seconds" | bc -l)"
if [ -n "${STRACE:-}" ]; then
  sed -e "s|path: out|path: out-strace|" "$W/plan.yaml" >"$W/plan-strace.yaml"
  (cd "$W" && CI=true strace -f -c -o "$W/strace.txt" "${MIGRATE[@]}" apply plan-strace.yaml \
    --state state-strace/state.db --verbosity quiet >/dev/null 2>&1) || true
  echo "system calls of one apply (strace -f -c; start-up included):"
  grep -E ' (total|openat|stat|lstat|newfstatat|readlink|link|unlink|rename|renameat2?|pwrite64|pread64|flock|fsync|fdatasync)$' "$W/strace.txt" \
    | awk -v n="$MAILBOXES" '{ calls = $4; printf "  %-10s %8d  (%.1f per mailbox)\n", $NF, calls, calls / n }'
fi
