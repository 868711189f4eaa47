%% @doc Waits until an OTP tree is quiet and reads it: which nodes are alive and which child
%% specs exist, by path.
-module(otpdiff_observe).
-export([settle/1]).

-define(MAX_ROUNDS, 100000).

%% @doc Walks the tree until two walks in a row agree and no supervisor has a message waiting
%% (an exit or a try-again restart not handled yet); returns {Alive, Specs}, both sorted.
%% Every which_children call is answered after the messages queued before it, so a quiet walk
%% is a settled tree.
settle(undefined) -> {[], []};
settle(Root) -> settle(Root, walk(Root), ?MAX_ROUNDS).

settle(_Root, _Last, 0) -> error(otp_tree_never_settled);
settle(Root, Last, Rounds) ->
    case walk(Root) of
        Last when Last =/= unstable ->
            {Alive, Specs, _Sups} = Last,
            {lists:sort(Alive), lists:sort(Specs)};
        Next ->
            settle(Root, Next, Rounds - 1)
    end.

%% One walk: {Alive, Specs, Supervisors}, or unstable if a supervisor is busy or dying.
walk(Root) ->
    case is_process_alive(Root) of
        false -> {[], [], []};
        true ->
            try
                walk(<<"root">>, Root, {[<<"root">>], [], []})
            catch
                throw:unstable -> unstable;
                exit:_ -> unstable
            end
    end.

walk(Path, Sup, {Alive, Specs, Sups}) ->
    Children = supervisor:which_children(Sup),
    case process_info(Sup, message_queue_len) of
        {message_queue_len, 0} -> ok;
        _ -> throw(unstable)
    end,
    lists:foldl(fun({Id, Pid, Type, _}, {A, S, U}) ->
        ChildPath = <<Path/binary, $/, Id/binary>>,
        case {is_pid(Pid), Type} of
            {true, supervisor} -> walk(ChildPath, Pid, {[ChildPath | A], [ChildPath | S], [Pid | U]});
            {true, worker} -> {[ChildPath | A], [ChildPath | S], U};
            {false, _} -> {A, [ChildPath | S], U}
        end
    end, {Alive, Specs, [Sup | Sups]}, Children).
