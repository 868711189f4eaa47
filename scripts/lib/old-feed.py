#!/usr/bin/env python3
"""What the dashboard's remote feed sent before deltas, replayed over the wire protocol:
hello, subscribe, then a full `snapshot` every INTERVAL seconds (the terminal loop's periodic
re-read), reading everything the server sends. For scripts/remote-idle-bytes.sh.

    old-feed.py SOCKET INTERVAL_SECONDS
"""
import json
import socket
import sys
import threading
import time

path, interval = sys.argv[1], float(sys.argv[2])
connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
connection.connect(path)


def drain():
    while connection.recv(1 << 20):
        pass


def send(frame):
    connection.sendall((json.dumps(frame, separators=(",", ":")) + "\n").encode())


send({"id": 0, "op": "hello", "version": 2, "client": "old-feed"})
threading.Thread(target=drain, daemon=True).start()
send({"id": 1, "op": "subscribe"})
request = 2
while True:
    time.sleep(interval)
    send({"id": request, "op": "snapshot"})
    request += 1
