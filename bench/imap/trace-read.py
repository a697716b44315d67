#!/usr/bin/env python3
"""Prints a recorded run (trace-ours.sh) as one timeline of both sides, in round trips: each client chunk with its
time, its connection (s1.. source, d1.. target) and first line; a line of dashes marks a gap of at least half a round
trip in which no command was sent (the client was waiting). Usage: trace-read.py PREFIX RTT_MS [--all]"""
import sys

prefix, rtt = sys.argv[1], float(sys.argv[2]) / 1000.0
show_all = "--all" in sys.argv
events = []
for side in ("src", "dst"):
    for line in open("%s.%s" % (prefix, side)):
        parts = line.rstrip("\n").split(" ", 4)
        t, conn, kind = float(parts[0]), int(parts[1]), parts[2]
        if kind in ("open", "close"):
            events.append((t, side[0] + str(conn), kind, 0, ""))
        else:
            events.append((t, side[0] + str(conn), kind, int(parts[3]), parts[4] if len(parts) > 4 else ""))
events.sort()
start = next(e[0] for e in events if e[2] == "open")
last_c = None
for t, conn, kind, size, text in events:
    if kind == "S" and not show_all:
        continue
    if kind == "C" and last_c is not None and t - last_c >= rtt / 2:
        print("-" * 20, "%.1f RT idle" % ((t - last_c) / rtt))
    if kind == "C":
        last_c = t
    print("%7.2f RT %-4s %s %7d %s" % ((t - start) / rtt, conn, kind, size, text[:90]))
end = events[-1][0]
print("span %.2f s = %.1f round trips; %d client chunks" % (end - start, (end - start) / rtt, sum(1 for e in events if e[2] == "C")))
