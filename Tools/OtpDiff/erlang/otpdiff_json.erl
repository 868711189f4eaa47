%% @doc The small JSON subset the OTP differential suite exchanges (scenarios in, results out):
%% objects (maps with binary keys), arrays, strings without escapes beyond \" \\ \/ \n \t,
%% integers, true/false/null. Erlang/OTP 25 has no JSON module and the suite needs no NIF.
-module(otpdiff_json).
-export([decode/1, encode/1]).

%% @doc Decodes one JSON value; fails with {bad_json, Rest} on anything else.
-spec decode(binary()) -> term().
decode(Bin) ->
    {Value, Rest} = value(skip(Bin)),
    case skip(Rest) of
        <<>> -> Value;
        Other -> error({bad_json, Other})
    end.

value(<<${, R/binary>>) -> object(skip(R), #{});
value(<<$[, R/binary>>) -> array(skip(R), []);
value(<<$", R/binary>>) -> string(R, <<>>);
value(<<"true", R/binary>>) -> {true, R};
value(<<"false", R/binary>>) -> {false, R};
value(<<"null", R/binary>>) -> {null, R};
value(<<C, _/binary>> = B) when C =:= $-; C >= $0, C =< $9 -> number(B, <<>>);
value(Other) -> error({bad_json, Other}).

object(<<$}, R/binary>>, Acc) -> {Acc, R};
object(<<$", R/binary>>, Acc) ->
    {Key, R1} = string(R, <<>>),
    <<$:, R2/binary>> = skip(R1),
    {Value, R3} = value(skip(R2)),
    case skip(R3) of
        <<$,, R4/binary>> -> object(skip(R4), Acc#{Key => Value});
        <<$}, R4/binary>> -> {Acc#{Key => Value}, R4}
    end.

array(<<$], R/binary>>, Acc) -> {lists:reverse(Acc), R};
array(B, Acc) ->
    {Value, R1} = value(B),
    case skip(R1) of
        <<$,, R2/binary>> -> array(skip(R2), [Value | Acc]);
        <<$], R2/binary>> -> {lists:reverse([Value | Acc]), R2}
    end.

string(<<$", R/binary>>, Acc) -> {Acc, R};
string(<<$\\, C, R/binary>>, Acc) -> string(R, <<Acc/binary, (unescape(C))>>);
string(<<C, R/binary>>, Acc) -> string(R, <<Acc/binary, C>>).

unescape($n) -> $\n;
unescape($t) -> $\t;
unescape(C) -> C.

number(<<C, R/binary>>, Acc) when C =:= $-; C >= $0, C =< $9 -> number(R, <<Acc/binary, C>>);
number(R, Acc) -> {binary_to_integer(Acc), R}.

skip(<<C, R/binary>>) when C =:= $\s; C =:= $\t; C =:= $\n; C =:= $\r -> skip(R);
skip(B) -> B.

%% @doc Encodes maps (atom or binary keys, sorted), lists, binaries, atoms and integers as iodata.
-spec encode(term()) -> iodata().
encode(true) -> <<"true">>;
encode(false) -> <<"false">>;
encode(null) -> <<"null">>;
encode(I) when is_integer(I) -> integer_to_binary(I);
encode(A) when is_atom(A) -> encode(atom_to_binary(A));
encode(B) when is_binary(B) -> [$", escape(B), $"];
encode(L) when is_list(L) -> [$[, join([encode(V) || V <- L]), $]];
encode(M) when is_map(M) ->
    Pairs = lists:sort([{key(K), V} || {K, V} <- maps:to_list(M)]),
    [${, join([[encode(K), $:, encode(V)] || {K, V} <- Pairs]), $}].

key(K) when is_atom(K) -> atom_to_binary(K);
key(K) -> K.

escape(B) -> binary:replace(binary:replace(B, <<"\\">>, <<"\\\\">>, [global]), <<"\"">>, <<"\\\"">>, [global]).

join([]) -> [];
join([H | T]) -> [H | [[$,, X] || X <- T]].
