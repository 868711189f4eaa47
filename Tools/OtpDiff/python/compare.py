"""Step-by-step comparison of the two runners' observations, and the divergence categories.

Both runners print, per scenario, the observation after the start (step 0) and after every step
(see docs/OTP-DIFF.md). Documented AshFlare differences are already normalised away by the
runners (child order: both print sorted paths; reason names: neither prints reasons). The first
step where the two observations differ is the scenario's divergence: after it the trees differ,
so later steps say nothing new.
"""

FIELDS = ["result", "alive", "specs", "starts", "failed", "started", "escalated"]


def first_divergence(otp, ours):
    """(step index, [differing fields]) of the first differing step, or None if they agree."""
    otp_steps, our_steps = otp["steps"], ours["steps"]
    for index in range(max(len(otp_steps), len(our_steps))):
        if index >= len(otp_steps) or index >= len(our_steps):
            return index, ["steps"]
        fields = [f for f in FIELDS if otp_steps[index].get(f) != our_steps[index].get(f)]
        if fields:
            return index, fields
    return None


def _nodes(scenario):
    """Every spec'd node by path: the tree's and those start_child adds."""
    nodes = {}

    def walk(node, prefix):
        path = f"{prefix}/{node['id']}" if prefix else node["id"]
        nodes.setdefault(path, node)
        for child in node.get("children", []):
            walk(child, path)

    walk(scenario["tree"], "")
    for step in scenario["steps"]:
        if step["op"] == "start_child":
            walk(step["child"], step["under"])
    return nodes


def categorise(scenario, otp, ours, index, fields):
    """A short name for why the scenario diverged at step `index` (the first matching rule)."""
    steps = [{"op": "start"}] + scenario["steps"]
    step = steps[index] if index < len(steps) else {"op": "end"}
    o = otp["steps"][index] if index < len(otp["steps"]) else {}
    a = ours["steps"][index] if index < len(ours["steps"]) else {}
    nodes = _nodes(scenario)
    if "result" in fields:
        if o.get("result") in ("already_started", "already_present") and a.get("result") == "already_exists":
            return "start_child of an existing id: already_started/already_present collapsed"
        if index == 0 and o.get("result") == "start_failed":
            return "failing start during the initial start: OTP's tree start fails"
        if step["op"] == "start_child" and o.get("result") == "start_failed":
            return "start_child whose start fails: OTP returns an error, AshFlare ok"
        if step["op"] == "restart":
            return "restart op whose start fails"
    gave_up = set(o.get("escalated", [])) | set(a.get("escalated", []))
    if any(nodes.get(p, {}).get("restart") == "transient" for p in gave_up):
        return "transient nested supervisor that gives up"
    if _start_failed(otp, index) or _start_failed(ours, index):
        return "start failure during a restart"
    if any(run["steps"][min(index, len(run["steps"])) - 1].get("failed") for run in (otp, ours)):
        return "later effect of an earlier start failure"
    if sorted(o.get("started", [])) == sorted(a.get("started", [])) and o.get("started") != a.get("started"):
        return "start order within a step"
    return "other: " + ",".join(fields)


def _start_failed(run, index):
    """Whether a start failed during step `index` of `run` (its failed counts grew)."""
    steps = run["steps"]
    if index >= len(steps):
        return False
    before = steps[index - 1].get("failed", {}) if index > 0 else {}
    return steps[index].get("failed", {}) != before
