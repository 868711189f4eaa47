%% @doc The supervisor of the OTP differential suite: its flags and children come from the
%% scenario's JSON node (strategy, intensity, children; the period is the scenario's, set once
%% in persistent_term otpdiff_period). Not registered (see otpdiff_worker); its init records
%% pid → path so the escalation report can be named.
-module(otpdiff_sup).
-behaviour(supervisor).
-export([start_link/2, child_spec/2]).
-export([init/1]).

%% @doc Starts the supervisor at `Path' described by `Node'.
start_link(Path, Node) ->
    supervisor:start_link(?MODULE, {Path, Node}).

init({Path, #{<<"strategy">> := Strategy, <<"intensity">> := Intensity, <<"children">> := Children}}) ->
    otpdiff_table:name_supervisor(self(), Path),
    Flags = #{strategy => binary_to_atom(Strategy), intensity => Intensity,
              period => persistent_term:get(otpdiff_period)},
    {ok, {Flags, [child_spec(Path, Child) || Child <- Children]}}.

%% @doc The OTP child spec of JSON child `Node' under the supervisor at `Parent'.
child_spec(Parent, #{<<"id">> := Id, <<"type">> := Type} = Node) ->
    Path = <<Parent/binary, $/, Id/binary>>,
    Restart = binary_to_atom(maps:get(<<"restart">>, Node, <<"permanent">>)),
    case Type of
        <<"worker">> ->
            #{id => Id, start => {otpdiff_worker, start_link, [Path]}, restart => Restart,
              shutdown => 5000, type => worker};
        <<"supervisor">> ->
            #{id => Id, start => {?MODULE, start_link, [Path, Node]}, restart => Restart,
              shutdown => infinity, type => supervisor}
    end.
