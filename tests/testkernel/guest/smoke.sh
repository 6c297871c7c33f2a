#!/bin/sh
# shellcheck shell=dash
# Payload of tests/testkernel/smoke: /guest/run.sh of a tests/vm/mkinitramfs image, started by
# tests/vm/init (dash, /results brought back to the host).
#   run.sh [--knobs "Y N" | --variant NAME] [--race-seconds N]
# 6.12 test kernel (--knobs): runs every /guest/steps/*.sh once per knob value
# (fuse.dax_fault_serialize, set before each step). 5.10 test kernels (--variant pre-seed|seed|
# fixed): no knob, each variant is its own kernel, so every step runs once. Each step is sourced
# in a subshell with FL_STEP, FL_LABEL (knob=Y, variant=seed, ...), FL_SERIALIZED (Y/N) and, with
# knobs, FL_KNOB set. Steps print their FL-STEP line with fl_pass / fl_fail (/lib/fl.sh).
# Afterwards FL-KERNEL-LOG if the kernel warned; the whole dmesg goes to /results/dmesg.txt.
# Exit 0 when the setup was right and every step exited 0.
FL_KNOBS="Y N" FL_VARIANT=""
export FL_RACE_SECONDS="${FL_RACE_SECONDS:-10}"
while [ $# -gt 0 ]; do
	case "$1" in
	--knobs) FL_KNOBS=$2; shift 2 ;;
	--variant) FL_VARIANT=$2; shift 2 ;;
	--race-seconds) FL_RACE_SECONDS=$2; shift 2 ;;
	*) echo "smoke guest: unknown argument $1"; exit 2 ;;
	esac
done
# shellcheck source=tests/testkernel/guest/fl.sh
. /lib/fl.sh

# run_steps LABEL SERIALIZED [KNOB]: every step once
run_steps() {
	local step name src
	for step in /guest/steps/*.sh; do
		[ -e "$step" ] || continue
		name=$(basename "$step" .sh)
		if [ -n "${3:-}" ]; then fl_set_knob "$3" || { rc=1; continue; }; fi
		# shellcheck source=/dev/null
		( export FL_LABEL="$1" FL_SERIALIZED="$2" FL_STEP="$name" FL_VARIANT
		  [ -z "${3:-}" ] || export FL_KNOB="$3"
		  . "$step" )
		src=$?
		[ $src = 0 ] || { echo "FL-STEP $name $1 FAIL (exit $src)"; rc=1; }
	done
}

rc=0
if [ ! -b /dev/pmem0 ]; then
	echo "FL-STEP setup FAIL no /dev/pmem0 (memmap=256M!1G missing?)"
	rc=1
elif [ -n "$FL_VARIANT" ]; then
	case "$FL_VARIANT" in
	pre-seed) ser=N ;;
	seed | fixed) ser=Y ;;
	*) echo "FL-STEP setup FAIL unknown variant $FL_VARIANT"; exit 2 ;;
	esac
	if [ -e "$FL_KNOB_FILE" ]; then
		echo "FL-STEP setup FAIL $FL_KNOB_FILE exists: a kernel with the knob, not a 5.10 variant"
		rc=1
	else
		run_steps "variant=$FL_VARIANT" "$ser"
	fi
elif [ ! -e "$FL_KNOB_FILE" ]; then
	echo "FL-STEP setup FAIL no $FL_KNOB_FILE (not the test kernel?)"
	rc=1
else
	for knob in $FL_KNOBS; do
		run_steps "knob=$knob" "$knob" "$knob"
	done
fi
[ -n "$FL_VARIANT" ] || fl_set_knob Y >/dev/null 2>&1
dmesg >"${FL_RESULTS:-/results}/dmesg.txt"
if dmesg | grep -q -E 'WARNING:|BUG:|Oops'; then
	sites=$(dmesg | sed -n 's/.*WARNING: .* at \([^ ]*\) .*/\1/p' | sort | uniq -c |
		awk '{printf "%s%s(%dx)", (NR > 1 ? " " : ""), $2, $1}')
	echo "FL-KERNEL-LOG $(dmesg | grep -c -E 'WARNING:|BUG:|Oops') warning/bug/oops lines: ${sites:-?} (dmesg.txt)"
	dmesg | grep -E -A8 'WARNING:|BUG:|Oops' | head -n 60
fi
exit $rc
