# Threads faulting a shared mapping of a FUSE DAX file while others truncate, punch holes,
# zero ranges and open(O_TRUNC) (sourced by /init with FL_KNOB set). Passes when the run
# completes without errors, hang or oops; its counts (SIGBUS, beyond_eof_ok, ...) are reported.
# $FL_WRAP, if set in /etc/fl.conf, prefixes the workload (e.g. "faultline record -o F --").
B=/tmp/backing-race M=/mnt/dax-race
rm -rf $B; mkdir -p $B
fl_trace_start fs_dax/dax_pte_fault || { fl_fail "tracefs"; return 1; }
fl_mount $B $M || { fl_fail "mount"; return 1; }
warn0=$(fl_warnings)
$FL_WRAP dax-race-workload --file $M/race --duration "${FL_RACE_SECONDS:-10}" \
	--faulters 3 --shrinkers 2 --size $((4 << 20)) >/tmp/race.json
wr=$?
faults=$(fl_trace_count 'dax_pte_fault:')
fl_trace_stop
fl_umount $M || { fl_fail "unmount after the workload (exit $wr)"; return 1; }
json=$(cat /tmp/race.json)
warn=$(( $(fl_warnings) - warn0 ))
fl_log "workload: $json"
fl_log "server: $FL_SERVER_JSON"
details="dax_pte_faults=$faults kernel_warnings=$warn workload=$json"
[ $wr = 0 ] || { fl_fail "workload exit $wr; $details"; return 1; }
[ "$(fl_json_get "$json" dax)" = true ] || { fl_fail "file was not DAX; $details"; return 1; }
[ "${faults:-0}" -gt 0 ] || { fl_fail "no fs_dax:dax_pte_fault event; $details"; return 1; }
fl_pass "$details"
