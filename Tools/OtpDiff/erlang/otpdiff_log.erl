%% @doc A logger handler that records, in the step's log, every supervisor that gave up
%% (its `reached_max_restart_intensity' report), and drops every other log event.
-module(otpdiff_log).
-export([log/2]).

%% @doc The logger callback (runs in the process that logs, before it exits).
log(#{msg := {report, #{label := {supervisor, shutdown}, report := Report}}}, _Config) ->
    case {proplists:get_value(reason, Report), proplists:get_value(supervisor, Report)} of
        {reached_max_restart_intensity, {Pid, _Module}} when is_pid(Pid) ->
            otpdiff_table:log({escalated, otpdiff_table:supervisor_path(Pid)});
        _ ->
            ok
    end;
log(_Event, _Config) ->
    ok.
