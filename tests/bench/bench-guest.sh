#!/bin/sh
# In-guest half of tests/bench/run-bench, in one of two measures:
#   wall-clock (default): the benchmark workload untraced and under `faultline record`,
#     interleaved, for each attach mode given; then one run under `faultline record --prog-stats`
#     for the per-program costs (the kernel's run-time accounting costs time itself, so it stays
#     out of the slowdown rounds).
#   --icount COUNT (the guest runs under QEMU -icount, its TSC counting guest instructions):
#     for each mode, tests/bench/icount-bench's fixed work (COUNT iterations a phase) untraced,
#     under the floor (empty programs on the attach points faultline's plan chose) and under
#     `faultline record`, interleaved; then the benchmark workload with a fixed shrinker-op count
#     the same three ways, and under partial floors (one class of attach points each), its rate
#     in instruction time.
#     --kinds LIST: which ways to run the fixed work, rotated each round (default "traced plain
#     floor"); "bpftrace" is the bpftrace peer (/lib/peer.bt, tests/bench/peer.bt), "plain"
#     alone is what a lockdep kernel's boot runs (the lockdep peer: that kernel untraced);
#     "ablate-PART" is `faultline record` with one part of the fault path taken out
#     (/usr/bin/faultline-ablate-PART, mk/bench.mk; doc/bench.md, "Ablation").
#     --phases LIST: icount-bench's phases (default all).
#     --no-workload: the fixed work only.
#   run.sh --target ext4|fuse-dax --modes "fentry kprobe" --rounds N --seconds S
#          [--icount COUNT --iterations N [--no-partial-floors] [--kinds LIST] [--no-workload]
#           [--phases LIST]]
target=ext4 modes=fentry rounds=3 seconds=3 icount='' iterations=200 phases=''
kinds="traced plain floor" workload=1
partial="floor-fault floor-fuse floor-syscall floor-entry,op,teardown,layout"
while [ $# -gt 0 ]; do
	case "$1" in
	--target) target=$2; shift 2 ;;
	--modes) modes=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	--icount) icount=$2; shift 2 ;;
	--iterations) iterations=$2; shift 2 ;;
	--no-partial-floors) partial=''; shift ;;
	--kinds) kinds=$2; shift 2 ;;
	--no-workload) workload=0; shift ;;
	--phases) phases=$2; shift 2 ;;
	*) echo "bench-guest: unknown argument $1"; exit 2 ;;
	esac
done
R=${FL_RESULTS:-/results}
# bpftrace's fentry probes read the traceable functions from tracefs
case " $kinds " in *" bpftrace "*) mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null ;; esac
if [ "$target" = fuse-dax ]; then
	FL_STEP=bench FL_KNOB=Y
	# shellcheck source=tests/testkernel/guest/fl.sh
	. /lib/fl.sh
	fl_mount /tmp/backing /mnt/b || exit 1
else
	mkdir -p /mnt/b
	mke2fs -q -F -t ext4 -b 4096 /dev/pmem0 && mount -t ext4 -o dax /dev/pmem0 /mnt/b || exit 1
fi

# run KIND MODE OUT CMD...: CMD untraced (plain), under the floor of MODE's plan (floor, or
# floor-CLASSES for a partial one) or under faultline record in MODE (traced); stdout to OUT
run() {
	kind=$1 m=$2 o=$3 st=0
	shift 3
	case $kind in
	plain) "$@" >"$o" || st=$? ;;
	floor) floor -v --plan "$R/$m-plan.jsonl" -- "$@" >"$o" 2>"$R/$m-floor.txt" || st=$? ;;
	floor-*) floor --plan "$R/$m-plan.jsonl" --only "${kind#floor-}" -- "$@" >"$o" 2>/dev/null || st=$? ;;
	bpftrace)
		# bpftrace -c splits its command at spaces and starts it once the probes are attached
		bpftrace -q -o "${o%.json}.bt" /lib/peer.bt -c "$*" >"$o" 2>"${o%.json}.bt.err" || st=$?
		;;
	traced) faultline record -q --mode "$m" -o "${o%.json}.jsonl" -- "$@" >"$o" || st=$? ;;
	ablate-*) "faultline-$kind" record -q --mode "$m" -o "${o%.json}.jsonl" -- "$@" >"$o" || st=$? ;;
	esac
	rm -f /mnt/b/bench
	return $st
}

if [ -n "$icount" ]; then
	for m in $modes; do
		i=0
		while [ $i -lt "$rounds" ]; do
			# rotate which goes first, so drift in the guest does not favour one side
			# shellcheck disable=SC2086 # a list of words
			set -- $kinds
			j=0
			while [ $j -lt $((i % $#)) ]; do k=$1; shift; set -- "$@" "$k"; j=$((j + 1)); done
			for kind in "$@"; do
				run $kind "$m" "$R/ic-$m-$i-$kind.json" /usr/bin/icount-bench --file /mnt/b/bench \
					--other /tmp/other --count "$icount" ${phases:+--phases "$phases"} || exit 1
				# the floor attaches where faultline's first run in this mode attached
				[ -e "$R/$m-plan.jsonl" ] || [ ! -e "$R/ic-$m-0-traced.jsonl" ] ||
					head -n 1 "$R/ic-$m-0-traced.jsonl" >"$R/$m-plan.jsonl"
			done
			i=$((i + 1))
		done
		# the peers do not depend on faultline's mode: the first mode's rounds have them
		kinds=$(echo " $kinds " | sed 's/ bpftrace / /')
		[ $workload = 1 ] || continue
		# the workload itself, a fixed number of shrinker operations; partial floors
		# say which attach points its cost comes from
		set -- --file /mnt/b/bench --size 4194304 --faulters 2 --shrinkers 1 \
			--iterations "$iterations" --seed 1
		for kind in plain floor traced $partial; do
			run $kind "$m" "$R/wl-$m-$kind.json" dax-race-workload "$@" || exit 1
		done
	done
else
	# the benchmark workload: 2 threads faulting a shared 4 MiB mapping, 1 truncating/punching
	set -- --file /mnt/b/bench --size 4194304 --faulters 2 --shrinkers 1 --duration "$seconds"
	for m in $modes; do
		i=0
		while [ $i -lt "$rounds" ]; do
			if [ $((i % 2)) = 0 ]; then order="plain traced"; else order="traced plain"; fi
			for kind in $order; do
				run $kind "$m" "$R/$m-$i-$kind.json" dax-race-workload "$@" --seed $i
			done
			i=$((i + 1))
		done
		faultline record -q --mode "$m" --prog-stats -o "$R/$m-stats.jsonl" -- \
			dax-race-workload "$@" --seed 0 >/dev/null
		rm -f /mnt/b/bench
	done
fi
if [ "$target" = fuse-dax ]; then fl_umount /mnt/b; else umount /mnt/b; fi
exit 0
