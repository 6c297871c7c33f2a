# shellcheck shell=dash
# Helpers for test-kernel guests, installed as /lib/fl.sh: the smoke steps (guest/steps/*.sh,
# run by guest/smoke.sh) and the guests of tests/e2e and tests/bench source it.
# A step reports with one line on stdout, which tests/testkernel/smoke reads back:
#   FL-STEP <name> <label> PASS|FAIL <details>
# where <label> ($FL_LABEL) is knob=<Y|N> on the 6.12 test kernel (its knob
# fuse.dax_fault_serialize) and variant=<pre-seed|seed|fixed> on the 5.10 ones (no knob there:
# each variant is its own kernel). Steps also get FL_SERIALIZED: Y when this kernel serializes DAX
# faults against truncation (knob Y; seed, fixed), N when it does not (knob N; pre-seed).
# Files a step wants on the host go to $FL_RESULTS (/results, see tests/vm/README.md).

FL_KNOB_FILE=/sys/module/fuse/parameters/dax_fault_serialize

fl_label() { echo "${FL_LABEL:-knob=$FL_KNOB}"; }

fl_log() { echo "fl[$FL_STEP $(fl_label)]: $*"; }

fl_pass() { echo "FL-STEP $FL_STEP $(fl_label) PASS $*"; }

fl_fail() { echo "FL-STEP $FL_STEP $(fl_label) FAIL $*"; return 1; }

# fl_set_knob Y|N: serialized (Y, the default) or not (N)
fl_set_knob() {
	if ! echo "$1" >"$FL_KNOB_FILE" 2>/dev/null || [ "$(cat "$FL_KNOB_FILE")" != "$1" ]; then
		echo "FL-STEP knob FAIL cannot set $FL_KNOB_FILE to $1"
		return 1
	fi
}

# fl_mount BACKING MNT [server options]: start fuse-dax-server (DAX on /dev/pmem0) in the
# background and wait for the mount. Sets FL_SERVER_PID; the server's JSON goes to
# /tmp/server.json, its stderr to /tmp/server.err.
fl_mount() {
	local backing="$1" mnt="$2" i=0
	shift 2
	mkdir -p "$backing" "$mnt"
	fuse-dax-server --daxdev /dev/pmem0 "$@" "$backing" "$mnt" >/tmp/server.json 2>/tmp/server.err &
	FL_SERVER_PID=$!
	while ! grep -q " $mnt fuse" /proc/mounts; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 $FL_SERVER_PID 2>/dev/null; then
			fl_log "server did not mount $mnt: $(cat /tmp/server.err)"
			return 1
		fi
		usleep 100000
	done
}

# fl_umount MNT: unmount, wait for the server (which writes the DAX window back) and check it
# exited 0. Leaves its JSON summary in FL_SERVER_JSON.
fl_umount() {
	umount "$1" || { fl_log "umount $1 failed"; return 1; }
	wait "$FL_SERVER_PID"
	local src=$?
	export FL_SERVER_JSON
	FL_SERVER_JSON=$(cat /tmp/server.json)
	[ $src = 0 ] || { fl_log "server exit $src: $(cat /tmp/server.err)"; return 1; }
}

# fl_json_get JSON KEY: a numeric (or true/false) value from a flat one-line JSON object
fl_json_get() {
	echo "$1" | sed -n "s/.*\"$2\":\([-0-9.a-z]*\).*/\1/p"
}

# fl_trace_start EVENT...: clear the trace buffer and enable the given events (e.g.
# fs_dax/dax_pte_fault); fl_trace_count PATTERN: number of matching lines in the buffer (a lower
# bound if the buffer wrapped); fl_trace_stop: disable all events.
FL_TRACE=/sys/kernel/tracing
fl_trace_start() {
	echo 0 >$FL_TRACE/tracing_on
	echo 0 >$FL_TRACE/events/enable
	echo 4096 >$FL_TRACE/buffer_size_kb
	: >$FL_TRACE/trace
	for ev in "$@"; do echo 1 >"$FL_TRACE/events/$ev/enable" || return 1; done
	echo 1 >$FL_TRACE/tracing_on
}
fl_trace_count() { grep -c "$1" $FL_TRACE/trace; }
fl_trace_stop() { echo 0 >$FL_TRACE/events/enable; }

# fl_warnings: number of kernel WARNING/BUG lines so far
fl_warnings() { dmesg | grep -c -E 'WARNING:|BUG:'; }
