#!/bin/sh
# In-guest half of tests/reliability/run-soak: a multi-threaded fault/truncate workload on
# ext4 -o dax under `faultline record --events` for MINUTES, sampling the recorder's RSS and
# the kernel memory of its BPF maps (memlock of its map fds) every minute.
#   run.sh --minutes N
minutes=30
[ "${1:-}" = --minutes ] && minutes=$2
R=${FL_RESULTS:-/results}
mkdir -p /mnt/dax
mke2fs -q -F -t ext4 -b 4096 /dev/pmem0 && mount -t ext4 -o dax /dev/pmem0 /mnt/dax || exit 1
secs=$((minutes * 60))
# the log goes to the host (a 30-minute event log does not fit in the guest's tmpfs)
faultline record -q --events -o "$R/soak.jsonl" -- sh -c "
	i=0
	while [ \$i -lt 4 ]; do
		dax-race-workload --file /mnt/dax/s\$i --size 2097152 --faulters 2 --shrinkers 1 \
			--duration $secs >/dev/null &
		i=\$((i + 1))
	done
	wait" &
rec=$!
sleep 5
echo "minute,rss_kb,map_memlock_bytes" >"$R/soak-samples.csv"
m=0
while kill -0 $rec 2>/dev/null; do
	rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$rec/status 2>/dev/null)
	mem=0
	for f in /proc/$rec/fdinfo/*; do
		v=$(sed -n 's/^memlock:[[:space:]]*//p' "$f" 2>/dev/null)
		[ -n "$v" ] && mem=$((mem + v))
	done
	[ -n "$rss" ] && echo "$m,$rss,$mem" >>"$R/soak-samples.csv"
	m=$((m + 1))
	sleep 60
done
wait $rec
echo $? >"$R/soak.rc"
umount /mnt/dax
exit 0
