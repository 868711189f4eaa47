%% The workers of the OTP side of scripts/bench-vs-otp.sh, the counterparts of AshFlare's
%% `IdleWorker`, `GatedCrashWorker` + `CrashGate`, and `Tally`.
%%
%% Every worker is started synchronously with proc_lib:start_link/3 + proc_lib:init_ack/1 (as a
%% gen_server is), like AshFlare, whose supervisor waits for each child's `initialize()`.
%% Idle workers block in `receive`, like `IdleWorker` blocks on its stream.
-module(ashflare_bench_worker).
-export([start_idle/0, start_gated/2, start_trigger/3, start_counted/2]).
-export([idle_init/1, gated_init/3, trigger_init/4, counted_init/3]).

%% An idle worker: acknowledges its start, then waits forever.
start_idle() -> proc_lib:start_link(?MODULE, idle_init, [self()]).

idle_init(Parent) ->
    proc_lib:init_ack(Parent, {ok, self()}),
    idle().

idle() -> receive _ -> idle() end.

%% A gated crash worker. `Gate` is an atomics array whose slot 1 is the crash budget. An
%% incarnation that finds budget takes one unit and exits abnormally at once; one that finds
%% none sends `{parked, self()}` to `Bench` and waits for `go` (the benchmark's next round).
start_gated(Gate, Bench) -> proc_lib:start_link(?MODULE, gated_init, [self(), Gate, Bench]).

gated_init(Parent, Gate, Bench) ->
    proc_lib:init_ack(Parent, {ok, self()}),
    turn(Gate, Bench).

turn(Gate, Bench) ->
    case atomics:sub_get(Gate, 1, 1) of
        Left when Left >= 0 ->
            exit(crash);
        _ ->
            atomics:add(Gate, 1, 1),
            Bench ! {parked, self()},
            receive go -> turn(Gate, Bench) end
    end.

%% The one-for-all trigger: a gated crash worker that also bumps the tally when it starts.
start_trigger(Gate, Tally, Bench) -> proc_lib:start_link(?MODULE, trigger_init, [self(), Gate, Tally, Bench]).

trigger_init(Parent, Gate, Tally, Bench) ->
    tally(Tally, Bench),
    proc_lib:init_ack(Parent, {ok, self()}),
    turn(Gate, Bench).

%% An idle worker that bumps the tally when it starts.
start_counted(Tally, Bench) -> proc_lib:start_link(?MODULE, counted_init, [self(), Tally, Bench]).

counted_init(Parent, Tally, Bench) ->
    tally(Tally, Bench),
    proc_lib:init_ack(Parent, {ok, self()}),
    idle().

%% `Tally` slot 1 counts starts; slot 2 is the target. The start that reaches the target sends
%% `tally_reached` to `Bench` (like `Tally.increment()` waking its waiter).
tally(Tally, Bench) ->
    case atomics:add_get(Tally, 1, 1) =:= atomics:get(Tally, 2) of
        true -> Bench ! tally_reached;
        false -> ok
    end.
