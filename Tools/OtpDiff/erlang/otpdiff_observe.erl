%% @doc Waits until an OTP tree is quiet and reads it: which nodes are alive and which child
%% specs exist, by path, and the pid of every alive node (the ops address nodes through it).
-module(otpdiff_observe).
-export([settle/1]).

-define(MAX_ROUNDS, 100000).

%% @doc Walks the tree until two walks in a row agree and every supervisor is idle (nothing
%% queued, waiting in its loop: no exit or try-again restart unhandled or in progress); returns {Alive, Specs, Pids}: sorted paths
%% and a map path → {worker | supervisor, pid}. Every which_children call is answered after
%% the messages queued before it, and a dead child still listed (its exit signal not delivered
%% yet: an exiting process sends its signals lazily, so our monitor can hear of the death
%% first) makes the walk unstable, so a quiet walk is a settled tree.
settle(undefined) -> {[], [], #{}};
settle(Root) -> settle(Root, walk(Root), ?MAX_ROUNDS).

settle(_Root, _Last, 0) -> error(otp_tree_never_settled);
settle(Root, Last, Rounds) ->
    case walk(Root) of
        Last when Last =/= unstable ->
            {Alive, Specs, Pids} = Last,
            {lists:sort(Alive), lists:sort(Specs), Pids};
        Next ->
            settle(Root, Next, Rounds - 1)
    end.

%% One walk, or unstable if a supervisor is busy or dying.
walk(Root) ->
    case is_process_alive(Root) of
        false -> {[], [], #{}};
        true ->
            try
                walk(<<"root">>, Root, {[<<"root">>], [], #{<<"root">> => {supervisor, Root}}})
            catch
                throw:unstable -> unstable;
                exit:_ -> unstable
            end
    end.

walk(Path, Sup, Acc) ->
    Children = supervisor:which_children(Sup),
    idle(Sup) orelse throw(unstable),
    lists:foldl(fun({Id, Pid, Type, _}, {Alive, Specs, Pids}) ->
        ChildPath = <<Path/binary, $/, Id/binary>>,
        case is_pid(Pid) of
            true ->
                Next = {[ChildPath | Alive], [ChildPath | Specs], Pids#{ChildPath => {Type, Pid}}},
                case Type of
                    supervisor -> walk(ChildPath, Pid, Next);
                    worker -> is_process_alive(Pid) orelse throw(unstable), Next
                end;
            false ->
                {Alive, [ChildPath | Specs], Pids}
        end
    end, Acc, Children).

%% Whether `Sup' waits in its gen_server loop with nothing queued. An empty queue alone is not
%% enough: a supervisor handling its own try_again_restart (a cast to itself) has taken it off
%% the queue and may be in the middle of a start.
idle(Sup) ->
    case process_info(Sup, [message_queue_len, status, current_function]) of
        [{message_queue_len, 0}, {status, waiting}, {current_function, {gen_server, loop, _}}] -> true;
        _ -> false
    end.
