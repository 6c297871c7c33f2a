# shellcheck shell=dash
# Data correctness through the FUSE DAX mount (sourced by /init with FL_KNOB set).
# Backing file written directly, then through the mount: DAX read(), mmap read, stores through
# the mapping, munmap, DAX pwrite() and an extending pwrite(); after unmount the backing file
# must hold every byte. A DAX fault must have happened: fs_dax:dax_pte_fault events and the
# server's FUSE_SETUPMAPPING count are both checked.
B=/tmp/backing-data M=/mnt/dax-data
rm -rf $B; mkdir -p $B
dax-check prepare $B/data || { fl_fail "prepare"; return 1; }
fl_trace_start fs_dax/dax_pte_fault fs_dax/dax_pmd_fault || { fl_fail "tracefs"; return 1; }
fl_mount $B $M || { fl_fail "mount"; return 1; }
fl_log "mount: $(grep " $M " /proc/mounts)"
warn0=$(fl_warnings)
dax-check exercise $M/data
ex=$?
faults=$(fl_trace_count 'dax_pte_fault:')
pmd=$(fl_trace_count 'dax_pmd_fault:')
fl_trace_stop
fl_umount $M || { fl_fail "unmount"; return 1; }
setup=$(fl_json_get "$FL_SERVER_JSON" setupmapping)
wb=$(fl_json_get "$FL_SERVER_JSON" written_back_bytes)
fl_log "server: $FL_SERVER_JSON"
dax-check verify $B/data
ve=$?
warn=$(( $(fl_warnings) - warn0 ))
details="dax_pte_faults=$faults dax_pmd_faults=$pmd setupmapping=$setup written_back_bytes=$wb kernel_warnings=$warn"
[ $ex = 0 ] || { fl_fail "exercise through the mount failed; $details"; return 1; }
[ $ve = 0 ] || { fl_fail "backing file wrong after unmount; $details"; return 1; }
[ "${faults:-0}" -gt 0 ] || { fl_fail "no fs_dax:dax_pte_fault event; $details"; return 1; }
[ "${setup:-0}" -gt 0 ] || { fl_fail "no FUSE_SETUPMAPPING; $details"; return 1; }
[ "$warn" = 0 ] || { fl_fail "kernel warnings; $details"; return 1; }
fl_pass "$details"
