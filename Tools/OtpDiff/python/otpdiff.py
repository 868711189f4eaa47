"""The OTP differential suite: generate scenarios, run them on real OTP and on AshFlare, compare.

    python3 Tools/OtpDiff/python/otpdiff.py --ebin DIR --ours BIN [--scenarios N] [--seed S]
                                            [--file SCENARIOS.jsonl] [--repros DIR] [--quiet]
                                            [--against-itself otp|ours]

Scenario i of a run has seed S * 1,000,000 + i, so any one can be regenerated alone. Prints each
divergence (seed, step, both sides), a count per category and a summary line; exits 1 on any
divergence. With --repros, writes one minimised scenario per category there (DIR/<slug>.json).
"""

import argparse
import collections
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import compare  # noqa: E402
import generator  # noqa: E402
import minimize  # noqa: E402
from runners import Runners  # noqa: E402


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ebin", required=True, help="the compiled Erlang modules")
    parser.add_argument("--ours", required=True, help="the flare-otp-diff binary")
    parser.add_argument("--scenarios", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--file", help="run the scenarios in this file (JSON lines or one JSON object) instead")
    parser.add_argument("--repros", help="write one minimised repro per divergence category here")
    parser.add_argument("--without-start-failures", action="store_true",
                        help="drop the scripted start failures (fail_starts steps, failing initial starts): "
                             "the engine does not follow OTP there yet (docs/OTP-DIFF.md)")
    parser.add_argument("--quiet", action="store_true", help="print only the first divergence of each category")
    parser.add_argument("--against-itself", choices=["otp", "ours"],
                        help="run one side twice instead (shows that side is deterministic)")
    return parser.parse_args()


def _load(path):
    with open(path) as source:
        text = source.read().strip()
    if text.startswith("{") and "\n{" not in text:
        return [json.loads(text)]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _show(scenario, otp, ours, index, fields, category, labels=("OTP", "AshFlare")):
    op = ([{"op": "start"}] + scenario["steps"] + [{"op": "end"}])[min(index, len(scenario["steps"]) + 1)]
    print(f"DIVERGENCE seed {scenario['seed']} step {index} {json.dumps(op)} [{category}]")
    for field in fields:
        o = otp["steps"][index].get(field) if index < len(otp["steps"]) else "(no step)"
        a = ours["steps"][index].get(field) if index < len(ours["steps"]) else "(no step)"
        if field == "steps":
            o, a = f"{len(otp['steps'])} steps", f"{len(ours['steps'])} steps"
        print(f"    {field}: {labels[0]} {json.dumps(o)}  {labels[1]} {json.dumps(a)}")


def _slug(category):
    return re.sub(r"[^a-z0-9]+", "-", category.lower()).strip("-")[:60]


def main():
    args = _arguments()
    began = time.monotonic()
    if args.file:
        scenarios = _load(args.file)
    else:
        scenarios = [generator.generate(args.seed * 1_000_000 + i) for i in range(args.scenarios)]
    if args.without_start_failures:
        scenarios = [generator.without_start_failures(scenario) for scenario in scenarios]
    runners = Runners(args.ebin, args.ours, args.against_itself)
    side = {"otp": "OTP", "ours": "AshFlare"}.get(args.against_itself)
    labels = (f"{side} run 1", f"{side} run 2") if side else ("OTP", "AshFlare")
    otp, ours = runners.run(scenarios)
    by_category = collections.defaultdict(list)
    steps = 0
    for scenario, o, a in zip(scenarios, otp, ours):
        steps += len(o["steps"])
        found = compare.first_divergence(o, a)
        if found is None:
            continue
        category = compare.categorise(scenario, o, a, *found)
        if not args.quiet or not by_category[category]:
            _show(scenario, o, a, *found, category, labels)
        by_category[category].append((found[0], scenario))
    ran = time.monotonic() - began
    if by_category:
        print("divergences by category:")
        for category, hits in sorted(by_category.items(), key=lambda item: -len(item[1])):
            print(f"  {len(hits):6d}  {category}")
    if args.repros and by_category:
        os.makedirs(args.repros, exist_ok=True)
        for category, hits in by_category.items():
            index, scenario = min(hits, key=lambda hit: (hit[0], len(json.dumps(hit[1]))))
            shrunk = minimize.minimize(dict(scenario, steps=scenario["steps"][:max(index, 0)]), category, runners)
            path = os.path.join(args.repros, _slug(category) + ".json")
            with open(path, "w") as out:
                json.dump(dict(shrunk, category=category), out, indent=1, sort_keys=True)
                out.write("\n")
            print(f"repro: {path}")
    diverged = sum(len(hits) for hits in by_category.values())
    print(f"otp-diff: {len(scenarios)} scenarios, {steps} steps compared, {diverged} diverged, "
          f"{len(by_category)} categories, {ran:.1f} s")
    return 1 if diverged else 0


if __name__ == "__main__":
    sys.exit(main())
