%% The OTP side of scripts/bench-vs-otp.sh: the scenarios of AshFlare's `ashflare-profile
%% SCENARIO COUNT --json` driver, with the same counts and options, printing the same one JSON
%% line per run (`"impl":"otp"`).
%%
%%   erl -noshell +P 4000000 -pa ebin -run ashflare_bench main -extra SCENARIO COUNT [OPTIONS]
%%
%% (The arguments follow `-extra`: erl would take `--samples` for one of its own flags.)
%%
%%   crash N [--samples K] [--siblings S] [--fresh] [--warmup-ms W]
%%                   K samples of N crash -> restart cycles (one-for-one, one gated crash worker
%%                   and S - 1 idle siblings). Long-lived supervisor (after W ms of warm-up
%%                   crashes, so its restart history is at its steady size), or --fresh: a new
%%                   supervisor per sample.
%%   start N [--samples K]       K starts of a supervisor with N idle workers; ns and bytes per child
%%   one-for-all N               N rounds: one crash, all 100 children restarted
%%   tree-start N, tree-snapshot N, tree-shutdown N
%%                               N runs over the 1,111-node tree (depth 3 x fan-out 10); the
%%                               snapshot is a recursive supervisor:which_children/1 walk
%%
%% Logging: the primary logger level is set to `none`, so the supervisor's child_terminated
%% error reports and proc_lib's crash reports are filtered out at the `logger:allow/2` check
%% (AshFlare logs at debug level only and the driver bootstraps no logger).
-module(ashflare_bench).
-export([main/0]).

-define(FANOUT, 10).

%% Entry point for `-run ashflare_bench main -extra ...`; halts the node when done.
main() ->
    main(init:get_plain_arguments()).

main([Scenario, Count | Options]) ->
    logger:set_primary_config(level, none),
    process_flag(trap_exit, false),
    Result = try
        run(Scenario, list_to_integer(Count), options(Options))
    catch Class:Reason:Stack ->
        io:format(standard_error, "error: ~p:~p~n~p~n", [Class, Reason, Stack]),
        halt(1)
    end,
    io:put_chars([json(Result), $\n]),
    halt(0);
main(_) ->
    io:format(standard_error, "usage: ashflare_bench main SCENARIO COUNT [OPTIONS]~n", []),
    halt(2).

options(["--fresh" | Rest]) -> (options(Rest))#{fresh => true};
options([Name, Value | Rest]) ->
    Key = list_to_atom([case C of $- -> $_; _ -> C end || C <- string:trim(Name, leading, "-")]),
    (options(Rest))#{Key => list_to_integer(Value)};
options([]) -> #{}.

now_ns() -> erlang:monotonic_time(nanosecond).

%% ---------------------------------------------------------------- crash -> restart

run("crash", Cycles, Options) ->
    Samples = maps:get(samples, Options, 15),
    Siblings = maps:get(siblings, Options, 1),
    Fresh = maps:get(fresh, Options, false),
    Times = case Fresh of
        true ->
            [begin
                 {Sup, Gate, Parked} = start_crash_tree(Siblings),
                 {Elapsed, _} = cycles(Gate, Parked, Cycles),
                 stop(Sup),
                 Elapsed / Cycles
             end || _ <- lists:seq(1, Samples)];
        false ->
            {Sup, Gate, Parked0} = start_crash_tree(Siblings),
            Parked1 = warm_up(Gate, Parked0, Cycles, now_ns() + maps:get(warmup_ms, Options, 2000) * 1000000),
            {Times0, _} = lists:mapfoldl(
                fun(_, Parked) ->
                    {Elapsed, Next} = cycles(Gate, Parked, Cycles),
                    {Elapsed / Cycles, Next}
                end, Parked1, lists:seq(1, Samples)),
            stop(Sup),
            Times0
    end,
    Name = case Fresh of true -> <<"crash-fresh">>; false -> <<"crash-long">> end,
    #{scenario => Name, unit => <<"cycle">>, count => Cycles, siblings => Siblings, samples_ns => Times};

%% ---------------------------------------------------------------- start N

run("start", Children, Options) ->
    Samples = maps:get(samples, Options, 1),
    Results = [start_flat(Children) || _ <- lists:seq(1, Samples)],
    {Times, Bytes} = lists:unzip(Results),
    IdleProcess = idle_process_bytes(),
    #{scenario => <<"start">>, unit => <<"child">>, count => Children, samples_ns => Times,
      bytes_per_unit => median(Bytes), idle_process_bytes => IdleProcess};

%% ---------------------------------------------------------------- one-for-all

run("one-for-all", Rounds, _Options) ->
    Children = 100,
    Gate = atomics:new(1, [{signed, true}]),
    Tally = atomics:new(2, [{signed, true}]),
    atomics:put(Tally, 2, Children),
    {ok, Sup} = ashflare_bench_sup:start_link({one_for_all, Gate, Tally, self(), Children}),
    receive tally_reached -> ok end,
    Parked0 = receive {parked, P} -> P end,
    {Times, _} = lists:mapfoldl(
        fun(_, Parked) ->
            Target = atomics:get(Tally, 1) + Children,
            atomics:put(Tally, 2, Target),
            T0 = now_ns(),
            atomics:put(Gate, 1, 1),
            Parked ! go,
            receive tally_reached -> ok end,
            T1 = now_ns(),
            Next = receive {parked, P1} -> P1 end,
            {T1 - T0, Next}
        end, Parked0, lists:seq(1, Rounds)),
    stop(Sup),
    #{scenario => <<"one-for-all">>, unit => <<"round">>, count => Rounds, children => Children, samples_ns => Times};

%% ---------------------------------------------------------------- the 1,111-node tree

run("tree-start", Runs, _Options) ->
    Times = [begin
                 T0 = now_ns(),
                 {ok, Sup} = ashflare_bench_sup:start_link({tree, 3, ?FANOUT}),
                 T1 = now_ns(),
                 1111 = 1 + walk_count(Sup),
                 stop(Sup),
                 T1 - T0
             end || _ <- lists:seq(1, Runs)],
    #{scenario => <<"tree-start">>, unit => <<"run">>, count => Runs, nodes => 1111, samples_ns => Times};
run("tree-snapshot", Runs, _Options) ->
    {ok, Sup} = ashflare_bench_sup:start_link({tree, 3, ?FANOUT}),
    Times = [begin
                 T0 = now_ns(),
                 Tree = walk(Sup),
                 T1 = now_ns(),
                 1111 = count_nodes(Tree),
                 T1 - T0
             end || _ <- lists:seq(1, Runs)],
    stop(Sup),
    #{scenario => <<"tree-snapshot">>, unit => <<"snapshot">>, count => Runs, nodes => 1111, samples_ns => Times};
run("tree-shutdown", Runs, _Options) ->
    Times = [begin
                 {ok, Sup} = ashflare_bench_sup:start_link({tree, 3, ?FANOUT}),
                 T0 = now_ns(),
                 stop(Sup),
                 now_ns() - T0
             end || _ <- lists:seq(1, Runs)],
    #{scenario => <<"tree-shutdown">>, unit => <<"run">>, count => Runs, nodes => 1111, samples_ns => Times}.

%% ---------------------------------------------------------------- helpers

%% A supervisor with the gated crash worker and Siblings - 1 idle workers, its first
%% incarnation parked (as CrashLoopFixture.start() lets its first incarnation park).
start_crash_tree(Siblings) ->
    Gate = atomics:new(1, [{signed, true}]),
    {ok, Sup} = ashflare_bench_sup:start_link({crash, Gate, self(), Siblings}),
    Parked = receive {parked, P} -> P end,
    {Sup, Gate, Parked}.

%% Exactly Cycles crash -> restart cycles; returns the elapsed ns and the newly parked incarnation.
cycles(Gate, Parked, Cycles) ->
    T0 = now_ns(),
    atomics:put(Gate, 1, Cycles),
    Parked ! go,
    receive {parked, Next} -> {now_ns() - T0, Next} end.

warm_up(Gate, Parked, Cycles, Deadline) ->
    case now_ns() >= Deadline of
        true -> Parked;
        false ->
            {_, Next} = cycles(Gate, Parked, Cycles),
            warm_up(Gate, Next, Cycles, Deadline)
    end.

%% Starts a one-for-one supervisor with N idle workers: {ns per child, bytes per child}.
%% Bytes: growth of erlang:memory(total) (all processes, ETS, binaries, system), measured after
%% a garbage collection of every process both times, so it counts live data only.
start_flat(N) ->
    gc_all(),
    M0 = erlang:memory(total),
    T0 = now_ns(),
    {ok, Sup} = ashflare_bench_sup:start_link({flat, N}),
    T1 = now_ns(),
    gc_all(),
    M1 = erlang:memory(total),
    stop(Sup),
    {(T1 - T0) / N, (M1 - M0) / N}.

gc_all() -> [erlang:garbage_collect(P) || P <- processes()], ok.

%% process_info(memory) of one idle worker: its process control block, stack and heap.
idle_process_bytes() ->
    {ok, Pid} = ashflare_bench_worker:start_idle(),
    erlang:garbage_collect(Pid),
    {memory, Bytes} = erlang:process_info(Pid, memory),
    unlink(Pid),
    exit(Pid, kill),
    Bytes.

%% Stops a supervisor (and its tree) and returns when it has terminated.
stop(Sup) ->
    unlink(Sup),
    ok = gen_server:stop(Sup, shutdown, infinity).

%% The whole tree below Sup, as nested {Id, Pid, Type, Children} tuples (the snapshot).
walk(Sup) ->
    [case Type of
         supervisor -> {Id, Pid, Type, walk(Pid)};
         worker -> {Id, Pid, Type, []}
     end || {Id, Pid, Type, _Modules} <- supervisor:which_children(Sup)].

count_nodes(Children) -> 1 + lists:sum([count_nodes(Grand) || {_, _, _, Grand} <- Children]).

walk_count(Sup) -> count_nodes(walk(Sup)) - 1.

%% The lower median, as the Swift driver computes it.
median(List) -> lists:nth((length(List) + 1) div 2, lists:sort(List)).

%% ---------------------------------------------------------------- JSON (flat maps only)

json(Map = #{samples_ns := Samples}) ->
    Full = Map#{impl => <<"otp">>, median_ns => median(Samples)},
    Fields = [[$", atom_to_list(K), "\":", value(V)] || {K, V} <- lists:sort(maps:to_list(Full))],
    [${, lists:join($,, Fields), $}].

value(V) when is_integer(V) -> integer_to_list(V);
value(V) when is_float(V) -> float_to_list(V, [{decimals, 3}, compact]);
value(V) when is_binary(V) -> [$", V, $"];
value(V) when is_list(V) -> [$[, lists:join($,, [value(X) || X <- V]), $]];
value(true) -> "true";
value(false) -> "false".
