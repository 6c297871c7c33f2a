# shellcheck shell=dash
# How far the truncation paths break the DAX layout (sourced by /init with FL_LABEL set): a
# kprobe on fuse_dax_break_layouts(inode, dmap_start, dmap_end) records its arguments while a
# short workload truncates, punches holes and opens with O_TRUNC a mapped DAX file.
#   seed      every truncation call passes (0, 0): page 0 only (the seed's bug)
#   fixed     every call passes (0, -1): the whole file (7851bf649d42, kernel-patch/0002)
#   pre-seed  no truncation path calls it (the seed patch is what added those calls)
#   6.12      (0, -1) with either knob value (Debian's 6.12 has 7851bf649d42; the knob leaves
#             the layout break in place)
# Calls with other bounds are DAX range reclaim (one 2 MiB range): counted, not judged.
T=/sys/kernel/tracing
case "${FL_VARIANT:-}" in
seed) want=page0 ;;
pre-seed) want=none ;;
*) want=whole ;;
esac
if ! grep -q ' fuse_dax_break_layouts$' /proc/kallsyms; then
	fl_fail "fuse_dax_break_layouts is not in kallsyms"
	return 1
fi
B=/tmp/backing-brk M=/mnt/dax-brk
rm -rf $B; mkdir -p $B
echo 0 >$T/tracing_on
echo 0 >$T/events/enable
: >$T/trace
: >$T/kprobe_events
# x86-64: the arguments are in rdi, rsi, rdx
echo 'p:fl_brk fuse_dax_break_layouts start=%si:s64 end=%dx:s64' >>$T/kprobe_events ||
	{ fl_fail "kprobe on fuse_dax_break_layouts"; return 1; }
echo 1 >$T/events/kprobes/fl_brk/enable
echo 1 >$T/tracing_on
fl_mount $B $M || { fl_fail mount; return 1; }
dax-race-workload --file $M/b --faulters 1 --shrinkers 1 --ops truncate,punch,otrunc \
	--iterations 6 >/tmp/brk.json
wr=$?
fl_umount $M
echo 0 >$T/tracing_on
page0=$(grep -c ' fl_brk: .* start=0 end=0$' $T/trace)
whole=$(grep -c ' fl_brk: .* start=0 end=-1$' $T/trace)
all=$(grep -c ' fl_brk: ' $T/trace)
other=$((all - page0 - whole))
echo 0 >$T/events/enable
: >$T/kprobe_events
got=none
if [ "$page0" -gt 0 ] && [ "$whole" = 0 ]; then got=page0
elif [ "$whole" -gt 0 ] && [ "$page0" = 0 ]; then got=whole
elif [ "$whole" -gt 0 ]; then got=mixed
fi
details="layout_break=$got (calls: $page0 with (0, 0), $whole with (0, -1), $other other); workload $(cat /tmp/brk.json)"
[ $wr = 0 ] || { fl_fail "workload exit $wr; $details"; return 1; }
[ "$got" = "$want" ] || { fl_fail "expected layout_break=$want; $details"; return 1; }
fl_pass "$details"
