#!/bin/sh
# In-guest half of tests/vm/selftest (runs as /guest/run.sh). Checks that the harness gives a
# payload what the faultline tests need; prints one "selftest: ok|FAIL ..." line per check and
# writes /results/selftest.txt. Argument: the token the host expects back in that file.
token=${1:-none}
fails=0
ok() { echo "selftest: ok   $*"; }
bad() { echo "selftest: FAIL $*"; fails=$((fails + 1)); }
check() {	# check DESCRIPTION COMMAND...
	d=$1
	shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}
# loaded, or built in (mkinitramfs lists those: /sys/module has only the ones with parameters)
loaded() { [ -d "/sys/module/$1" ] || grep -qx "$1" /etc/faultline/builtin 2>/dev/null; }
# the image has 9p unless the kernel ships none (Debian's cloud flavour): results over the console
has9p() { grep -q '/9p\.ko' /etc/faultline/modules 2>/dev/null || grep -qx 9p /etc/faultline/builtin 2>/dev/null; }

for m in libnvdimm nd_pmem nd_e820 ext4; do
	check "module $m loaded" loaded "$m"
done
if has9p; then
	for m in 9p 9pnet_virtio; do
		check "module $m loaded" loaded "$m"
	done
	check "/results is the 9p share" grep -q ' /results 9p ' /proc/mounts
else
	check "/results is a tmpfs sent over the console (no 9p in this kernel)" \
		grep -q ' /results tmpfs ' /proc/mounts
fi
check "/dev/pmem0 is a block device" test -b /dev/pmem0
check "tracefs at /sys/kernel/tracing" test -e /sys/kernel/tracing/trace
check "bpffs at /sys/fs/bpf" grep -q ' /sys/fs/bpf bpf ' /proc/mounts
check "RLIMIT_MEMLOCK unlimited" grep -Eq "^Max locked memory +unlimited" /proc/self/limits

# ext4 with DAX on the pmem device, and a DAX fault seen by the fs_dax tracepoint.
mkdir -p /mnt/dax
if mke2fs -q -F -t ext4 -b 4096 /dev/pmem0 >/tmp/mke2fs.log 2>&1; then
	ok "mke2fs -t ext4 /dev/pmem0"
else
	bad "mke2fs -t ext4 /dev/pmem0: $(cat /tmp/mke2fs.log)"
fi
check "mount -o dax" mount -t ext4 -o dax /dev/pmem0 /mnt/dax
check "mounted with dax" grep -Eq ' /mnt/dax ext4 [^ ]*dax' /proc/mounts
T=/sys/kernel/tracing
ev=$T/events/fs_dax/dax_pte_fault
if [ -d "$ev" ]; then
	echo 0 >"$T/tracing_on"
	: >"$T/trace"
	echo 1 >"$ev/enable"
	echo 1 >"$T/tracing_on"
	check "mmap faults on a DAX file" mmap-touch /mnt/dax/file $((64 * 4096))
	echo 0 >"$T/tracing_on"
	echo 0 >"$ev/enable"
	n=$(grep -c 'dax_pte_fault:' "$T/trace")
	grep -m 3 'dax_pte_fault:' "$T/trace"
	check "fs_dax:dax_pte_fault fired ($n events)" test "$n" -gt 0
	cp "$T/trace" /results/trace.txt
else
	bad "no fs_dax:dax_pte_fault tracepoint"
fi
umount /mnt/dax

# FUSE: the module (or built-in), /dev/fuse, and a mount (no daemon needed to mount).
check "modprobe fuse" modprobe fuse
check "/dev/fuse is a character device" test -c /dev/fuse
check "fuse in /proc/filesystems" grep -qw fuse /proc/filesystems
mkdir -p /mnt/fuse
check "mount -t fuse" mount -t fuse -o fd=3,rootmode=40000,user_id=0,group_id=0 selftest /mnt/fuse 3<>/dev/fuse
check "fuse mount listed" grep -q ' /mnt/fuse fuse' /proc/mounts
umount -l /mnt/fuse

# Something the host reads back through /results.
echo "$token $(uname -r)" >/results/selftest.txt
check "wrote /results/selftest.txt" test -s /results/selftest.txt

echo "selftest: $fails failed"
[ "$fails" = 0 ]
