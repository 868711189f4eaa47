%% @doc One step of an OTP differential scenario, performed on real OTP, with its normalised
%% result: ok, or the error's name (not_found, running, restarting, not_running, parent_down,
%% already_started, already_present, start_failed).
-module(otpdiff_ops).
-export([perform/2]).

%% @doc Performs `Step' (a decoded JSON object) on the tree whose alive nodes are `Pids'
%% (path → {Type, Pid}, as the last settle saw them) and returns its result as an atom.
perform(#{<<"op">> := <<"exit">>, <<"path">> := Path, <<"reason">> := Reason}, Pids) ->
    case maps:find(Path, Pids) of
        {ok, {worker, Pid}} -> await_down(Pid, fun() -> Pid ! {exit, binary_to_atom(Reason)} end);
        _ -> not_running
    end;
perform(#{<<"op">> := <<"fail_starts">>, <<"path">> := Path, <<"count">> := Count}, _Pids) ->
    otpdiff_table:arm_failures(Path, Count),
    ok;
perform(#{<<"op">> := <<"start_child">>, <<"under">> := Under, <<"child">> := Child}, Pids) ->
    with_supervisor(Under, Pids, fun(Sup) ->
        case supervisor:start_child(Sup, otpdiff_sup:child_spec(Under, Child)) of
            {ok, _} -> ok;
            {ok, _, _} -> ok;
            {error, {already_started, _}} -> already_started;
            {error, already_present} -> already_present;
            {error, _} -> start_failed
        end
    end);
perform(#{<<"op">> := Op, <<"path">> := Path}, Pids) ->
    {Parent, Id} = split(Path),
    with_supervisor(Parent, Pids, fun(Sup) -> child_op(Op, Sup, Id) end).

child_op(<<"kill">>, Sup, Id) ->
    case lists:keyfind(Id, 1, supervisor:which_children(Sup)) of
        false -> not_found;
        {_, Pid, _, _} when is_pid(Pid) -> await_down(Pid, fun() -> exit(Pid, kill) end);
        _ -> not_running
    end;
child_op(<<"terminate">>, Sup, Id) -> result(supervisor:terminate_child(Sup, Id));
child_op(<<"delete">>, Sup, Id) -> result(supervisor:delete_child(Sup, Id));
child_op(<<"restart">>, Sup, Id) ->
    case supervisor:restart_child(Sup, Id) of
        ok -> ok;
        {ok, _} -> ok;
        {ok, _, _} -> ok;
        {error, E} when E =:= running; E =:= restarting; E =:= not_found -> E;
        {error, _} -> start_failed
    end.

result(ok) -> ok;
result({error, Reason}) when is_atom(Reason) -> Reason.

%% Runs `Fun' on the supervisor at `Path' if it runs; parent_down otherwise (a worker there too).
with_supervisor(Path, Pids, Fun) ->
    case maps:find(Path, Pids) of
        {ok, {supervisor, Sup}} ->
            try Fun(Sup)
            catch exit:_ -> parent_down
            end;
        _ -> parent_down
    end.

%% Does `Action' and waits until `Pid' has exited.
await_down(Pid, Action) ->
    Ref = monitor(process, Pid),
    Action(),
    receive {'DOWN', Ref, process, Pid, _} -> ok end.

split(Path) ->
    Parts = binary:split(Path, <<"/">>, [global]),
    {Parent, [Id]} = lists:split(length(Parts) - 1, Parts),
    {iolist_to_binary(lists:join(<<"/">>, Parent)), Id}.
