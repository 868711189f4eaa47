%% @doc Runs OTP differential scenarios on real OTP `supervisor' and prints one JSON line of
%% normalised results per scenario (docs/OTP-DIFF.md).
%%
%%     erl -noshell -pa EBIN -run otpdiff_run main SCENARIOS.jsonl
%%
%% Each input line is one scenario. After the start and after every step the tree is settled
%% (otpdiff_observe:settle/1) and observed: alive nodes, spec'd children, start counts, the
%% workers started and the supervisors that gave up during the step, and the step's result.
-module(otpdiff_run).
-export([main/1]).

%% @doc Entry point: `-run otpdiff_run main FILE'.
main([File]) ->
    process_flag(trap_exit, true),
    otpdiff_table:create(),
    ok = logger:remove_handler(default),
    ok = logger:add_handler(otpdiff, otpdiff_log, #{level => all}),
    {ok, Data} = file:read_file(File),
    Lines = [L || L <- binary:split(Data, <<"\n">>, [global]), L =/= <<>>],
    lists:foreach(fun(Line) -> print(scenario(otpdiff_json:decode(Line))) end, Lines),
    halt(0).

print(Result) ->
    ok = file:write(standard_io, [otpdiff_json:encode(Result), $\n]).

%% The whole scenario: start, each step until the root is gone, stop.
scenario(#{<<"seed">> := Seed, <<"tree">> := Tree, <<"steps">> := Steps} = Scenario) ->
    otpdiff_table:reset(),
    persistent_term:put(otpdiff_period, maps:get(<<"period_seconds">>, Scenario)),
    maps:foreach(fun otpdiff_table:arm_failures/2, maps:get(<<"initial_fails">>, Scenario, #{})),
    {StartResult, Root} = case otpdiff_sup:start_link(<<"root">>, Tree) of
        {ok, Pid} -> {ok, Pid};
        {error, _} -> {start_failed, undefined}
    end,
    {First, Pids} = observe(0, <<"start">>, StartResult, Root),
    Results = run_steps(Steps, 1, Root, Pids, [First]),
    stop(Root),
    #{seed => Seed, steps => lists:reverse(Results)}.

run_steps([], _Index, _Root, _Pids, Acc) -> Acc;
run_steps(_Steps, _Index, undefined, _Pids, Acc) -> Acc;
run_steps([Step | Rest], Index, Root, Pids, Acc) ->
    case is_process_alive(Root) of
        false -> Acc;
        true ->
            Result = otpdiff_ops:perform(Step, Pids),
            {Observed, Next} = observe(Index, maps:get(<<"op">>, Step), Result, Root),
            run_steps(Rest, Index + 1, Root, Next, [Observed | Acc])
    end.

%% The observation of a step and the pids of the alive nodes after it.
observe(Index, Op, Result, Root) ->
    {Alive, Specs, Pids} = otpdiff_observe:settle(Root),
    Log = otpdiff_table:take_log(),
    {#{i => Index, op => Op, result => Result, alive => Alive, specs => Specs,
      starts => otpdiff_table:counts(starts), failed => otpdiff_table:counts(failed),
      started => [P || {started, P} <- Log], escalated => lists:sort([P || {escalated, P} <- Log])}, Pids}.

%% Stops the root (if it still runs) and forgets every exit message of the scenario.
stop(undefined) -> flush();
stop(Root) ->
    case is_process_alive(Root) of
        true ->
            exit(Root, shutdown),
            receive {'EXIT', Root, _} -> ok end;
        false -> ok
    end,
    flush().

flush() ->
    receive {'EXIT', _, _} -> flush()
    after 0 -> ok
    end.
