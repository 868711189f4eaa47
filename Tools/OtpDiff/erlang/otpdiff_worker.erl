%% @doc The controllable worker of the OTP differential suite: it exits when told ({exit, normal}
%% or {exit, abnormal}). Its init counts the start in the shared table, or fails while its path
%% has start failures armed. Not registered: a killed supervisor's children die asynchronously,
%% and a registered name would make their successors' start race with that death.
-module(otpdiff_worker).
-behaviour(gen_server).
-export([start_link/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

%% @doc Starts the worker for `Path' (a binary).
start_link(Path) ->
    gen_server:start_link(?MODULE, Path, []).

init(Path) ->
    case otpdiff_table:take_failure(Path) of
        true ->
            otpdiff_table:bump({failed, Path}),
            {stop, init_failed};
        false ->
            otpdiff_table:bump({starts, Path}),
            otpdiff_table:log({started, Path}),
            {ok, Path}
    end.

handle_call(_Request, _From, Path) -> {reply, ok, Path}.

handle_cast(_Request, Path) -> {noreply, Path}.

handle_info({exit, normal}, Path) -> {stop, normal, Path};
handle_info({exit, abnormal}, Path) -> {stop, crash, Path};
handle_info(_Other, Path) -> {noreply, Path}.
