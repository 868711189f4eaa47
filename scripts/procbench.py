#!/usr/bin/env python3
"""AshFlare, s6, runit and supervisord supervising the same processes (issue 14), timed from
outside the same way for each. Run by scripts/bench-vs-process-supervisors.sh (which installs the
peers and builds the two binaries); see docs/BENCHMARKS.md, "Side by side with process supervisors".

Every supervisor runs N copies of procbench-sleep (`sleep infinity` that writes its pid to a FIFO
once it runs). Per peer and round, alternating peers (the order rotates every round):
  N = 100 : start until all run; supervisor PSS; crash -> restart samples; stop (SIGTERM) until all exited
  N = 1000: start; supervisor PSS; idle CPU over --idle-seconds; stop
and, for AshFlare only, the crash samples again with its default backoff (--backoff).
Samples go to --out (JSON lines); the table of medians is printed at the end.
"""
import argparse
import json
import os
import random
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

PEERS = ["s6", "runit", "supervisord", "ashflare"]
SETTLE = 1.2  # seconds a process runs before it is killed: past s6's and runit's 1 s restart throttle


def log(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


class Fifo:
    """The FIFO every procbench-sleep writes "PID\\n" to. Held open read-write, so reads never end."""

    def __init__(self, path):
        os.mkfifo(path)
        self.path = path
        self.fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)
        self.buffer = b""

    def next_pid(self, timeout):
        """The next pid written, or None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                self.buffer += os.read(self.fd, 65536)
        line, self.buffer = self.buffer.split(b"\n", 1)
        return int(line)

    def drain(self):
        """Forgets whatever an earlier case left behind."""
        self.buffer = b""
        try:
            while os.read(self.fd, 65536):
                pass
        except BlockingIOError:
            pass

    def close(self):
        os.close(self.fd)


def children_of():
    """pid -> parent pid, for every process."""
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
        except (OSError, IndexError):
            pass
    return parents


def descendants(root):
    parents = children_of()
    found, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                found.add(pid)
                frontier.append(pid)
    return found


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_ns(pid):
    """Time on a CPU of all the process's threads, in ns, from /proc/PID/task/*/schedstat (not
    tick-rounded like stat's utime; /proc/PID/schedstat alone is only the main thread's)."""
    total = 0
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0
    for thread in threads:
        try:
            with open(f"/proc/{pid}/task/{thread}/schedstat") as schedstat:
                total += int(schedstat.read().split()[0])
        except (OSError, IndexError, ValueError):
            pass
    return total


def wait_all_exited(pidfds, timeout):
    """Seconds until every pidfd is readable (its process exited), or None after `timeout`."""
    start = time.monotonic()
    poller = select.poll()
    for fd in pidfds:
        poller.register(fd, select.POLLIN)
    left = set(pidfds)
    while left:
        remaining = timeout - (time.monotonic() - start)
        if remaining <= 0:
            return None
        for fd, _ in poller.poll(remaining * 1000):
            poller.unregister(fd)
            left.discard(fd)
    return time.monotonic() - start


class Peer:
    """One supervisor: how to lay out N services, start it, and stop it."""

    def __init__(self, name, work, sleeper, driver, prefix, backoff=False):
        self.name, self.work, self.sleeper, self.driver = name, work, sleeper, driver
        self.prefix, self.backoff = prefix, backoff

    def prepare(self, count):
        shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.work)
        if self.name in ("s6", "runit"):
            for index in range(count):
                service = os.path.join(self.work, f"p{index}")
                os.mkdir(service)
                os.symlink(self.sleeper, os.path.join(service, "run"))
        elif self.name == "supervisord":
            lines = ["[supervisord]", "nodaemon=true", "minfds=8192", "minprocs=4096",
                     f"logfile={self.work}/supervisord.log", f"pidfile={self.work}/supervisord.pid",
                     f"childlogdir={self.work}", "loglevel=warn", "user=root", ""]
            for index in range(count):
                lines += [f"[program:p{index}]", f"command={self.sleeper}", "autostart=true", "autorestart=true",
                          "startsecs=1", "stopsignal=TERM", "stopwaitsecs=5",
                          "stdout_logfile=NONE", "stderr_logfile=NONE", ""]
            with open(os.path.join(self.work, "supervisord.conf"), "w") as conf:
                conf.write("\n".join(lines))
        self.count = count

    def command(self):
        if self.name == "s6":
            return ["s6-svscan", "-c", str(self.count + 16), self.work]
        if self.name == "runit":
            return ["runsvdir", self.work]
        if self.name == "supervisord":
            return ["supervisord", "-c", os.path.join(self.work, "supervisord.conf")]
        return [self.driver, self.sleeper, str(self.count)] + (["--backoff"] if self.backoff else [])

    # s6-svscan: SIGTERM = `s6-svscanctl -t` (each s6-supervise brings its service down, exits);
    # runsvdir: SIGHUP (SIGTERM would leave the runsv processes running); supervisord and
    # flare-procbench: SIGTERM.
    def stop_signal(self):
        return signal.SIGHUP if self.name == "runit" else signal.SIGTERM


def run_case(peer, count, fifo, args, record):
    """Start `count` processes under `peer`, measure, stop; appends samples with `record`."""
    peer.prepare(count)
    fifo.drain()
    env = dict(os.environ, PROCBENCH_FIFO=fifo.path)
    started = time.monotonic()
    supervisor = subprocess.Popen(peer.prefix + peer.command(), env=env, cwd=peer.work, start_new_session=True,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(os.path.join(peer.work, "stderr"), "w"))
    pids = []
    try:
        while len(pids) < count:
            pid = fifo.next_pid(timeout=120)
            if pid is None:
                raise RuntimeError(f"{peer.name}: only {len(pids)} of {count} processes ran within 120 s")
            pids.append(pid)
        record("start", time.monotonic() - started)
        time.sleep(SETTLE)
        side = descendants(supervisor.pid) - set(pids)
        record("pss-per-process", sum(pss_kib(p) for p in side) * 1024 / count, extra={"rss-total-kib": sum(rss_kib(p) for p in side), "processes": len(side)})
        if count >= 1000:
            before = sum(cpu_ns(p) for p in side)
            time.sleep(args.idle_seconds)
            after = sum(cpu_ns(p) for p in descendants(supervisor.pid) - set(pids))
            record("idle-cpu", (after - before) / 1e9 / args.idle_seconds * 100, extra={"threads": "all"})
        else:
            for _ in range(args.crash_samples):
                victim = random.choice(pids)
                killed = time.monotonic()
                os.kill(victim, signal.SIGKILL)
                pid = fifo.next_pid(timeout=30)
                if pid is None:
                    raise RuntimeError(f"{peer.name}: no restart within 30 s")
                record("crash-restart", time.monotonic() - killed)
                pids[pids.index(victim)] = pid
                time.sleep(SETTLE)
        if peer.backoff:
            return pids  # the backoff variant only measures crash -> restart
        pidfds = [os.pidfd_open(p) for p in pids]
        supervisor.send_signal(peer.stop_signal())
        took = wait_all_exited(pidfds, timeout=120)
        for fd in pidfds:
            os.close(fd)
        if took is None:
            raise RuntimeError(f"{peer.name}: not every process exited within 120 s of the stop")
        record("stop", took)
        supervisor.wait(timeout=60)
        return []
    finally:
        cleanup(supervisor, pids)


def cleanup(supervisor, pids):
    everything = descendants(supervisor.pid) | set(pids)
    if supervisor.poll() is None:
        supervisor.send_signal(signal.SIGKILL)
    for pid in everything:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    supervisor.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--idle-seconds", type=float, default=5)
    parser.add_argument("--crash-samples", type=int, default=5)
    parser.add_argument("--taskset", default="")
    parser.add_argument("--sleeper", required=True)
    parser.add_argument("--driver", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--peers", default=",".join(PEERS))
    args = parser.parse_args()

    prefix = ["taskset", "-c", args.taskset] if args.taskset else []
    scratch = tempfile.mkdtemp(prefix="procbench-")
    fifo = Fifo(os.path.join(scratch, "fifo"))
    peers = [p for p in args.peers.split(",") if p]
    out = open(args.out, "a")
    try:
        for round_number in range(args.rounds):
            order = peers[round_number % len(peers):] + peers[:round_number % len(peers)]
            for count in (100, 1000):
                for name in order:
                    variants = [False, True] if name == "ashflare" and count == 100 else [False]
                    for backoff in variants:
                        label = name + (" (backoff)" if backoff else "")
                        log(f"round {round_number + 1}/{args.rounds}: {label}, {count} processes")
                        peer = Peer(name, os.path.join(scratch, name), args.sleeper, args.driver, prefix, backoff)

                        def record(metric, value, extra=None, label=label, count=count):
                            line = {"peer": label, "n": count, "metric": metric, "value": value, "round": round_number + 1,
                                    "taskset": args.taskset or None}
                            line.update(extra or {})
                            out.write(json.dumps(line) + "\n")
                            out.flush()
                        run_case(peer, count, fifo, args, record)
    finally:
        fifo.close()
        shutil.rmtree(scratch, ignore_errors=True)
    out.close()


if __name__ == "__main__":
    main()
