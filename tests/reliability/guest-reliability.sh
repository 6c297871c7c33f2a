#!/bin/sh
# In-guest half of tests/reliability/run-reliability: conditions that could leave stale state
# or fake a violation, on ext4 -o dax (a kernel that serializes correctly: any violation is
# false). Per attach mode, each scenario runs under its own `faultline record`:
#   killed-faulting   workloads SIGKILLed while their threads fault and truncate
#   killed-truncate   a truncate held in the FUSE server (fl-passthrough) SIGKILLed mid-flight
#   eviction          many short-lived DAX files: faulted, truncated, unlinked, caches dropped,
#                     so inodes are evicted and their numbers reused
#   many              16 workloads on 16 files at once (32 faulting, 16 truncating threads)
# and, in the first mode, "many" again with a per-inode map of 4 entries (--inode-max 4).
#   run.sh [--modes "fentry tracepoint"]
modes='fentry tracepoint'
while [ $# -gt 0 ]; do
	case "$1" in
	--modes) modes=$2; shift 2 ;;
	*) echo "guest-reliability: unknown argument $1"; exit 2 ;;
	esac
done
R=${FL_RESULTS:-/results}
mkdir -p /mnt/dax /mnt/fuse /tmp/backing
mke2fs -q -F -t ext4 -b 4096 /dev/pmem0 && mount -t ext4 -o dax /dev/pmem0 /mnt/dax || exit 1
modprobe fuse 2>/dev/null
fl-passthrough /tmp/backing /mnt/fuse -o truncate_delay_ms=2000 || exit 1

cat >/tmp/killed-faulting.sh <<'EOS'
#!/bin/sh
i=0
while [ $i -lt 6 ]; do
	dax-race-workload --file /mnt/dax/k$i --size 2097152 --faulters 3 --shrinkers 2 --duration 30 >/dev/null &
	sleep 1
	kill -KILL $!
	wait $! 2>/dev/null
	i=$((i + 1))
done
exit 0
EOS
cat >/tmp/killed-truncate.sh <<'EOS'
#!/bin/sh
dd if=/dev/zero of=/mnt/fuse/t bs=4096 count=16 2>/dev/null
i=0
while [ $i -lt 3 ]; do
	truncate -s 4096 /mnt/fuse/t &
	sleep 0.5
	kill -KILL $!
	wait $! 2>/dev/null
	i=$((i + 1))
done
exit 0
EOS
cat >/tmp/eviction.sh <<'EOS'
#!/bin/sh
r=0
while [ $r -lt 4 ]; do
	i=0
	while [ $i -lt 24 ]; do
		dax-race-workload --file /mnt/dax/e$i --size 262144 --faulters 1 --shrinkers 1 \
			--iterations 2 >/dev/null || exit 1
		rm -f /mnt/dax/e$i
		i=$((i + 1))
	done
	sync
	echo 3 >/proc/sys/vm/drop_caches
	r=$((r + 1))
done
exit 0
EOS
cat >/tmp/many.sh <<'EOS'
#!/bin/sh
i=0
while [ $i -lt 16 ]; do
	dax-race-workload --file /mnt/dax/m$i --size 1048576 --faulters 2 --shrinkers 1 --duration 6 >/dev/null &
	i=$((i + 1))
done
wait
exit 0
EOS
chmod +x /tmp/*.sh

for m in $modes; do
	for s in killed-faulting killed-truncate eviction many; do
		echo "reliability: $m $s"
		faultline record -q --mode "$m" -o "$R/$m-$s.jsonl" -- /tmp/$s.sh >"$R/$m-$s.out" 2>&1
		echo $? >"$R/$m-$s.rc"
		rm -f /mnt/dax/* 2>/dev/null
	done
done
# 16 inodes against a per-inode map of 4: the LRU evicts, and the log must say so
m=${modes%% *}
echo "reliability: $m inode map of 4"
faultline record -q --mode "$m" --inode-max 4 -o "$R/inodes-full.jsonl" -- /tmp/many.sh >"$R/inodes-full.out" 2>&1
echo $? >"$R/inodes-full.rc"
rm -f /mnt/dax/* 2>/dev/null
umount /mnt/fuse
umount /mnt/dax
exit 0
