#!/usr/bin/env bash
# Peak memory while copying a single 200 MB message (mbox -> Maildir) against the idle process; goal < 150 MB above idle.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
build_cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
size_mb=${SIZE_MB:-200}
mkdir -p "$work/src/big@contoso.com"
python3 - "$work/src/big@contoso.com/INBOX.mbox" "$size_mb" <<'PY'
import sys, base64, os
path, size_mb = sys.argv[1], int(sys.argv[2])
with open(path, "wb") as f:
    f.write(b"From sender@example.org Mon Jan  1 10:00:00 2024\n")
    f.write(b"From: sender@example.org\nTo: big@contoso.com\nSubject: one big message\nMessage-ID: <big@bench>\n"
            b"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/octet-stream\n"
            b"Content-Transfer-Encoding: base64\n\n")
    chunk = base64.encodebytes(os.urandom(57 * 1024 * 16))
    written = 0
    while written < size_mb * 1024 * 1024:
        f.write(chunk); written += len(chunk)
    f.write(b"--b--\n")
PY
cat > "$work/plan.yaml" <<'YAML'
apiVersion: migration-engine/v1
kind: MigrationPlan
metadata:
  name: bench-memory
spec:
  sources:
    src:
      type: mbox
      path: src
  targets:
    dst:
      type: maildir
      path: out
  mailboxSets:
    one:
      mailboxes:
        - source: big@contoso.com
          target: big@contoso.com
  migrations:
    - name: copy
      type: import
      from: src
      to: dst
      mailboxSets: [one]
YAML
cd "$work"
idle=$(peak_rss_mb dotnet "$MIGRATE_DLL" plan plan.yaml)
copy=$(peak_rss_mb dotnet "$MIGRATE_DLL" apply plan.yaml)
src=$(sha256sum src/big@contoso.com/INBOX.mbox | cut -c1-16)
dst_size=$(find out -type f -path '*cur*' -printf '%s\n' | head -1)
echo "single ${size_mb} MB message, mbox -> Maildir, whole process peak RSS:"
echo "  idle (migrate plan): ${idle} MB"
echo "  apply:               ${copy} MB"
echo "  above idle:          $(echo "$copy - $idle" | bc) MB (goal < 150 MB); copied file ${dst_size} bytes"
