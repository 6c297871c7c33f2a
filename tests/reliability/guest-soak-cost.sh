#!/bin/sh
# In-guest half of tests/reliability/soak-cost (the guest runs under QEMU -icount, its TSC
# counting guest instructions): instructions per DAX fault under one `faultline record`, at its
# start and again after it has seen many inodes and tasks, each beside the untraced figure.
#   run.sh --files N --count C
# Writes to $R: plain-start.json, traced-start.json, traced-end.json, plain-end.json
# (icount-bench's fault phase, C iterations over 256 pages), soak-cost.jsonl (the log).
files=1000 count=8
while [ $# -gt 0 ]; do
	case "$1" in
	--files) files=$2; shift 2 ;;
	--count) count=$2; shift 2 ;;
	*) echo "guest-soak-cost: unknown argument $1"; exit 2 ;;
	esac
done
R=${FL_RESULTS:-/results}
mkdir -p /mnt/dax
mke2fs -q -F -t ext4 -b 4096 /dev/pmem0 && mount -t ext4 -o dax /dev/pmem0 /mnt/dax || exit 1
fault() { icount-bench --file /mnt/dax/bench --other /tmp/other --count "$count" --phases fault; }
fault >"$R/plain-start.json" || exit 1
# the aging in between: each file mapped and faulted by a task of its own (a process that
# exits), so the recorder has seen FILES inodes and as many tasks
cat >/tmp/aged.sh <<EOS
icount-bench --file /mnt/dax/bench --other /tmp/other --count $count --phases fault >$R/traced-start.json || exit 1
i=0
while [ \$i -lt $files ]; do
	icount-bench --file /mnt/dax/f\$i --other /tmp/other --pages 32 --count 1 --phases fault >/dev/null || exit 1
	i=\$((i + 1))
done
icount-bench --file /mnt/dax/bench --other /tmp/other --count $count --phases fault >$R/traced-end.json
EOS
faultline record -q -o "$R/soak-cost.jsonl" -- sh /tmp/aged.sh || exit 1
# what the detach leaves to do (RCU callbacks, workers freeing programs and trampolines) runs
# now, not inside the untraced measure (under -icount sleep=off the wait costs no wall time)
sleep 5
fault >"$R/plain-end.json" || exit 1
umount /mnt/dax
exit 0
