# shellcheck shell=dash
# Threads faulting a shared mapping of a FUSE DAX file while others truncate, punch holes,
# zero ranges and open(O_TRUNC) (sourced by /init with FL_SERIALIZED set). Two runs of
# ${FL_RACE_SECONDS:-10} s each: the full mix of operations, then only truncate and O_TRUNC with
# no hold time (the most size changes per second). Passes when both complete without errors,
# hang or oops, and on a serializing kernel (FL_SERIALIZED=Y: knob Y, 5.10 seed and fixed)
# without kernel warnings; counts and warnings are reported (unserialized, a fault that loses
# the race to a truncate may hit WARN_ON_ONCE in fs/dax.c; that is the race the lock prevents,
# not a failure here). Where fallocate(ZERO_RANGE) is not supported (FUSE in 5.10 answers
# EOPNOTSUPP before taking any lock) the mix leaves it out and says so.
# $FL_WRAP, if set in /etc/fl.conf, prefixes the workload (e.g. "faultline record -o F --").
B=/tmp/backing-race M=/mnt/dax-race
rm -rf $B; mkdir -p $B
fl_trace_start fs_dax/dax_pte_fault || { fl_fail "tracefs"; return 1; }
fl_mount $B $M || { fl_fail "mount"; return 1; }
warn0=$(fl_warnings)
s=${FL_RACE_SECONDS:-10}
ops=truncate,punch,zero,otrunc
z=$(dax-race-workload --file $M/race --faulters 1 --shrinkers 1 --ops zero --iterations 1)
if [ "$(fl_json_get "$z" last_errno)" = 95 ]; then
	ops=truncate,punch,otrunc
	fl_log "fallocate(ZERO_RANGE) not supported here (EOPNOTSUPP): the mix is $ops"
fi
$FL_WRAP dax-race-workload --file $M/race --duration "$s" --faulters 3 --shrinkers 2 \
	--ops "$ops" >/tmp/race-mix.json
w1=$?
$FL_WRAP dax-race-workload --file $M/race --duration "$s" --faulters 1 --shrinkers 1 \
	--ops truncate,otrunc --hold-us 0 >/tmp/race-trunc.json
w2=$?
faults=$(fl_trace_count 'dax_pte_fault:')
fl_trace_stop
fl_umount $M || { fl_fail "unmount after the workload (exit $w1 $w2)"; return 1; }
mix=$(cat /tmp/race-mix.json) trunc=$(cat /tmp/race-trunc.json)
warn=$(( $(fl_warnings) - warn0 ))
where=$(dmesg | sed -n 's/.*WARNING: .* at \([^ ]*\) .*/\1/p' | sort -u | tr '\n' ' ')
fl_log "mix: $mix"
fl_log "trunc: $trunc"
fl_log "server: $FL_SERVER_JSON"
details="dax_pte_faults=$faults kernel_warnings=$warn ${where:+at=[${where% }] }ops=$ops mix=$mix trunc=$trunc"
if [ $w1 != 0 ] || [ $w2 != 0 ]; then fl_fail "workload exit $w1/$w2; $details"; return 1; fi
[ "$(fl_json_get "$mix" dax)" = true ] || { fl_fail "file was not DAX; $details"; return 1; }
[ "${faults:-0}" -gt 0 ] || { fl_fail "no fs_dax:dax_pte_fault event; $details"; return 1; }
# Serialized, the race cannot happen: any kernel warning is a bug.
if [ "${FL_SERIALIZED:-$FL_KNOB}" = Y ] && [ "$warn" != 0 ]; then
	fl_fail "kernel warnings with $(fl_label); $details"
	return 1
fi
fl_pass "$details"
