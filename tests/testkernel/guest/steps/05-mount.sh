# shellcheck shell=dash
# Mount options of kernel-patch/testing/0001 (6.12) and testing/5.10/0001 (sourced by /init;
# knob-independent, so on 6.12 only run with FL_KNOB=Y; once per 5.10 variant): DAX is off unless
# daxdev= is given, dax=always alone is refused, a device without DAX is refused, the device is
# held exclusively while mounted and released after, dax=never wins.
if [ -n "${FL_KNOB:-}" ] && [ "$FL_KNOB" != Y ]; then
	fl_pass "knob-independent, checked with knob=Y"
	return 0
fi
B=/tmp/backing-mount M=/mnt/m1 M2=/mnt/m2
rm -rf $B; mkdir -p $B $M $M2
dax-check prepare $B/f >/dev/null || { fl_fail prepare; return 1; }

# must_fail DESCRIPTION SERVER-ARGS...: the server must not manage to mount $M2
must_fail() {
	local what="$1" rc
	shift
	timeout 10 fuse-dax-server "$@" $B $M2 >/dev/null 2>/tmp/mf.err
	rc=$?
	if grep -q " $M2 fuse" /proc/mounts; then
		umount $M2
		fl_fail "$what: mounted"
		return 1
	fi
	[ $rc = 1 ] || { fl_fail "$what: server exit $rc, expected 1"; return 1; }
	fl_log "$what refused: $(cat /tmp/mf.err)"
}

# 1. no DAX without daxdev=
fuse-dax-server $B $M >/tmp/plain.json 2>/tmp/plain.err &
pid=$!
i=0; while ! grep -q " $M fuse" /proc/mounts && [ $i -lt 100 ]; do usleep 100000; i=$((i + 1)); done
out=$(dax-check --no-dax-ok exercise $M/f); ex=$?
umount $M; wait $pid
case "$out" in *"dax=0"*) ;; *) fl_fail "plain mount: $out (exit $ex)"; return 1 ;; esac
[ $ex = 0 ] || { fl_fail "plain mount data: $out"; return 1; }
dax-check verify $B/f >/dev/null || { fl_fail "plain mount: backing file"; return 1; }

# 2., 3. refused option combinations
must_fail "dax=always without daxdev" -o dax=always || return 1
must_fail "daxdev=/dev/null (kernel)" -o dax=always,daxdev=/dev/null || return 1

# 4. exclusive while mounted, 5. released after unmount
dax-check prepare $B/f >/dev/null
fl_mount $B $M || { fl_fail "first DAX mount"; return 1; }
must_fail "second mount of the same daxdev" --daxdev /dev/pmem0 || return 1
fl_umount $M || { fl_fail "unmount"; return 1; }
fl_mount $B $M || { fl_fail "DAX mount after unmount (device not released?)"; return 1; }
out=$(dax-check exercise $M/f); ex=$?
fl_umount $M || { fl_fail "unmount"; return 1; }
[ $ex = 0 ] || { fl_fail "DAX remount: $out"; return 1; }

# 6. dax=never wins over the server's dax=always
dax-check prepare $B/f >/dev/null
fl_mount $B $M -o dax=never || { fl_fail "daxdev with dax=never"; return 1; }
out=$(dax-check --no-dax-ok exercise $M/f)
fl_umount $M
case "$out" in *"dax=0"*) ;; *) fl_fail "dax=never: $out"; return 1 ;; esac
fl_pass "plain mount not DAX; dax=always alone, daxdev=/dev/null and a second daxdev user refused; device released at unmount; dax=never honoured"
