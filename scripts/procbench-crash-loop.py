#!/usr/bin/env python3
"""Crash -> restart of one lone process child, N times in a row, and the supervisor's CPU per
restart (every thread's schedstat). docs/BENCHMARKS.md, "Side by side with process supervisors".

    N=300 python3 scripts/procbench-crash-loop.py .build/release/flare-procbench .build-procbench/procbench-sleep 1
"""
import os, sys, time, signal, subprocess, statistics, select

fifo = "/tmp/procbench-crash-loop.fifo"
if os.path.exists(fifo): os.unlink(fifo)
os.mkfifo(fifo)
fd = os.open(fifo, os.O_RDWR)
buf = b""
def next_pid():
    global buf
    while b"\n" not in buf:
        select.select([fd], [], [], 30)
        buf += os.read(fd, 4096)
    line, buf = buf.split(b"\n", 1)
    return int(line)
def cpu(pid):
    return sum(int(open(f"/proc/{pid}/task/{t}/schedstat").read().split()[0]) for t in os.listdir(f"/proc/{pid}/task"))
p = subprocess.Popen(sys.argv[1:], env=dict(os.environ, PROCBENCH_FIFO=fifo), start_new_session=True)
pid = next_pid()
time.sleep(0.5)
n = int(os.environ.get("N", "300"))
lat = []
c0 = cpu(p.pid)
for i in range(n):
    t = time.monotonic(); os.kill(pid, signal.SIGKILL); pid = next_pid(); lat.append(time.monotonic() - t)
c1 = cpu(p.pid)
p.send_signal(signal.SIGTERM); p.wait()
lat.sort()
print(f"restarts {n}: median {statistics.median(lat)*1e3:.2f} ms, p10 {lat[n//10]*1e3:.2f}, p90 {lat[n*9//10]*1e3:.2f}; supervisor CPU per restart {(c1-c0)/n/1e3:.0f} us")
