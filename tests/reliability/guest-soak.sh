#!/bin/sh
# In-guest half of tests/reliability/run-soak: a multi-threaded fault/truncate workload on
# ext4 -o dax under `faultline record` (with --events if asked) for MINUTES, sampling the
# recorder's RSS, the kernel memory of its BPF maps (memlock of its map fds) and the tasks alive
# in the guest (each has at most one entry in faultline's per-task state) every minute.
#   run.sh --minutes N [--events]
minutes=30 events=''
while [ $# -gt 0 ]; do
	case "$1" in
	--minutes) minutes=$2; shift 2 ;;
	--events) events=--events; shift ;;
	*) echo "guest-soak: unknown argument $1"; exit 2 ;;
	esac
done
R=${FL_RESULTS:-/results}
mkdir -p /mnt/dax
mke2fs -q -F -t ext4 -b 4096 /dev/pmem0 && mount -t ext4 -o dax /dev/pmem0 /mnt/dax || exit 1
secs=$((minutes * 60))
# the log goes to the host (a 30-minute event log does not fit in the guest's tmpfs)
# shellcheck disable=SC2086
faultline record -q $events -o "$R/soak.jsonl" -- sh -c "
	i=0
	while [ \$i -lt 4 ]; do
		dax-race-workload --file /mnt/dax/s\$i --size 2097152 --faulters 2 --shrinkers 1 \
			--duration $secs >/dev/null &
		i=\$((i + 1))
	done
	wait" &
rec=$!
sleep 5
echo "minute,rss_kb,map_memlock_bytes,tasks" >"$R/soak-samples.csv"
m=0
while kill -0 $rec 2>/dev/null; do
	rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$rec/status 2>/dev/null)
	mem=0
	for f in /proc/$rec/fdinfo/*; do
		v=$(sed -n 's/^memlock:[[:space:]]*//p' "$f" 2>/dev/null)
		[ -n "$v" ] && mem=$((mem + v))
	done
	tasks=$(find /proc/[0-9]*/task -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
	[ -n "$rss" ] && echo "$m,$rss,$mem,$tasks" >>"$R/soak-samples.csv"
	m=$((m + 1))
	sleep 60
done
wait $rec
echo $? >"$R/soak.rc"
umount /mnt/dax
exit 0
