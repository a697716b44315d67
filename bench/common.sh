# Shared helpers for the benchmarks: build the CLI once in Release and time whole processes.
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# MIGRATE_DLL is set by build_cli.

# A ReadyToRun Release build of the CLI (what a packaged tool would ship), built by bench/build.sh from a snapshot of
# the sources in a folder keyed by their git tree: never from the work tree, whose committed packages.lock.json files a
# runtime-specific restore would rewrite, and never a stale build. MIGRATE_DLL=path measures a given build instead.
build_cli() {
  if [ -z "${MIGRATE_DLL:-}" ]; then
    local bin
    bin="$(BUILD_FLAVOR=r2r bash "$BENCH_ROOT/bench/build.sh")" || { echo "build failed" >&2; exit 1; }
    MIGRATE_DLL="$(dirname "$bin")/migrate.dll"
  fi
  export MIGRATE_DLL
}

# median_seconds RUNS command...: runs the command RUNS times, prints the median wall time in seconds.
median_seconds() {
  local runs=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f\n", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

# peak_rss_mb command...: peak resident memory of the whole process in MB (GNU time).
peak_rss_mb() {
  /usr/bin/time -f '%M' -o /tmp/bench-rss.$$ "$@" >/dev/null 2>&1
  echo "scale=1; $(tail -1 /tmp/bench-rss.$$) / 1024" | bc
  rm -f /tmp/bench-rss.$$
}
