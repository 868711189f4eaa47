"""Shrinks a diverging scenario to a minimal repro that diverges the same way.

Greedy, one batch per round: every candidate that drops one step, one child of the tree or the
armed initial start failures is run on both sides at once; the first candidate that still
diverges in the same category replaces the scenario. Stops when no candidate does.
"""

import copy

import compare


def _without_node(tree, target):
    """A copy of `tree` without its `target`-th non-root node (pre-order) and what lies below it,
    or None past the end."""
    count = [0]
    result = copy.deepcopy(tree)

    def walk(node):
        children = node.get("children", [])
        for position, child in enumerate(children):
            if count[0] == target:
                del children[position]
                return True
            count[0] += 1
            if child["type"] == "supervisor" and walk(child):
                return True
        return False

    return result if walk(result) else None


def _candidates(scenario):
    for index in range(len(scenario["steps"])):
        smaller = copy.deepcopy(scenario)
        del smaller["steps"][index]
        yield smaller
    if scenario.get("initial_fails"):
        smaller = copy.deepcopy(scenario)
        smaller["initial_fails"] = {}
        yield smaller
    for target in range(64):
        tree = _without_node(scenario["tree"], target)
        if tree is not None:
            smaller = copy.deepcopy(scenario)
            smaller["tree"] = tree
            yield smaller


def category_of(scenario, otp, ours):
    """The scenario's divergence category, or None if both sides agree."""
    found = compare.first_divergence(otp, ours)
    if found is None:
        return None
    return compare.categorise(scenario, otp, ours, *found)


def minimize(scenario, category, runners, max_rounds=60):
    """The smallest scenario found that still diverges in `category`."""
    current = copy.deepcopy(scenario)
    for _ in range(max_rounds):
        candidates = list(_candidates(current))
        if not candidates:
            break
        otp, ours = runners.run(candidates)
        for candidate, o, a in zip(candidates, otp, ours):
            if category_of(candidate, o, a) == category:
                current = candidate
                break
        else:
            break
    return current
