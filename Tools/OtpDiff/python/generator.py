"""Seeded random scenarios for the OTP differential suite: a tree and an operation script.

One scenario is one JSON object (the format both runners read; docs/OTP-DIFF.md describes it):

    {"seed": 7, "period_seconds": 3600,
     "tree": {"id": "root", "type": "supervisor", "strategy": "one_for_all", "intensity": 1,
              "children": [{"id": "w1", "type": "worker", "restart": "permanent"}, ...]},
     "initial_fails": {"root/w1": 1},
     "steps": [{"op": "exit", "path": "root/w1", "reason": "abnormal"}, ...]}

The same seed always gives the same scenario (``random.Random(seed)``, no global state).
"""

import random

STRATEGIES = ["one_for_one", "one_for_all", "rest_for_one"]
POLICIES = ["permanent", "transient", "temporary"]
# Small intensities, so bursts escalate; the period is so long that timing never matters.
INTENSITIES = [0, 1, 1, 2, 2, 3]
PERIOD_SECONDS = 3600
MAX_DEPTH = 3


class _Names:
    """Hands out tree-unique child ids: w1, w2, … for workers and s1, s2, … for supervisors."""

    def __init__(self):
        self.count = {"w": 0, "s": 0}

    def next(self, prefix):
        self.count[prefix] += 1
        return f"{prefix}{self.count[prefix]}"


def _worker(rng, names):
    return {"id": names.next("w"), "type": "worker", "restart": rng.choice(POLICIES)}


def _supervisor(rng, names, sup_id, depth, restart=None, max_children=4):
    """A supervisor at `depth` (1 = the root) with 1-`max_children` children."""
    children = []
    for _ in range(rng.randint(1, max_children)):
        if depth < MAX_DEPTH and rng.random() < 0.3:
            children.append(_supervisor(rng, names, names.next("s"), depth + 1, rng.choice(POLICIES), 3))
        else:
            children.append(_worker(rng, names))
    node = {"id": sup_id, "type": "supervisor", "strategy": rng.choice(STRATEGIES),
            "intensity": rng.choice(INTENSITIES), "children": children}
    if restart is not None:
        node["restart"] = restart
    return node


def _paths(node, prefix=""):
    """Every (path, node) of a tree, parents before children."""
    path = f"{prefix}/{node['id']}" if prefix else node["id"]
    yield path, node
    for child in node.get("children", []):
        yield from _paths(child, path)


def _known(tree, added):
    """The worker and supervisor paths the script may address (spec'd or added so far)."""
    workers, supervisors = [], []
    for path, node in list(_paths(tree)) + added:
        (workers if node["type"] == "worker" else supervisors).append(path)
    return workers, supervisors


def _new_child(rng, names, under, sup_nodes):
    """A child to add under `under`: new worker, new small supervisor, or an id already used there."""
    roll = rng.random()
    existing = [c["id"] for c in sup_nodes.get(under, {}).get("children", [])]
    if roll < 0.2 and existing:
        return {"id": rng.choice(existing), "type": "worker", "restart": rng.choice(POLICIES)}
    if roll < 0.4 and under.count("/") + 1 < MAX_DEPTH:
        return _supervisor(rng, names, names.next("s"), under.count("/") + 2, rng.choice(POLICIES), 2)
    return _worker(rng, names)


def generate(seed):
    """The scenario of `seed`: a tree of depth 1-3 and 4-24 steps."""
    rng = random.Random(seed)
    names = _Names()
    tree = _supervisor(rng, names, "root", 1)
    workers, _ = _known(tree, [])
    initial_fails = {}
    if rng.random() < 0.12:
        initial_fails[rng.choice(workers)] = rng.randint(1, 2)
    added = []
    steps = []
    for _ in range(rng.randint(4, 24)):
        workers, supervisors = _known(tree, added)
        sup_nodes = {path: node for path, node in list(_paths(tree)) + added if node["type"] == "supervisor"}
        everything = workers + supervisors[1:]
        roll = rng.random()
        if roll < 0.30:
            steps.append({"op": "exit", "path": rng.choice(workers), "reason": rng.choice(["normal", "abnormal"])})
        elif roll < 0.38:
            target = rng.choice(workers)
            for _ in range(rng.randint(2, 5)):
                steps.append({"op": "exit", "path": target, "reason": "abnormal"})
        elif roll < 0.48 and everything:
            steps.append({"op": "kill", "path": rng.choice(everything)})
        elif roll < 0.58 and everything:
            steps.append({"op": "terminate", "path": rng.choice(everything)})
        elif roll < 0.68 and everything:
            steps.append({"op": "restart", "path": rng.choice(everything)})
        elif roll < 0.75 and everything:
            steps.append({"op": "delete", "path": rng.choice(everything)})
        elif roll < 0.88:
            under = rng.choice(supervisors)
            child = _new_child(rng, names, under, sup_nodes)
            new_workers = [path for path, node in _paths(child, under) if node["type"] == "worker"]
            if rng.random() < 0.25:
                # The child (or one below it) fails to start: start_child must report it.
                steps.append({"op": "fail_starts", "path": rng.choice(new_workers), "count": rng.randint(1, 2)})
            steps.append({"op": "start_child", "under": under, "child": child})
            if child["id"] not in [c["id"] for c in sup_nodes[under].get("children", [])]:
                added.extend(_paths(child, under))
        else:
            steps.append({"op": "fail_starts", "path": rng.choice(workers), "count": rng.randint(1, 3)})
    return {"seed": seed, "period_seconds": PERIOD_SECONDS, "tree": tree,
            "initial_fails": initial_fails, "steps": steps}


def without_start_failures(scenario):
    """The scenario with its scripted start failures removed (same tree, same other steps)."""
    scenario = dict(scenario)
    scenario["initial_fails"] = {}
    scenario["steps"] = [step for step in scenario["steps"] if step["op"] != "fail_starts"]
    return scenario
