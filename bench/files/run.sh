#!/usr/bin/env bash
# File adapter benchmark: mbox -> Maildir++ copy of 10,000 messages (~500 MB) against `cp -r` of the same Maildir.
# Usage: bench/files/run.sh [messages] [average-bytes]   (work folder: $BENCH_DIR or a temp folder, removed at the end)
# When the CLI is built (dotnet build engine/MigrationEngine.Cli -c Release, or MIGRATE_DLL=path), the copy is
# `migrate apply` on a generated plan (wall time, start-up and state database included); otherwise a small
# harness drives the adapters as the executor does (list, fetch in batches of 100, append) and times the copy.
# CONNECTIONS=n sets the plan's concurrency.connectionsPerMailbox (default 1): with more than one, the mbox's folder is
# copied in ranges on several readers (migrate apply only; the harness has one reader).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
count="${1:-10000}"
average="${2:-50000}"
connections="${CONNECTIONS:-1}"
work="${BENCH_DIR:-$(mktemp -d /tmp/bench-files.XXXXXX)}"
artifacts="${BENCH_ARTIFACTS:-/tmp/art-bench-files}"
trap 'rm -rf "$work"' EXIT

echo "building harness (Release)..."
dotnet build "$here/Harness/Harness.csproj" -c Release --artifacts-path "$artifacts" -v quiet -nologo >/dev/null
harness="$(find "$artifacts/bin/Harness" -name Harness.dll | head -1)"

echo "generating $count messages..."
python3 "$here/make-bench-mbox.py" "$work/source/bench@example.com/INBOX.mbox" "$count" "$average"
mbox_bytes=$(stat -c %s "$work/source/bench@example.com/INBOX.mbox")
# Flush the generated file and warm the page cache, so that both copies start from the same state:
# reads from memory, no write-back pending. Neither timing includes a final sync.
sync
cat "$work/source/bench@example.com/INBOX.mbox" >/dev/null

migrate="${MIGRATE_DLL:-$repo/engine/MigrationEngine.Cli/bin/Release/net10.0/migrate.dll}"
if [[ -f "$migrate" ]]; then
  cat > "$work/plan.yaml" <<YAML
apiVersion: migration-engine/v1
kind: MigrationPlan
metadata:
  name: bench-files
spec:
  sources:
    src:
      type: mbox
      path: $work/source
  targets:
    dst:
      type: maildir
      path: $work/target
  mailboxSets:
    bench:
      mailboxes:
        - source: bench@example.com
          target: bench@example.com
  migrations:
    - name: bench
      type: import
      from: src
      to: dst
      mailboxSets:
        - bench
      concurrency:
        mailboxes: 1
        connectionsPerMailbox: $connections
YAML
  echo "copying with: migrate apply (connectionsPerMailbox: $connections)"
  start=$(date +%s.%N)
  (cd "$work" && dotnet "$migrate" apply plan.yaml >"$work/apply.log" 2>&1) || { cat "$work/apply.log"; exit 1; }
  end=$(date +%s.%N)
  seconds=$(echo "$end - $start" | bc -l)
  messages=$(find "$work/target/bench@example.com/cur" -type f | wc -l)
  bytes=$(find "$work/target/bench@example.com/cur" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
else
  echo "copying with: adapter harness (build the CLI in Release to time migrate apply instead)"
  read -r messages bytes seconds < <(dotnet "$harness" mbox "$work/source" "$work/target" bench@example.com 100)
fi
sync
start=$(date +%s.%N)
cp -r "$work/target/bench@example.com" "$work/cp-copy"
end=$(date +%s.%N)
cp_seconds=$(echo "$end - $start" | bc -l)

python3 - "$messages" "$bytes" "$seconds" "$cp_seconds" "$mbox_bytes" <<'PY'
import sys
messages, size, ours, cp, mbox = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
mb = size / 1e6
print(f"mbox: {mbox / 1e6:.0f} MB, {messages} messages copied ({mb:.0f} MB of messages)")
print(f"ours  mbox->Maildir: {ours:6.2f} s  {messages / ours:8.0f} msg/s  {mb / ours:6.1f} MB/s")
print(f"cp -r Maildir:       {cp:6.2f} s  {messages / cp:8.0f} msg/s  {mb / cp:6.1f} MB/s")
print(f"ratio ours/cp: {ours / cp:.2f}x (goal: within 3x)")
PY
