# peer-rows.jq: bench rows of one peer (bpftrace or lockdep) beside faultline
# (tests/bench/run-bench, doc/bench.md "Peers").
# Input: an array of {s: "fl"|"peer", r: round, k: kind, ph: icount-bench's "phases"}:
#   s "fl":   faultline's own boot, k plain, traced (and floor)
#   s "peer": the peer's rounds, k "base" (its untraced baseline) and k $peer (the peer running):
#             for bpftrace the same boot's untraced and bpftrace runs; for lockdep the test
#             kernel untraced and the lockdep kernel untraced, paired by round
# $peer the peer's name, $w where. Output: one row object a line, as run-bench's row().
def med: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def r2: . * 100 | round / 100;
def r4: . * 10000 | round / 10000;
def byround(src): map(select(.s == src)) | group_by(.r) | map(map({(.k): .ph}) | add);
byround("fl") as $fl | byround("peer") as $pr
| ($fl | map(select(.plain and .traced))) as $fl
| ($pr | map(select(.base and .[$peer]))) as $pr
| ([
    {ph: "fault", what: "added instructions per DAX fault", per: "fault"},
    {ph: "truncate", what: "added instructions per ftruncate (shrink or regrow)", per: 2},
    {ph: "punch", what: "added instructions per fallocate(PUNCH_HOLE)", per: 1},
    {ph: "zero", what: "added instructions per fallocate(ZERO_RANGE)", per: 1},
    {ph: "otrunc", what: "added instructions per open(O_TRUNC)+regrow", per: 1}
  ][] as $u
| def added(a; b): map(.[b][$u.ph] as $p | select($p)
	| (.[a][$u.ph].insns - $p.insns) / (if $u.per == "fault" then $p.faults else $p.iters * $u.per end));
  ($pr | added($peer; "base")) as $x
| select($x | length > 0)
| ($x | med) as $v
| ($fl | added("traced"; "plain")) as $f
| (if ($f | length) > 0 then ($f | med) else null end) as $fv
| {metric: "icount peer \($u.ph): \($peer) \($u.what)", value: ($v | r2), unit: "insns",
   floor: null, target: "",
   where: ("\($w); rounds \($x | min | r2)..\($x | max | r2)"
	+ (if $fv then "; faultline \($fv | r2), faultline/\($peer) \(if $v != 0 then ($fv / $v | r2) else "-" end)" else "" end))}
),
( ($pr | map(select(.base.mixed)) | map(.[$peer].mixed.insns / .base.mixed.insns)) as $x
| select($x | length > 0)
| ($fl | map(select(.plain.mixed)) | map(.traced.mixed.insns / .plain.mixed.insns)) as $f
| (if ($f | length) > 0 then ($f | med) else null end) as $fv
| {metric: "icount peer fault+truncate microbenchmark: \($peer)/untraced instructions",
   value: ($x | med | r4), unit: "ratio", floor: null, target: "",
   where: ("\($w); rounds \($x | min | r4)..\($x | max | r4)"
	+ (if $fv then "; faultline \($fv | r4), faultline/\($peer) \($fv / ($x | med) | r4)" else "" end))}
)
