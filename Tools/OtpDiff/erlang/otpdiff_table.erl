%% @doc The shared state of one scenario run on OTP: counters (starts, failed starts, armed
%% start failures, by path) and the ordered log of what happened during the current step.
-module(otpdiff_table).
-export([create/0, reset/0, bump/1, arm_failures/2, take_failure/1, log/1, take_log/0, counts/1]).
-export([name_supervisor/2, supervisor_path/1]).

-define(COUNTS, otpdiff_counts).
-define(LOG, otpdiff_log_table).

%% @doc Creates both tables (public, owned by the calling process).
create() ->
    ets:new(?COUNTS, [named_table, public, set]),
    ets:new(?LOG, [named_table, public, ordered_set]),
    ok.

%% @doc Forgets everything: called before each scenario.
reset() ->
    ets:delete_all_objects(?COUNTS),
    ets:delete_all_objects(?LOG),
    ok.

%% @doc Adds one to the counter `Key' ({starts, Path} or {failed, Path}).
bump(Key) -> ets:update_counter(?COUNTS, Key, 1, {Key, 0}).

%% @doc Makes the next `Count' starts of `Path' fail.
arm_failures(Path, Count) -> ets:insert(?COUNTS, {{fails_left, Path}, Count}).

%% @doc Whether this start of `Path' must fail (consuming one armed failure).
take_failure(Path) ->
    case ets:lookup(?COUNTS, {fails_left, Path}) of
        [{_, N}] when N > 0 -> ets:insert(?COUNTS, {{fails_left, Path}, N - 1}), true;
        _ -> false
    end.

%% @doc Appends `Entry' ({started, Path} or {escalated, Path}) to the step's log.
log(Entry) -> ets:insert(?LOG, {erlang:unique_integer([monotonic]), Entry}).

%% @doc The step's log in order, emptied.
take_log() ->
    Entries = [E || {_, E} <- ets:tab2list(?LOG)],
    ets:delete_all_objects(?LOG),
    Entries.

%% @doc The counter `Kind' (starts or failed) of every path that has one, as a map.
counts(Kind) -> maps:from_list([{P, N} || {{K, P}, N} <- ets:tab2list(?COUNTS), K =:= Kind, is_integer(N), N > 0]).

%% @doc Records that supervisor `Pid' runs at `Path'.
name_supervisor(Pid, Path) -> ets:insert(?COUNTS, {{supervisor, Pid}, Path}).

%% @doc The path of supervisor `Pid', or undefined.
supervisor_path(Pid) ->
    case ets:lookup(?COUNTS, {supervisor, Pid}) of
        [{_, Path}] -> Path;
        [] -> undefined
    end.
