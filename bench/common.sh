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

# BOOST=1 raise_priority [PATTERN]: on a machine shared with other work, give this benchmark the CPU as if the machine
# were quiet. Linux with sched_autogroup_enabled=1 shares CPU time between sessions first and applies nice only inside
# one, so other people's `nice -n 15` builds still took their share. Writing -20 to /proc/PID/autogroup (root) raises
# this session's group; with PATTERN, a background loop also raises every dovecot master whose command line holds
# PATTERN (the master leaves the session when it daemonizes, so it is a group of its own). Does nothing without BOOST=1
# or where the kernel has no autogroups. The loop ends with the benchmark (EXIT trap of the caller's shell).
raise_priority() {
  [ "${BOOST:-}" = 1 ] && [ -w /proc/self/autogroup ] || return 0
  echo -20 > /proc/$$/autogroup 2>/dev/null || { echo "BOOST=1: could not raise the autogroup (needs root)" >&2; return 0; }
  [ -n "${1:-}" ] || return 0
  (
    while kill -0 $$ 2>/dev/null; do
      for p in $(pgrep -f "dovecot.*$1" 2>/dev/null); do
        [ "$(cut -d' ' -f3 "/proc/$p/autogroup" 2>/dev/null)" = "-20" ] || echo -20 > "/proc/$p/autogroup" 2>/dev/null || true
      done
      sleep 0.3
    done
  ) &
}
