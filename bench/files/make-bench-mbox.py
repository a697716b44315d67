#!/usr/bin/env python3
"""Writes an mbox of N messages (default 10,000, about 500 MB) for the file benchmark; deterministic."""
import base64
import os
import random
import sys

def main():
    output = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    average = int(sys.argv[3]) if len(sys.argv) > 3 else 50_000
    rng = random.Random(1234)
    os.makedirs(os.path.dirname(output), exist_ok=True)
    pool = base64.encodebytes(rng.randbytes(average * 3))  # 76-column base64 text to slice attachments from
    with open(output, "wb", buffering=1 << 20) as out:
        for index in range(count):
            size = rng.randrange(average // 10, average * 2 - average // 10)
            start = rng.randrange(0, len(pool) - size)
            start = pool.index(b"\n", start) + 1
            body = pool[start:start + size]
            body = body[: body.rfind(b"\n") + 1]
            header = (f"From bench@example.com Mon Jan  1 00:00:00 2024\n"
                      f"From: Bench <bench@example.com>\nTo: user@example.com\nSubject: bench message {index}\n"
                      f"Date: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-ID: <bench.{index}@example.com>\nStatus: RO\n"
                      f"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b{index}\"\n\n"
                      f"--b{index}\nContent-Type: text/plain\n\nHello {index}\n"
                      f"--b{index}\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n")
            out.write(header.encode())
            out.write(body)
            out.write(f"--b{index}--\n\n".encode())

if __name__ == "__main__":
    main()
