#!/usr/bin/env bash
# IMAP -> IMAP figures against the peers (../shared/bench/peers, see its README): builds the CLI when its sources
# changed (bench/build.sh), runs the peer harness once on loopback and once with DELAY_MS each way in front of the
# source and the target side, and prints whole-process medians beside mbsync's with the number of sequential round
# trips: (median with delay - median without) / round trip (2 x DELAY_MS).
#   bash bench/imap/run.sh                          # 2,000 messages, 3 runs each, 10 ms each way
#   COUNT=10000 DELAYS="0" bash bench/imap/run.sh   # loopback only, 10,000 messages
# Env: COUNT (2000) RUNS (3) DELAY_MS (10) DELAYS ("0 $DELAY_MS") PEERS (/work/shared/bench/peers); BOOST=1 on a machine
# shared with other work (see raise_priority in bench/common.sh): the whole harness, its Dovecot included, runs as if
# the machine were quiet, so every case of the run gets the same machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../common.sh"
peers="${PEERS:-$(cd "$here/../../.." && pwd)/shared/bench/peers}"
[[ -f "$peers/run.sh" ]] || peers=/work/shared/bench/peers
count="${COUNT:-2000}"
runs="${RUNS:-3}"
delay="${DELAY_MS:-10}"
delays="${DELAYS:-0 $delay}"
out="${BENCH_OUT:-/tmp/imap-bench}"
mkdir -p "$(dirname "$out")"
raise_priority "$out"

# MIGRATE_BIN=/path/to/migrate measures a given build (e.g. an older one for a before/after pair) instead.
MIGRATE_BIN="${MIGRATE_BIN:-$(bash "$here/../build.sh")}"
export MIGRATE_BIN
echo "binary: $MIGRATE_BIN" >&2
for d in $delays; do
  PEERBENCH_DIR="$out/d$d" DELAY_MS="$d" COUNT="$count" RUNS="$runs" OURS="$here/ours.sh" bash "$peers/run.sh" >"$out-d$d.log" 2>&1 \
    || { echo "peer run with DELAY_MS=$d failed; see $out-d$d.log" >&2; tail -20 "$out-d$d.log" >&2; exit 1; }
done

python3 - "$out" "$delays" <<'PY'
import glob, json, os, statistics, sys
out, delays = sys.argv[1], [int(d) for d in sys.argv[2].split()]
def median(d, case):
    res = os.path.join(out, "d%d" % d, "results")
    if case.startswith("raw_"):
        # The raw limits time their FETCH or APPEND phase in-process (no interpreter start-up).
        walls = [json.load(open(p))["wall_s"] for p in glob.glob(os.path.join(res, case + ".run*.out"))]
        return statistics.median(walls) if walls else None
    p = os.path.join(res, case + ".hyperfine.json")
    if not os.path.exists(p):
        return None
    return statistics.median(json.load(open(p))["results"][0]["times"])
def verified(d):
    p = os.path.join(out, "d%d" % d, "results", "verify_ours.json")
    return os.path.exists(p) and json.load(open(p))["ok"]
cases = ["ours_full", "mbsync_full", "ours_noop", "mbsync_noop", "raw_fetch", "raw_multiappend"]
head = "| case | " + " | ".join("%d ms each way: median s" % d for d in delays)
if 0 in delays and len(delays) > 1:
    head += " | " + " | ".join("round trips at %d ms" % d for d in delays if d)
print(head + " |")
print("|---" * (head.count("|") - 1) + "|")
for case in cases:
    ms = [median(d, case) for d in delays]
    if all(m is None for m in ms):
        continue
    row = "| %s | " % case + " | ".join("%.3f" % m if m is not None else "-" for m in ms)
    if 0 in delays and len(delays) > 1 and not case.startswith("raw_"):
        base = ms[delays.index(0)]
        row += " | " + " | ".join("%.0f" % ((m - base) / (2 * d / 1000.0)) for d, m in zip(delays, ms) if d)
    print(row + " |")
for d in delays:
    o, m = median(d, "ours_full"), median(d, "mbsync_full")
    on, mn = median(d, "ours_noop"), median(d, "mbsync_noop")
    rf, ra = median(d, "raw_fetch"), median(d, "raw_multiappend")
    if o and m:
        print("- %d ms each way: full copy %.2fx mbsync%s, no-op %.3f s (%.2fx mbsync); our copy verified: %s"
              % (d, o / m, ", %.2fx (raw FETCH + raw MULTIAPPEND, undelayed)" % (o / (rf + ra)) if rf and ra else "",
                 on, on / mn, verified(d)))
PY
