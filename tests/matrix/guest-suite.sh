#!/bin/sh
# In-guest half of the kernel matrix (runs as /guest/run.sh under tests/vm/boot).
# For each attach mode this kernel allows: record the fl-ops workload on a libfuse3 passthrough
# mount, and a multi-threaded fault/truncate/punch workload on ext4 -o dax over /dev/pmem0.
# Everything lands in /results; the host (tests/matrix/run-matrix) judges it.
#   run.sh [--btf FILE] [--duration S] [--modes "fentry kprobe tracepoint"]
btf='' duration=4 modes='fentry kprobe tracepoint'
while [ $# -gt 0 ]; do
	case "$1" in
	--btf) btf="--btf $2"; shift 2 ;;
	--duration) duration=$2; shift 2 ;;
	--modes) modes=$2; shift 2 ;;
	*) echo "guest-suite: unknown argument $1"; exit 2 ;;
	esac
done
R=${FL_RESULTS:-/results}
# the host row runs this suite too, under a temporary directory instead of /
base=${FL_MNT_BASE:-}
say() { echo "matrix: $*"; }

modprobe fuse 2>/dev/null
uname -r >"$R/kernel"
# shellcheck disable=SC2086
faultline $btf probe -j >"$R/probe.json" 2>"$R/probe.err"
# shellcheck disable=SC2086
faultline $btf probe >"$R/probe.txt" 2>&1
cat "$R/probe.txt"
# what probe says without the module BTF (5.10): what is missing, and what is still checked
[ -n "$btf" ] && faultline probe -j >"$R/probe-nobtf.json" 2>/dev/null

# ext4 with DAX on the pmem device
mkdir -p "$base/mnt/dax" "$base/mnt/fuse" "$base/tmp/backing"
dax=no
if [ -z "$base" ] && [ -b /dev/pmem0 ] && mke2fs -q -F -t ext4 -b 4096 /dev/pmem0 >/tmp/mke2fs.log 2>&1 &&
	mount -t ext4 -o dax /dev/pmem0 /mnt/dax; then
	dax=yes
else
	say "no ext4 DAX here"
fi
echo "$dax" >"$R/dax"

fl-passthrough "$base/tmp/backing" "$base/mnt/fuse" || say "passthrough mount failed"

for m in $modes; do
	# the plan probe loads and attaches in mode M: the host holds it against the logs' headers
	# shellcheck disable=SC2086
	faultline $btf probe -j --mode "$m" >"$R/probe-$m.json" 2>"$R/probe-$m.err"
	# a mode is available when probe --mode M attaches a function hook in it (tracepoints always)
	if [ "$m" != tracepoint ]; then
		n=$(grep -c "\"mode\": \"$m\"" "$R/probe-$m.json")
		if [ "$n" = 0 ]; then
			echo "unavailable" >"$R/$m.status"
			say "$m: unavailable"
			continue
		fi
	fi
	echo "available" >"$R/$m.status"
	say "$m: fl-ops on FUSE"
	# shellcheck disable=SC2086
	faultline $btf record -q --mode "$m" --events -o "$R/fuse-$m.jsonl" -- \
		fl-ops --rounds 2 "$base/mnt/fuse" >"$R/fuse-$m-truth.jsonl" 2>"$R/fuse-$m.err"
	echo $? >"$R/fuse-$m.rc"
	if [ $dax = yes ]; then
		say "$m: dax-race-workload on ext4 -o dax"
		# shellcheck disable=SC2086
		faultline $btf record -q --mode "$m" --events --events-ring 16777216 --dax-only \
			-o "$R/dax-$m.jsonl" -- \
			dax-race-workload --file /mnt/dax/race --size 1048576 --faulters 3 --shrinkers 2 \
			--duration "$duration" >"$R/dax-$m-workload.json" 2>"$R/dax-$m.err"
		echo $? >"$R/dax-$m.rc"
		rm -f /mnt/dax/race
	fi
done
umount "$base/mnt/fuse" 2>/dev/null
[ $dax = yes ] && umount /mnt/dax
say "done"
exit 0
