#!/usr/bin/env bash
# Compile and plan a 10,000-mailbox plan (half inline, half from a CSV) against an empty state; goal < 2 s.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
build_cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import sys, os
work = sys.argv[1]
n = 10000
with open(os.path.join(work, "users.csv"), "w") as f:
    f.write("EmailAddress,UserName,Password\n")
    for i in range(n // 2, n):
        f.write(f"user{i}@contoso.com,user{i}@old.example,env:USER_PASSWORD\n")
with open(os.path.join(work, "plan.yaml"), "w") as f:
    f.write("""apiVersion: migration-engine/v1
kind: MigrationPlan
metadata:
  name: bench-10k
spec:
  sources:
    old:
      type: imap
      host: imap.old.example
      port: 993
      tls: implicit
      auth:
        username: "{mailbox}*admin"
        password: env:OLD_ADMIN_PASSWORD
  targets:
    new:
      type: maildir
      path: out
  mailboxSets:
    inline:
      mailboxes:
""")
    for i in range(n // 2):
        f.write(f"        - source: user{i}@old.example\n          target: user{i}@contoso.com\n")
    f.write("""    from-csv:
      csv: users.csv
  migrations:
    - name: wave
      type: imap
      from: old
      to: new
      mailboxSets: [inline, from-csv]
""")
PY
cd "$work"
runs=${RUNS:-5}
plan_s=$(median_seconds "$runs" dotnet "$MIGRATE_DLL" plan plan.yaml)
graph_s=$(median_seconds "$runs" dotnet "$MIGRATE_DLL" graph plan.yaml --format json)
validate_s=$(median_seconds "$runs" dotnet "$MIGRATE_DLL" validate plan.yaml)
rss=$(peak_rss_mb dotnet "$MIGRATE_DLL" plan plan.yaml)
steps=$(dotnet "$MIGRATE_DLL" plan plan.yaml --output json | grep -c '"id"')
echo "10,000-mailbox plan ($steps steps), whole process, median of $runs:"
echo "  migrate validate: ${validate_s} s"
echo "  migrate graph --format json: ${graph_s} s"
echo "  migrate plan (empty state): ${plan_s} s (goal < 2 s), peak RSS ${rss} MB"
