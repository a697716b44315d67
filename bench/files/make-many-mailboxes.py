#!/usr/bin/env python3
"""Many small Maildir mailboxes and a plan copying them into a Maildir (issue 18's scheduling overhead, issue 22's
"2,000 mailboxes x 20 small messages within 3x cp -r"). Shared by bench/workers/run.sh and bench/files/many-mailboxes.sh.

Usage: make-many-mailboxes.py WORK MAILBOXES [PLAN_NAME]
Writes WORK/src/user<u>@contoso.com/{cur,new,tmp} with 20 messages each and WORK/plan.yaml (source path src, target
path out, relative to WORK; concurrency.mailboxes 8)."""
import os
import sys

work, n = sys.argv[1], int(sys.argv[2])
name = sys.argv[3] if len(sys.argv) > 3 else "bench-workers-small"
for u in range(n):
    box = os.path.join(work, "src", f"user{u}@contoso.com")
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(box, sub), exist_ok=True)
    for i in range(20):
        with open(os.path.join(box, "cur", f"{1700000000 + i}.M{i}P1.bench:2,S"), "w") as out:
            out.write(f"From: a@example.com\r\nSubject: s {u}.{i}\r\nMessage-ID: <s{u}.{i}@bench>\r\n\r\nsmall {u} {i}\r\n")
with open(os.path.join(work, "plan.yaml"), "w") as plan:
    plan.write(f"apiVersion: migration-engine/v1\nkind: MigrationPlan\nmetadata:\n  name: {name}\nspec:\n"
               "  sources:\n    src:\n      type: maildir\n      path: src\n  targets:\n    dst:\n      type: maildir\n      path: out\n"
               "  mailboxSets:\n    users:\n      mailboxes:\n")
    for u in range(n):
        plan.write(f"        - source: user{u}@contoso.com\n          target: user{u}@contoso.com\n")
    plan.write("  migrations:\n    - name: copy\n      type: import\n      from: src\n      to: dst\n      mailboxSets: [users]\n"
               "      concurrency:\n        mailboxes: 8\n")
