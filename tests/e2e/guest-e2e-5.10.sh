#!/bin/sh
# In-guest half of tests/e2e/run-e2e-5.10, on one 5.10 test-kernel variant (pre-seed, seed,
# fixed). For each attach mode: mount fuse-dax-server with its DAX window on /dev/pmem0 and
# record dax-race-workload (threads faulting a shared mapping of one FUSE DAX file while others
# truncate, punch holes and open it O_TRUNC; 5.10's FUSE refuses ZERO_RANGE). On seed, each
# shrinking operation also alone, so that each shows what its layout break covered.
# Logs land in /results; the host judges them.
#   run.sh --variant NAME [--duration S] [--modes "fentry kprobe tracepoint"]
variant='' duration=6 modes='fentry kprobe tracepoint'
while [ $# -gt 0 ]; do
	case "$1" in
	--variant) variant=$2; shift 2 ;;
	--duration) duration=$2; shift 2 ;;
	--modes) modes=$2; shift 2 ;;
	*) echo "guest-e2e-5.10: unknown argument $1"; exit 2 ;;
	esac
done
R=${FL_RESULTS:-/results}
# for /lib/fl.sh's messages
# shellcheck disable=SC2034
FL_STEP=e2e FL_LABEL=variant=$variant
# shellcheck source=tests/testkernel/guest/fl.sh
. /lib/fl.sh

uname -r >"$R/kernel"
faultline probe -j >"$R/probe.json" 2>"$R/probe.err"
faultline probe
# record NAME MODE OPS SECONDS: one recorded run of the workload on a fresh mount
record() {
	fl_mount /tmp/backing /mnt/fdax || exit 1
	fl_log "record --mode $2: dax-race-workload --ops $3 for ${4}s"
	faultline record -q --mode "$2" --fuse-only --dax-only -o "$R/$1.jsonl" -- \
		dax-race-workload --file /mnt/fdax/race --size 4194304 --faulters 3 --shrinkers 2 \
		--ops "$3" --duration "$4" >"$R/$1-workload.json" 2>"$R/$1.err"
	echo $? >"$R/$1.rc"
	rm -f /mnt/fdax/race
	fl_umount /mnt/fdax || exit 1
}
for m in $modes; do
	record "e2e-$variant-$m" "$m" truncate,punch,otrunc "$duration"
done
if [ "$variant" = seed ]; then
	for op in truncate punch otrunc; do
		record "e2e-$variant-only-$op" kprobe "$op" 3
	done
fi
dmesg | grep -E "WARNING|BUG" >"$R/dmesg-warnings" || true
exit 0
