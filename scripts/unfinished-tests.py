#!/usr/bin/env python3
"""Prints the Swift Testing tests a log shows as started and never finished.

.ci/run uses it when `swift test` outlives its deadline, so a hang names the test that hung
instead of only using up CI's time. Usage: unfinished-tests.py LOG
"""
import re
import sys

ANSI = re.compile(r"\x1b\[[0-9;]*m")
started, ended = [], set()
with open(sys.argv[1], errors="replace") as log:
    for line in log:
        line = ANSI.sub("", line)
        if match := re.match(r'◇ Test "(.*?)" started', line):
            started.append(match.group(1))
        elif match := re.match(r'[✔✘] Test "(.*?)" (?:passed|failed|with)', line):
            ended.add(match.group(1))
unfinished = [name for name in dict.fromkeys(started) if name not in ended]
for name in unfinished:
    print(f"  never finished: {name}")
if not unfinished:
    print("  every test that started finished (the hang is outside a test, or its output was not flushed)")
