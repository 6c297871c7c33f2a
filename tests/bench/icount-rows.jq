# icount-rows.jq: bench rows from one guest mode's icount-bench runs (tests/bench/run-bench).
# Input: an array of {r: round, k: plain|floor|traced|ablate-PART, ph: icount-bench's "phases"};
# $m the attach mode, $w where. Output: one row object a line, as run-bench's row().
# ablate-PART (run-bench --ablation): faultline with one part of the fault path taken out; its
# row gives what that part costs per DAX fault, traced - ablate-PART in each round (median).
def med: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
def r2: . * 100 | round / 100;
def spread: "rounds \(min | r2)..\(max | r2)";
def pct: ((max - min) / med * 100 | r2);
# the per-fault target: the floor plus what the ablation measured faultline's parts and the rest
# of its fault path to cost, 573-593 instructions, with 5% of room (doc/bench.md, "Ablation"):
# an amount above the floor, not a multiple of it, so that the floor's own spread cannot decide
def fault_over_floor: 620;

group_by(.r) | map(map({(.k): .ph}) | add) | map(select(.plain and .floor and .traced)) as $rs
| ([
    {ph: "fault", what: "added instructions per DAX fault", unit: "insns", per: "fault",
     target: "<= floor + \(fault_over_floor)", over: fault_over_floor},
    {ph: "truncate", what: "added instructions per ftruncate (shrink or regrow)", unit: "insns", per: 2},
    {ph: "punch", what: "added instructions per fallocate(PUNCH_HOLE)", unit: "insns", per: 1},
    {ph: "zero", what: "added instructions per fallocate(ZERO_RANGE)", unit: "insns", per: 1},
    {ph: "otrunc", what: "added instructions per open(O_TRUNC)+regrow", unit: "insns", per: 1},
    {ph: "syscall", what: "added instructions per hooked syscall on an ignored file", unit: "insns", per: 2}
  ][] as $u
| ($rs | map(select(.plain[$u.ph]))) as $r
| select($r | length > 0)
| ($r | map(.plain[$u.ph] as $p | (if $u.per == "fault" then $p.faults else $p.iters * $u.per end) as $d
	| {a: ((.traced[$u.ph].insns - $p.insns) / $d), f: ((.floor[$u.ph].insns - $p.insns) / $d),
	   p: $p.insns, d: $d})) as $x
| ($x | map(.a) | med) as $v | ($x | map(.f) | med) as $fl
| {metric: "icount \($u.ph): \($u.what)", value: ($v | r2), unit: $u.unit, floor: ($fl | r2),
   target: ($u.target // ""),
   pass: (if $u.target then ($v <= $fl + $u.over) else null end),
   where: "\($w), \($m); \($x | map(.a) | spread); untraced spread \($x | map(.p) | pct)%, \($x[0].d | floor) units a round"}
),
( $rs | map(select(.plain.mixed)) | select(length > 0)
| map({t: (.traced.mixed.insns / .plain.mixed.insns), f: (.floor.mixed.insns / .plain.mixed.insns),
       p: .plain.mixed.insns}) as $x
| ($x | map(.t) | med) as $v
| {metric: "icount fault+truncate microbenchmark: traced/untraced instructions", value: ($v * 10000 | round / 10000),
   unit: "ratio", floor: ($x | map(.f) | med * 10000 | round / 10000), target: "<= 1.02", pass: ($v <= 1.02),
   where: "\($w), \($m); rounds \($x | map(.t) | min * 10000 | round / 10000)..\($x | map(.t) | max * 10000 | round / 10000); untraced spread \($x | map(.p) | pct)%"}
),
( $rs | map(select(.plain.fault and .traced.fault)) | select(length > 0) as $r
| [$r[] | keys[] | select(startswith("ablate-"))] | unique[] as $k
| ($r | map(select(.[$k].fault)) | map(.plain.fault as $p
	| {a: ((.[$k].fault.insns - $p.insns) / $p.faults), f: ((.floor.fault.insns - $p.insns) / $p.faults),
	   c: ((.traced.fault.insns - .[$k].fault.insns) / $p.faults)})) as $x
| select($x | length > 0)
| {metric: "icount fault ablation: added instructions per DAX fault without \($k | ltrimstr("ablate-"))",
   value: ($x | map(.a) | med | r2), unit: "insns", floor: ($x | map(.f) | med | r2), target: "", pass: null,
   where: "\($w), \($m); the part costs \($x | map(.c) | med | r2) (\($x | map(.c) | spread)); \($x | map(.a) | spread)"}
)
