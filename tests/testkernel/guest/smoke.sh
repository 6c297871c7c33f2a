#!/bin/busybox sh
# /init of the test-kernel guest (busybox initramfs built by tests/testkernel/smoke).
# Runs every /steps/*.sh once per knob value in $FL_KNOBS, each in a subshell with FL_KNOB set,
# then prints "FL-RESULT rc=N" on the console and powers off.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mkdir -p /proc /sys /dev /tmp /mnt
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null

FL_KNOBS="Y N"
export FL_RACE_SECONDS=10
# shellcheck source=/dev/null
[ -r /etc/fl.conf ] && . /etc/fl.conf
# shellcheck source=tests/testkernel/guest/fl.sh
. /lib/fl.sh

echo "FL-BOOT uptime=$(cut -d' ' -f1 /proc/uptime) kernel=$(uname -r)"
rc=0
if [ ! -e /sys/module/fuse/parameters/dax_fault_serialize ]; then
	echo "FL-STEP setup FAIL no /sys/module/fuse/parameters/dax_fault_serialize (not the test kernel?)"
	rc=1
elif [ ! -b /dev/pmem0 ]; then
	echo "FL-STEP setup FAIL no /dev/pmem0 (memmap=256M!1G missing?)"
	rc=1
else
	for knob in $FL_KNOBS; do
		for step in /steps/*.sh; do
			[ -e "$step" ] || continue
			name=$(basename "$step" .sh)
			fl_set_knob "$knob" || { rc=1; continue; }
			# shellcheck source=/dev/null
			( export FL_KNOB="$knob" FL_STEP="$name"; . "$step" )
			src=$?
			[ $src = 0 ] || { echo "FL-STEP $name knob=$knob FAIL (exit $src)"; rc=1; }
		done
	done
fi
fl_set_knob Y >/dev/null 2>&1
if dmesg | grep -q -E 'WARNING:|BUG:|Oops'; then
	sites=$(dmesg | sed -n 's/.*WARNING: .* at \([^ ]*\) .*/\1/p' | sort | uniq -c |
		awk '{printf "%s%s(%dx)", (NR > 1 ? " " : ""), $2, $1}')
	echo "FL-KERNEL-LOG $(dmesg | grep -c -E 'WARNING:|BUG:|Oops') warning/bug/oops lines: ${sites:-?}"
	dmesg | grep -E -A8 'WARNING:|BUG:|Oops' | head -n 60
fi
echo "FL-RESULT rc=$rc uptime=$(cut -d' ' -f1 /proc/uptime)"
sync
poweroff -f
reboot -f
