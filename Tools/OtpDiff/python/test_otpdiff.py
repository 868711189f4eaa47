"""Unit tests of the suite's pure parts: generator, comparator, minimiser candidates.

    python3 -m unittest discover -s Tools/OtpDiff/python
"""

import json
import unittest

import compare
import generator
import minimize


def _depth(node):
    return 1 + max((_depth(c) for c in node.get("children", []) if c["type"] == "supervisor"), default=0)


def _observation(**fields):
    base = {"result": "ok", "alive": ["root"], "specs": [], "starts": {}, "failed": {}, "started": [], "escalated": []}
    base.update(fields)
    return base


class GeneratorTests(unittest.TestCase):
    def test_the_same_seed_gives_the_same_scenario_and_another_seed_another(self):
        self.assertEqual(json.dumps(generator.generate(5)), json.dumps(generator.generate(5)))
        self.assertNotEqual(json.dumps(generator.generate(5)), json.dumps(generator.generate(6)))

    def test_trees_are_one_to_three_deep_and_cover_every_strategy_and_policy(self):
        scenarios = [generator.generate(seed) for seed in range(300)]
        self.assertTrue(all(1 <= _depth(s["tree"]) <= 3 for s in scenarios))
        nodes = [n for s in scenarios for _, n in generator._paths(s["tree"])]
        self.assertEqual({n["strategy"] for n in nodes if n["type"] == "supervisor"}, set(generator.STRATEGIES))
        nested = {n["restart"] for n in nodes if n["type"] == "supervisor" and "restart" in n}
        self.assertEqual(nested, set(generator.POLICIES))
        self.assertEqual({n["restart"] for n in nodes if n["type"] == "worker"}, set(generator.POLICIES))
        self.assertEqual(max(_depth(s["tree"]) for s in scenarios), 3)

    def test_scripts_use_every_operation_and_bursts_exceed_the_largest_intensity(self):
        scenarios = [generator.generate(seed) for seed in range(300)]
        ops = {step["op"] for s in scenarios for step in s["steps"]}
        self.assertEqual(ops, {"exit", "kill", "terminate", "restart", "delete", "start_child", "fail_starts"})
        longest = 0
        for s in scenarios:
            run = 0
            for before, step in zip([None] + s["steps"], s["steps"]):
                same = before is not None and before["op"] == "exit" and before == step
                run = run + 1 if same else 1
                longest = max(longest, run)
        self.assertGreater(longest, max(generator.INTENSITIES))


class CompareTests(unittest.TestCase):
    def test_agreeing_runs_have_no_divergence(self):
        run = {"steps": [_observation(), _observation(result="running")]}
        self.assertIsNone(compare.first_divergence(run, json.loads(json.dumps(run))))

    def test_the_first_differing_step_and_its_fields_are_reported(self):
        otp = {"steps": [_observation(), _observation(alive=["root", "root/w1"]), _observation(result="x")]}
        ours = {"steps": [_observation(), _observation(alive=["root"], escalated=["root/s1"]), _observation()]}
        self.assertEqual(compare.first_divergence(otp, ours), (1, ["alive", "escalated"]))

    def test_a_run_with_fewer_steps_diverges_where_it_stops(self):
        otp = {"steps": [_observation(), _observation()]}
        self.assertEqual(compare.first_divergence(otp, {"steps": [_observation()]}), (1, ["steps"]))

    def test_an_existing_id_collapsed_into_one_error_is_its_own_category(self):
        scenario = {"tree": {"id": "root", "type": "supervisor", "children": []},
                    "steps": [{"op": "start_child", "under": "root", "child": {"id": "w1", "type": "worker"}}]}
        otp = {"steps": [_observation(), _observation(result="already_present")]}
        ours = {"steps": [_observation(), _observation(result="already_exists")]}
        category = compare.categorise(scenario, otp, ours, 1, ["result"])
        self.assertEqual(category, "start_child of an existing id: already_started/already_present collapsed")

    def test_a_transient_supervisor_that_gives_up_is_its_own_category(self):
        tree = {"id": "root", "type": "supervisor", "children": [
            {"id": "s1", "type": "supervisor", "restart": "transient", "children": []}]}
        scenario = {"tree": tree, "steps": [{"op": "exit", "path": "root/s1/w1", "reason": "abnormal"}]}
        otp = {"steps": [_observation(), _observation(escalated=["root/s1"])]}
        ours = {"steps": [_observation(), _observation(escalated=["root/s1"], alive=["root", "root/s1"])]}
        self.assertEqual(compare.categorise(scenario, otp, ours, 1, ["alive"]), "transient nested supervisor that gives up")

    def test_a_divergence_in_a_step_where_a_start_failed_is_a_start_failure(self):
        tree = {"id": "root", "type": "supervisor", "children": [{"id": "w1", "type": "worker"}]}
        scenario = {"tree": tree, "steps": [{"op": "kill", "path": "root/w1"}]}
        otp = {"steps": [_observation(), _observation(alive=[], failed={"root/w1": 1})]}
        ours = {"steps": [_observation(), _observation(failed={"root/w1": 1})]}
        self.assertEqual(compare.categorise(scenario, otp, ours, 1, ["alive"]), "start failure during a restart")
        earlier = {"steps": [_observation(failed={"root/w1": 1}), _observation(alive=[], failed={"root/w1": 1})]}
        self.assertEqual(compare.categorise(scenario, earlier, earlier, 1, ["alive"]),
                         "later effect of an earlier start failure")
        calm = {"steps": [_observation(), _observation(alive=[])]}
        self.assertEqual(compare.categorise(scenario, calm, calm, 1, ["alive"]), "other: alive")


class MinimizeTests(unittest.TestCase):
    def test_candidates_drop_one_step_or_one_node_with_what_lies_below_it(self):
        tree = {"id": "root", "type": "supervisor", "children": [
            {"id": "w1", "type": "worker"},
            {"id": "s1", "type": "supervisor", "children": [{"id": "w2", "type": "worker"}]}]}
        scenario = {"tree": tree, "initial_fails": {}, "steps": [{"op": "kill", "path": "root/w1"}] * 2}
        candidates = list(minimize._candidates(scenario))
        self.assertEqual(sum(len(c["steps"]) == 1 for c in candidates), 2)
        trees = [c["tree"] for c in candidates if len(c["steps"]) == 2]
        self.assertEqual([[n for n, _ in generator._paths(t)] for t in trees],
                         [["root", "root/s1", "root/s1/w2"], ["root", "root/w1"], ["root", "root/w1", "root/s1"]])


if __name__ == "__main__":
    unittest.main()
