#!/usr/bin/env python3
"""A byte-counting Unix socket proxy: LISTEN -> UPSTREAM, for wire measurements.

    count-proxy.py LISTEN_SOCKET UPSTREAM_SOCKET STATS_FILE

Every 0.25 s it rewrites STATS_FILE with one line "to_client to_server" (cumulative bytes over
all connections). Runs until killed.
"""
import asyncio
import os
import sys

listen, upstream, stats = sys.argv[1], sys.argv[2], sys.argv[3]
counts = {"to_client": 0, "to_server": 0}


async def pipe(reader, writer, key):
    try:
        while True:
            chunk = await reader.read(1 << 16)
            if not chunk:
                break
            counts[key] += len(chunk)
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def handle(client_reader, client_writer):
    server_reader, server_writer = await asyncio.open_unix_connection(upstream, limit=1 << 20)
    await asyncio.gather(
        pipe(client_reader, server_writer, "to_server"),
        pipe(server_reader, client_writer, "to_client"),
    )


async def report():
    while True:
        temporary = stats + ".tmp"
        with open(temporary, "w") as file:
            file.write(f"{counts['to_client']} {counts['to_server']}\n")
        os.replace(temporary, stats)
        await asyncio.sleep(0.25)


async def main():
    if os.path.exists(listen):
        os.unlink(listen)
    server = await asyncio.start_unix_server(handle, path=listen, limit=1 << 20)
    async with server:
        await asyncio.gather(server.serve_forever(), report())


asyncio.run(main())
