#!/usr/bin/env python3
"""Recording TCP proxy on 127.0.0.1 for reading a copier's round trips: forwards both directions at once (no delay of
its own; put it in front of the harness's delay proxy) and writes one line per chunk read to LOG:
    <seconds since start> <connection> <C|S> <bytes> <the chunk's first line, up to 100 characters>
C is client to server, S server to client; a server chunk's last line is written too when it differs (where a tagged
answer usually ends). Usage: traceproxy.py LISTEN_PORT TARGET_PORT LOG   (prints 'ready' when listening)"""
import asyncio, socket, sys, time

LISTEN, TARGET, LOG = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
T0 = time.monotonic()
out = open(LOG, "w", buffering=1)
count = 0


def show(line):
    return line[:100].decode("latin-1").replace("\r", "").replace("\n", "")


async def pump(conn, side, reader, writer):
    try:
        while True:
            data = await reader.read(262144)
            if not data:
                break
            lines = [l for l in data.split(b"\r\n") if l]
            first = show(lines[0]) if lines else ""
            last = show(lines[-1]) if len(lines) > 1 and side == "S" else ""
            out.write("%.4f %d %s %d %s%s\n" % (time.monotonic() - T0, conn, side, len(data), first, " ... " + last if last else ""))
            writer.write(data)
            await writer.drain()
    except Exception:
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def handle(creader, cwriter):
    global count
    count += 1
    conn = count
    out.write("%.4f %d open\n" % (time.monotonic() - T0, conn))
    sreader, swriter = await asyncio.open_connection("127.0.0.1", TARGET)
    for w in (cwriter, swriter):
        s = w.get_extra_info("socket")
        if s is not None:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    await asyncio.gather(pump(conn, "C", creader, swriter), pump(conn, "S", sreader, cwriter))
    out.write("%.4f %d close\n" % (time.monotonic() - T0, conn))


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", LISTEN)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
