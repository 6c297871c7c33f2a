# shellcheck shell=dash
# What faultline will attach to, checked without BPF (sourced by /init with FL_KNOB set):
# /sys/kernel/btf/vmlinux exists; kprobe events on the fault and shrink paths and the function
# tracer (which fentry trampolines build on) fire while the race workload runs briefly.
[ -r /sys/kernel/btf/vmlinux ] || { fl_fail "no /sys/kernel/btf/vmlinux"; return 1; }
B=/tmp/backing-hooks M=/mnt/dax-hooks
rm -rf $B; mkdir -p $B
fns="__fuse_dax_fault fuse_do_setattr fuse_file_fallocate fuse_open"
echo 0 >/sys/kernel/tracing/tracing_on
echo 0 >/sys/kernel/tracing/events/enable
: >/sys/kernel/tracing/trace
: >/sys/kernel/tracing/kprobe_events
for f in $fns; do
	echo "p:fl_$f $f" >>/sys/kernel/tracing/kprobe_events || { fl_fail "kprobe on $f"; return 1; }
	echo 1 >"/sys/kernel/tracing/events/kprobes/fl_$f/enable"
done
echo fuse_dax_fault >/sys/kernel/tracing/set_ftrace_filter || { fl_fail "set_ftrace_filter fuse_dax_fault"; return 1; }
echo function >/sys/kernel/tracing/current_tracer
echo 1 >/sys/kernel/tracing/tracing_on
fl_mount $B $M || { fl_fail mount; return 1; }
dax-race-workload --file $M/h --faulters 1 --shrinkers 1 --iterations 8 >/dev/null
wr=$?
fl_umount $M
echo 0 >/sys/kernel/tracing/tracing_on
counts="" missing=""
for f in $fns; do
	n=$(grep -c "fl_$f:" /sys/kernel/tracing/trace)
	counts="$counts kprobe:$f=$n"
	[ "$n" -gt 0 ] || missing="$missing $f"
done
nf=$(grep -c ' fuse_dax_fault <-' /sys/kernel/tracing/trace)
counts="$counts function:fuse_dax_fault=$nf"
echo nop >/sys/kernel/tracing/current_tracer
: >/sys/kernel/tracing/set_ftrace_filter
echo 0 >/sys/kernel/tracing/events/enable
: >/sys/kernel/tracing/kprobe_events
[ $wr = 0 ] || { fl_fail "workload exit $wr;$counts"; return 1; }
[ -z "$missing" ] || { fl_fail "no kprobe hits on$missing;$counts"; return 1; }
[ "$nf" -gt 0 ] || { fl_fail "function tracer saw no fuse_dax_fault;$counts"; return 1; }
fl_pass "btf=/sys/kernel/btf/vmlinux$counts"
