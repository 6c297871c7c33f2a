#!/bin/sh
# shellcheck shell=dash
# Payload of tests/testkernel/smoke: /guest/run.sh of a tests/vm/mkinitramfs image, started by
# tests/vm/init (dash, /results brought back to the host).
#   run.sh [--knobs "Y N"] [--race-seconds N]
# Runs every /guest/steps/*.sh once per knob value (fuse.dax_fault_serialize, set before each
# step), each sourced in a subshell with FL_KNOB and FL_STEP set. Steps print their FL-STEP line
# with fl_pass / fl_fail (/lib/fl.sh). Afterwards FL-KERNEL-LOG if the kernel warned; the whole
# dmesg goes to /results/dmesg.txt. Exit 0 when the setup was right and every step exited 0.
FL_KNOBS="Y N"
export FL_RACE_SECONDS="${FL_RACE_SECONDS:-10}"
while [ $# -gt 0 ]; do
	case "$1" in
	--knobs) FL_KNOBS=$2; shift 2 ;;
	--race-seconds) FL_RACE_SECONDS=$2; shift 2 ;;
	*) echo "smoke guest: unknown argument $1"; exit 2 ;;
	esac
done
# shellcheck source=tests/testkernel/guest/fl.sh
. /lib/fl.sh

rc=0
if [ ! -e "$FL_KNOB_FILE" ]; then
	echo "FL-STEP setup FAIL no $FL_KNOB_FILE (not the test kernel?)"
	rc=1
elif [ ! -b /dev/pmem0 ]; then
	echo "FL-STEP setup FAIL no /dev/pmem0 (memmap=256M!1G missing?)"
	rc=1
else
	for knob in $FL_KNOBS; do
		for step in /guest/steps/*.sh; do
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
dmesg >"${FL_RESULTS:-/results}/dmesg.txt"
if dmesg | grep -q -E 'WARNING:|BUG:|Oops'; then
	sites=$(dmesg | sed -n 's/.*WARNING: .* at \([^ ]*\) .*/\1/p' | sort | uniq -c |
		awk '{printf "%s%s(%dx)", (NR > 1 ? " " : ""), $2, $1}')
	echo "FL-KERNEL-LOG $(dmesg | grep -c -E 'WARNING:|BUG:|Oops') warning/bug/oops lines: ${sites:-?} (dmesg.txt)"
	dmesg | grep -E -A8 'WARNING:|BUG:|Oops' | head -n 60
fi
exit $rc
