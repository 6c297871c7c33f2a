#!/bin/sh
# In-guest half of tests/bench/run-bench: the benchmark workload untraced and under
# `faultline record`, interleaved, for each attach mode given; then one run under
# `faultline record --prog-stats` for the per-program costs (the kernel's run-time
# accounting costs time itself, so it stays out of the slowdown rounds).
#   run.sh --target ext4|fuse-dax --modes "fentry kprobe" --rounds N --seconds S
target=ext4 modes=fentry rounds=3 seconds=3
while [ $# -gt 0 ]; do
	case "$1" in
	--target) target=$2; shift 2 ;;
	--modes) modes=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	*) echo "bench-guest: unknown argument $1"; exit 2 ;;
	esac
done
R=${FL_RESULTS:-/results}
if [ "$target" = fuse-dax ]; then
	FL_STEP=bench FL_KNOB=Y
	. /lib/fl.sh
	fl_mount /tmp/backing /mnt/b || exit 1
else
	mkdir -p /mnt/b
	mke2fs -q -F -t ext4 -b 4096 /dev/pmem0 && mount -t ext4 -o dax /dev/pmem0 /mnt/b || exit 1
fi
# the benchmark workload: 2 threads faulting a shared 4 MiB mapping, 1 truncating/punching
set -- --file /mnt/b/bench --size 4194304 --faulters 2 --shrinkers 1 --duration "$seconds"
for m in $modes; do
	i=0
	while [ $i -lt "$rounds" ]; do
		# alternate which goes first, so drift in the guest does not favour one side
		if [ $((i % 2)) = 0 ]; then order="plain traced"; else order="traced plain"; fi
		for kind in $order; do
			if [ $kind = plain ]; then
				dax-race-workload "$@" --seed $i >"$R/$m-$i-plain.json"
			else
				faultline record -q --mode "$m" -o "$R/$m-$i-traced.jsonl" -- \
					dax-race-workload "$@" --seed $i >"$R/$m-$i-traced.json"
			fi
			rm -f /mnt/b/bench
		done
		i=$((i + 1))
	done
	faultline record -q --mode "$m" --prog-stats -o "$R/$m-stats.jsonl" -- \
		dax-race-workload "$@" --seed 0 >/dev/null
	rm -f /mnt/b/bench
done
if [ "$target" = fuse-dax ]; then fl_umount /mnt/b; else umount /mnt/b; fi
exit 0
