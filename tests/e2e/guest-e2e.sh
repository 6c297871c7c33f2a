#!/bin/sh
# In-guest half of the FUSE DAX end-to-end test (tests/e2e/run-e2e), on the test kernel.
# For each setting of fuse.dax_fault_serialize and each attach mode: mount fuse-dax-server with
# its DAX window on /dev/pmem0, and record dax-race-workload (threads faulting a shared mapping
# of one FUSE DAX file while others truncate, punch holes, zero ranges and open it O_TRUNC).
# Logs land in /results; the host judges them.
#   run.sh [--duration S] [--modes "fentry kprobe tracepoint"] [--knobs "Y N"]
duration=8 modes='fentry kprobe tracepoint' knobs='Y N' lostvio=1 reclaim=1
while [ $# -gt 0 ]; do
	case "$1" in
	--no-lost-violations) lostvio=''; shift ;;
	--no-reclaim) reclaim=''; shift ;;
	--duration) duration=$2; shift 2 ;;
	--modes) modes=$2; shift 2 ;;
	--knobs) knobs=$2; shift 2 ;;
	*) echo "guest-e2e: unknown argument $1"; exit 2 ;;
	esac
done
R=${FL_RESULTS:-/results}
# FL_STEP and FL_KNOB label /lib/fl.sh's messages
# shellcheck disable=SC2034
FL_STEP=e2e FL_KNOB=-
# shellcheck source=tests/testkernel/guest/fl.sh
. /lib/fl.sh

uname -r >"$R/kernel"
faultline probe -j >"$R/probe.json" 2>&1
faultline probe
for knob in $knobs; do
	fl_set_knob "$knob" || exit 1
	# shellcheck disable=SC2034
	FL_KNOB=$knob
	for m in $modes; do
		fl_mount /tmp/backing /mnt/fdax || exit 1
		# knob N with function hooks also names the faults (the FUSE fault entry points)
		names=''
		[ "$knob" = N ] && [ "$m" != tracepoint ] && names=--fault-names
		fl_log "record --mode $m $names: dax-race-workload for ${duration}s"
		# shellcheck disable=SC2086
		faultline record -q --mode "$m" $names --fuse-only --dax-only -o "$R/e2e-$knob-$m.jsonl" -- \
			dax-race-workload --file /mnt/fdax/race --size 4194304 --faulters 3 \
			--shrinkers 2 --duration "$duration" >"$R/e2e-$knob-$m-workload.json" \
			2>"$R/e2e-$knob-$m.err"
		echo $? >"$R/e2e-$knob-$m.rc"
		rm -f /mnt/fdax/race
		fl_umount /mnt/fdax || exit 1
	done
done
# I4: a file nearly as large as the 256 MiB DAX window makes the kernel reclaim ranges from
# the inode while it is faulted; reclaim must hold the lock exclusive (the knob leaves it on)
if [ -n "$reclaim" ]; then
	fl_set_knob Y || exit 1
	fl_mount /tmp/backing /mnt/fdax || exit 1
	faultline record -q --mode fentry --fuse-only --dax-only -o "$R/e2e-reclaim.jsonl" -- \
		dax-race-workload --file /mnt/fdax/big --size 251658240 --faulters 3 --shrinkers 1 \
		--ops punch --duration "$duration" >"$R/e2e-reclaim-workload.json" 2>"$R/e2e-reclaim.err"
	echo $? >"$R/e2e-reclaim.rc"
	rm -f /mnt/fdax/big
	fl_umount /mnt/fdax || exit 1
	echo "$FL_SERVER_JSON" >"$R/e2e-reclaim-server.json"
fi

# lost violation records are counted, never silent: a one-page violation ring, and the
# recorder stopped while the unserialized workload runs
if [ -n "$lostvio" ]; then
	fl_set_knob N || exit 1
	fl_mount /tmp/backing /mnt/fdax || exit 1
	faultline record -q --mode tracepoint --violations-ring 4096 -o "$R/e2e-lostvio.jsonl" -- \
		sh -c 'kill -STOP $PPID; "$@" >/dev/null; kill -CONT $PPID' sh \
		dax-race-workload --file /mnt/fdax/race --size 4194304 --faulters 3 --shrinkers 2 \
		--duration 3 2>"$R/e2e-lostvio.err"
	echo $? >"$R/e2e-lostvio.rc"
	rm -f /mnt/fdax/race
	fl_umount /mnt/fdax || exit 1
fi
dmesg | grep -E "WARNING|BUG|dax_fault_serialize" >"$R/dmesg-warnings" || true
exit 0
