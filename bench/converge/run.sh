#!/usr/bin/env bash
# Converge figures (issue 14): a Maildir -> Maildir plan of MAILBOXES mailboxes (default 1,000, MESSAGES each), copied once,
# then timed as a whole process, median of RUNS:
#   - `migrate plan` with the source refresh (one folder listing per mailbox, counts against the ledger);
#   - `migrate plan --refresh=false` (state alone), for comparison;
#   - a no-op `migrate apply` (every mailbox done, nothing arrived: the cursor-and-count pass).
# Then one message arrives in one mailbox and one is deleted in another: `plan` must show both, and apply copy exactly one.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
build_cli
mailboxes=${MAILBOXES:-1000}
messages=${MESSAGES:-6}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$mailboxes" "$messages" <<'PY'
import os, sys
work, n, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
folders = ["", ".Archive", ".Sent"]
for u in range(n):
    box = os.path.join(work, "src", f"user{u}@contoso.com")
    for f in folders:
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(box, f, sub), exist_ok=True)
        if f:
            open(os.path.join(box, f, "maildirfolder"), "w").close()
    for i in range(per):
        body = (f"From: a{i}@example.com\r\nTo: user{u}@contoso.com\r\nSubject: bench {u}.{i}\r\n"
                f"Date: Mon, 1 Jan 2024 10:{i % 60:02d}:00 +0000\r\nMessage-ID: <b{u}.{i}@bench>\r\n\r\nbody {u} {i}\r\n")
        name = f"{1700000000 + i}.M{i}P1.bench:2,S"
        with open(os.path.join(box, folders[i % len(folders)], "cur", name), "w") as out:
            out.write(body)
with open(os.path.join(work, "plan.yaml"), "w") as plan:
    plan.write("""apiVersion: migration-engine/v1
kind: MigrationPlan
metadata:
  name: bench-converge
spec:
  sources:
    src:
      type: maildir
      path: src
  targets:
    dst:
      type: maildir
      path: out
  mailboxSets:
    users:
      mailboxes:
""")
    for u in range(n):
        plan.write(f"        - source: user{u}@contoso.com\n          target: user{u}@contoso.com\n")
    plan.write("""  migrations:
    - name: copy
      type: import
      from: src
      to: dst
      mailboxSets: [users]
      concurrency:
        mailboxes: 8
""")
PY
cd "$work"
migrate() { dotnet "$MIGRATE_DLL" "$@"; }
start=$(date +%s.%N)
migrate apply plan.yaml -v quiet >/dev/null
full=$(echo "$(date +%s.%N) - $start" | bc)
plan_refresh=$(median_seconds "$runs" dotnet "$MIGRATE_DLL" plan plan.yaml)
plan_offline=$(median_seconds "$runs" dotnet "$MIGRATE_DLL" plan plan.yaml --refresh=false)
noop=$(median_seconds "$runs" dotnet "$MIGRATE_DLL" apply plan.yaml -v quiet)

# The world moves: one message arrives in user1, one is deleted in user2's INBOX.
cp src/user0@contoso.com/cur/"$(ls src/user0@contoso.com/cur | head -1)" "src/user1@contoso.com/new/1800000000.M1P1.late"
sed -i 's/Message-ID: <b0\./Message-ID: <late0./' src/user1@contoso.com/new/1800000000.M1P1.late
rm "src/user2@contoso.com/cur/$(ls src/user2@contoso.com/cur | head -1)"
moved=$(migrate plan plan.yaml --detailed-exitcode || true)
grep -q "1 new messages in 1 folders" <<<"$moved" || { echo "plan did not show the new message" >&2; echo "$moved" | tail -20 >&2; exit 1; }
grep -q "1 copied before are no longer in the source" <<<"$moved" || { echo "plan did not show the deleted message" >&2; exit 1; }
copied=$(migrate apply plan.yaml -v quiet | grep -o "Copied [0-9]* messages" || true)
[ "$copied" = "Copied 1 messages" ] || { echo "apply after the change: '$copied', expected 'Copied 1 messages'" >&2; exit 1; }

echo "Converge figures: $mailboxes Maildir mailboxes, $messages messages each, 3 folders; whole process, median of $runs"
printf '  full copy (once):            %8.3f s\n' "$full"
printf '  plan (source refresh):       %8.3f s\n' "$plan_refresh"
printf '  plan --refresh=false:        %8.3f s\n' "$plan_offline"
printf '  no-op apply:                 %8.3f s\n' "$noop"
echo "  after one arrival and one deletion: plan showed both; apply copied exactly 1"
