#!/usr/bin/env python3
"""Instructions per unit of work from two callgrind runs of one scenario at two sizes.

    Benchmarks/callgrind-report.py SMALL.callgrind N_SMALL LARGE.callgrind N_LARGE [--top N]

Self (exclusive) instruction counts per function are read with callgrind_annotate and demangled
with `swift demangle`; the difference between the two runs is divided by the difference in
size, so process start-up, set-up and tear-down cancel out. Exclusive counts are used because
callgrind's inclusive counts are unreliable across Swift async functions (tail calls between
partial functions confuse its shadow call stack). Instructions of every thread are counted
(valgrind runs one thread at a time).

Prints the total per unit, a breakdown by category, and the top N (default 25) functions.
"""
import re
import subprocess
import sys
from collections import defaultdict

LINE = re.compile(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$")


def self_costs(path):
    annotated = subprocess.run(
        ["callgrind_annotate", "--threshold=100", path], capture_output=True, text=True, check=True
    ).stdout
    demangled = subprocess.run(
        ["swift", "demangle", "--simplified"], input=annotated, capture_output=True, text=True, check=True
    ).stdout
    costs = defaultdict(int)
    total = 0
    for line in demangled.splitlines():
        match = LINE.match(line)
        if not match:
            continue
        count = int(match.group(1).replace(",", ""))
        name = match.group(2)
        if "PROGRAM TOTALS" in name:
            total = count
            continue
        name = re.sub(r"^\S*?:", "", name, count=1) if name.startswith(("???:", ".", "/")) else name
        name = name.replace("'2", "")
        costs[name] += count
    return total, costs


CATEGORIES = [
    ("malloc/free", r"malloc\.c|arena\.c|swift_slowAlloc|swift_slowDealloc|swift_allocObject|swift_deallocObject|"
                    r"swift_deallocClassInstance|swift_allocBox|swift_deallocBox|\bmalloc\b|\bfree\b|cfree|_int_|"
                    r"tcache|malloc_consolidate|unlink_chunk"),
    ("retain/release", r"swift_retain|swift_release|swift_bridgeObject|RefCounts|swift_unknownObject|"
                       r"swift_nonatomic|swift_weak|swift_unowned"),
    ("generic metadata", r"Metadata|metadata accessor|getCache|ConcurrentReadableHashMap|swift_getWitnessTable|"
                         r"swift_getGenericMetadata|GenericCacheEntry|MetadataWaitQueue|__swift_instantiate|"
                         r"swift_checkMetadataState|tls_get_addr|swift_getAssociated|swift_conformsTo|"
                         r"tryCast|swift_dynamicCast|findDynamicValueAndType|swift_getDynamicType"),
    ("memcpy/memmove", r"memmove|memcpy|memset|memcmp"),
    ("record/state copies", r"ChildRecord|SupervisorState|ChildSpec\.Kind|_NativeDictionary\.copy|_DictionaryStorage\.deinit"),
    ("hashing/dictionaries", r"Hasher|hash\(into|_hash|RawDictionaryStorage|NativeDictionary|Dictionary|_SetStorage|"
                             r"String\.hash|==.*String|_stringCompare"),
    ("task runtime (scheduling, task alloc, continuations)", r"libswift_Concurrency|swift_task|swift_job|"
                             r"swift_continuation|StackAllocator|AsyncTask|TaskGroup|swift::|dispatch|pthread|futex|"
                             r"lll_|__lll|sched_yield"),
    ("AshFlare engine code", r"SupervisorRuntime|TreeCore|TreeState|WorkerRunner|OneShot|ChildExecution|EventHub|"
                             r"IntensityWindow|TreeClock|ChildPath|TreeMetrics|markChildRunning|Locked|NodeSnapshot|"
                             r"TreeSnapshot|SupervisorEvent"),
    ("benchmark fixture", r"CrashGate|GatedCrashWorker|Tally|IdleWorker|FlatTree|DeepTree|OneForAllFixture|"
                          r"CrashLoopFixture|TreeHolder"),
]


def category(name):
    for label, pattern in CATEGORIES:
        if re.search(pattern, name):
            return label
    return "other (stdlib: strings, arrays, Duration, …)"


def main():
    args = sys.argv[1:]
    top = 25
    if "--top" in args:
        index = args.index("--top")
        top = int(args[index + 1])
        del args[index:index + 2]
    if len(args) != 4:
        print(__doc__)
        sys.exit(2)
    small_path, small_n, large_path, large_n = args[0], int(args[1]), args[2], int(args[3])
    small_total, small = self_costs(small_path)
    large_total, large = self_costs(large_path)
    units = large_n - small_n
    per_unit = {name: (large.get(name, 0) - small.get(name, 0)) / units for name in set(small) | set(large)}
    total = (large_total - small_total) / units
    print(f"{total:,.0f} instructions per unit ({small_n} → {large_n} units; totals {small_total:,} → {large_total:,})")
    by_category = defaultdict(float)
    for name, cost in per_unit.items():
        by_category[category(name)] += cost
    print("\nby category:")
    for label, cost in sorted(by_category.items(), key=lambda item: -item[1]):
        print(f"  {cost:>12,.0f}  {100 * cost / total:5.1f}%  {label}")
    print(f"\ntop {top} functions (self instructions per unit):")
    for name, cost in sorted(per_unit.items(), key=lambda item: -item[1])[:top]:
        print(f"  {cost:>12,.0f}  {100 * cost / total:5.1f}%  {name[:150]}")


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        pass
