# shellcheck shell=dash
# What faultline will attach to, checked without BPF (sourced by /init with FL_LABEL set):
#   - /sys/kernel/btf/vmlinux exists (fentry and tp_btf need it; fuse is built in);
#   - the tracepoints fs_dax:dax_pte_fault and syscalls:sys_enter_ftruncate exist;
#   - for each function of the fault and shrink paths: is it in /proc/kallsyms (a function the
#     compiler inlined everywhere is not; a clone such as NAME.isra.0 is listed as such), in
#     available_filter_functions (so the function tracer and fentry can attach), can a kprobe
#     event be put on it, and how often did that kprobe fire while a short race workload ran;
#   - the function tracer on fuse_dax_fault fires.
# Required: every function of $req hookable (kallsyms, ftrace, kprobe) and those of $hit fired.
# The rest is reported. The whole table goes to $FL_RESULTS/hooks-<label>.txt.
[ -r /sys/kernel/btf/vmlinux ] || { fl_fail "no /sys/kernel/btf/vmlinux"; return 1; }
T=/sys/kernel/tracing
for ev in fs_dax/dax_pte_fault syscalls/sys_enter_ftruncate; do
	[ -d "$T/events/$ev" ] || { fl_fail "no tracepoint $ev"; return 1; }
done
B=/tmp/backing-hooks M=/mnt/dax-hooks
rm -rf $B; mkdir -p $B
# The open(O_TRUNC) path: fuse_open_common() up to 6.1, fuse_open() from 6.2 on.
if grep -q ' fuse_open_common$' /proc/kallsyms; then open_fn=fuse_open_common; else open_fn=fuse_open; fi
# The DAX fault: static __fuse_dax_fault() behind four entry points, if the compiler kept it.
if grep -q ' __fuse_dax_fault$' /proc/kallsyms; then fault_fn=__fuse_dax_fault; else fault_fn=fuse_dax_fault; fi
req="$fault_fn fuse_do_setattr fuse_file_fallocate $open_fn truncate_pagecache truncate_pagecache_range dax_layout_busy_page_range"
hit="$fault_fn fuse_do_setattr fuse_file_fallocate $open_fn truncate_pagecache truncate_pagecache_range"
# Range reclaim is the only caller of the layout break before the seed patch (5.10 pre-seed).
[ "${FL_VARIANT:-}" = pre-seed ] || hit="$hit dax_layout_busy_page_range"
fns="$req fuse_open fuse_open_common fuse_setattr __fuse_dax_fault fuse_dax_fault fuse_dax_huge_fault
fuse_dax_page_mkwrite fuse_dax_pfn_mkwrite fuse_dax_break_layouts __fuse_dax_break_layouts
fuse_wait_dax_page dax_iomap_fault reclaim_one_dmap_locked dmap_reinit_add_to_free_pool
lookup_and_reclaim_dmap inode_inline_reclaim_one_dmap fuse_dax_free_mem_worker"
# shellcheck disable=SC2086 # split into words on purpose
fns=$(printf '%s\n' $fns | awk '!seen[$0]++')

echo 0 >$T/tracing_on
echo 0 >$T/events/enable
: >$T/trace
: >$T/kprobe_events
for f in $fns; do
	if echo "p:fl_$f $f" >>$T/kprobe_events 2>/dev/null; then
		echo 1 >"$T/events/kprobes/fl_$f/enable"
	fi
done
echo fuse_dax_fault >$T/set_ftrace_filter || { fl_fail "set_ftrace_filter fuse_dax_fault"; return 1; }
echo function >$T/current_tracer
echo 1 >$T/tracing_on
fl_mount $B $M || { fl_fail mount; return 1; }
ops=truncate,punch,otrunc
dax-race-workload --file $M/h --faulters 1 --shrinkers 1 --ops $ops --iterations 8 >/dev/null
wr=$?
fl_umount $M
echo 0 >$T/tracing_on

table=$FL_RESULTS/hooks-$(fl_label | tr '=' '-').txt
printf '%-30s %-44s %-6s %-6s %s\n' function kallsyms ftrace kprobe hits >"$table"
bad="" nohit="" absent="" summary=""
for f in $fns; do
	ks=$(awk -v f="$f" '$3 == f || index($3, f ".") == 1 {printf "%s%s:%s", (n++ ? "," : ""), $2, $3}' /proc/kallsyms)
	ft=n; grep -q -x "$f" $T/available_filter_functions && ft=y
	kp=n n=-
	if grep -q "^p:kprobes/fl_$f " $T/kprobe_events; then
		kp=y
		n=$(grep -c " fl_$f:" $T/trace)
	fi
	printf '%-30s %-44s %-6s %-6s %s\n' "$f" "${ks:--}" "$ft" "$kp" "$n" >>"$table"
	case " $req " in
	*" $f "*)
		if [ -z "$ks" ] || [ $ft = n ] || [ $kp = n ]; then bad="$bad $f"; fi
		summary="$summary $f=$n"
		;;
	esac
	case " $hit " in *" $f "*) [ "$n" != - ] && [ "$n" -gt 0 ] || nohit="$nohit $f" ;; esac
	[ -n "$ks" ] || absent="$absent $f"
done
nf=$(grep -c ' fuse_dax_fault <-' $T/trace)
echo nop >$T/current_tracer
: >$T/set_ftrace_filter
echo 0 >$T/events/enable
: >$T/kprobe_events
fl_log "hooks ($table):"
cat "$table"
details="required:$summary; not in kallsyms:${absent:- none}; function:fuse_dax_fault=$nf"
[ $wr = 0 ] || { fl_fail "workload exit $wr; $details"; return 1; }
[ -z "$bad" ] || { fl_fail "not hookable:$bad; $details"; return 1; }
[ -z "$nohit" ] || { fl_fail "no kprobe hits on$nohit; $details"; return 1; }
[ "$nf" -gt 0 ] || { fl_fail "function tracer saw no fuse_dax_fault; $details"; return 1; }
fl_pass "btf=/sys/kernel/btf/vmlinux $details"
