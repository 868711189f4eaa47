%% The supervisors of the OTP side of scripts/bench-vs-otp.sh: the same trees as AshFlare's
%% benchmark fixtures (Benchmarks/Sources/BenchmarkScenarios/Scenarios.swift).
%%
%% Every supervisor allows 1,000,000,000 restarts in 1 s, like `unboundedIntensity`, so no
%% scenario ever escalates. Workers use `shutdown => 5000` (AshFlare's default `.timeout(5 s)`),
%% supervisors `shutdown => infinity`.
-module(ashflare_bench_sup).
-behaviour(supervisor).
-export([start_link/1, init/1]).

-define(FLAGS(Strategy), #{strategy => Strategy, intensity => 1000000000, period => 1}).

%% Starts a supervisor linked to the caller; `Args` selects the tree (see init/1).
start_link(Args) ->
    supervisor:start_link(?MODULE, Args).

%% {flat, N}: one-for-one, N idle workers (scenario "start").
init({flat, N}) ->
    {ok, {?FLAGS(one_for_one), [idle({w, I}) || I <- lists:seq(0, N - 1)]}};
%% {crash, Gate, Bench, Siblings}: one-for-one, the gated crash worker first, then
%% Siblings - 1 idle workers (scenarios "crash-long", "crash-fresh").
init({crash, Gate, Bench, Siblings}) ->
    Crasher = #{id => a, start => {ashflare_bench_worker, start_gated, [Gate, Bench]},
                restart => permanent, shutdown => 5000, type => worker},
    {ok, {?FLAGS(one_for_one), [Crasher | [idle({w, I}) || I <- lists:seq(1, Siblings - 1)]]}};
%% {one_for_all, Gate, Tally, Bench, N}: one-for-all, the gated trigger first, then N - 1
%% idle workers; every start bumps the tally (scenario "one-for-all").
init({one_for_all, Gate, Tally, Bench, N}) ->
    Trigger = #{id => trigger, start => {ashflare_bench_worker, start_trigger, [Gate, Tally, Bench]},
                restart => permanent, shutdown => 5000, type => worker},
    Others = [#{id => {w, I}, start => {ashflare_bench_worker, start_counted, [Tally, Bench]},
                restart => permanent, shutdown => 5000, type => worker}
              || I <- lists:seq(1, N - 1)],
    {ok, {?FLAGS(one_for_all), [Trigger | Others]}};
%% {tree, Depth, FanOut}: FanOut supervisors of depth Depth - 1, or FanOut idle workers at
%% depth 1 (the 1,111-node tree is {tree, 3, 10}).
init({tree, 1, FanOut}) ->
    {ok, {?FLAGS(one_for_one), [idle({w, I}) || I <- lists:seq(0, FanOut - 1)]}};
init({tree, Depth, FanOut}) ->
    Sups = [#{id => {s, I}, start => {?MODULE, start_link, [{tree, Depth - 1, FanOut}]},
              restart => permanent, shutdown => infinity, type => supervisor}
            || I <- lists:seq(0, FanOut - 1)],
    {ok, {?FLAGS(one_for_one), Sups}}.

idle(Id) ->
    #{id => Id, start => {ashflare_bench_worker, start_idle, []},
      restart => permanent, shutdown => 5000, type => worker}.
