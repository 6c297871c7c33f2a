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
# /tmp/server.json, its stderr to /tmp/server.err. Server options: e.g. --threads 1 (the
# single-threaded server, which a reply that waits on the server hangs), -o dax=never.
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

# fl_wait_gone PID SECONDS: 0 once PID has ended (it must be a child, or already reaped), 1 if
# it still runs after SECONDS
fl_wait_gone() {
	local n=$(($2 * 50))
	while kill -0 "$1" 2>/dev/null; do
		n=$((n - 1))
		[ $n -ge 0 ] || return 1
		usleep 20000
	done
}

# fl_stop_server: stop the server (SIGSTOP) and return once every thread of it is stopped:
# kill(2) only queues the signal, and a worker still running could answer one more request
fl_stop_server() {
	local t n=0
	kill -STOP "$FL_SERVER_PID" || return 1
	while [ $n -lt 500 ]; do
		for t in /proc/"$FL_SERVER_PID"/task/*/stat; do
			# the state follows "(comm) "
			case $(sed 's/.*) //' "$t" 2>/dev/null) in T* | t*) ;; *) n=$((n + 1)); usleep 10000; continue 2 ;; esac
		done
		return 0
	done
	fl_log "server $FL_SERVER_PID did not stop"
	return 1
}

# fl_window_free [SECONDS]: 0 when /dev/pmem0 can be claimed by a mount again (no connection
# holds it), waiting up to SECONDS (default 10) for a connection that is going away
fl_window_free() {
	local n=$((${1:-10} * 10))
	until fuse-dax-server --check-daxdev /dev/pmem0 2>/tmp/window.err; do
		n=$((n - 1))
		if [ $n -lt 0 ]; then
			fl_log "the DAX window /dev/pmem0 is still claimed: $(cat /tmp/window.err)"
			return 1
		fi
		usleep 100000
	done
}

# fl_umount MNT [SECONDS]: unmount, wait for the server (which writes the DAX window back),
# check that it exited 0 and that the window can be mounted again. Leaves the server's JSON
# summary in FL_SERVER_JSON (empty if it was killed), its exit status in FL_SERVER_EXIT, and in
# FL_UMOUNT_HOW what it took:
# "clean", or a comma list of "lazy" (umount failed or did not return within SECONDS, default
# 20: detached with umount -l), "server-killed" (the server still ran SECONDS after the
# unmount: SIGKILL, which also ends a server stuck in a reply that waits on itself),
# "window-busy" (the window still claimed SECONDS later). Each is said in a log line. Never
# waits longer than about 3 x SECONDS; returns 0 only when it was clean and the server exited 0.
fl_umount() {
	local mnt="$1" t="${2:-20}" up src=0
	export FL_SERVER_JSON FL_UMOUNT_HOW FL_SERVER_EXIT
	FL_UMOUNT_HOW=clean
	umount "$mnt" 2>/tmp/umount.err &
	up=$!
	if ! fl_wait_gone $up "$t"; then
		fl_log "umount $mnt still running after ${t}s: detaching it lazily (umount -l)"
		FL_UMOUNT_HOW=lazy
		umount -l "$mnt" || fl_log "umount -l $mnt failed too"
	elif ! wait $up; then
		fl_log "umount $mnt failed ($(cat /tmp/umount.err)): detaching it lazily (umount -l)"
		FL_UMOUNT_HOW=lazy
		umount -l "$mnt" || fl_log "umount -l $mnt failed too"
	fi
	if ! fl_wait_gone "$FL_SERVER_PID" "$t"; then
		fl_log "server $FL_SERVER_PID still running ${t}s after the unmount: killing it (SIGKILL)"
		kill -9 "$FL_SERVER_PID"
		FL_UMOUNT_HOW="${FL_UMOUNT_HOW#clean},server-killed"
		FL_UMOUNT_HOW=${FL_UMOUNT_HOW#,}
	fi
	wait "$FL_SERVER_PID" || src=$?
	FL_SERVER_EXIT=$src
	FL_SERVER_JSON=$(cat /tmp/server.json)
	if ! fl_window_free "$t"; then
		FL_UMOUNT_HOW="${FL_UMOUNT_HOW#clean},window-busy"
		FL_UMOUNT_HOW=${FL_UMOUNT_HOW#,}
	fi
	[ "$FL_UMOUNT_HOW" = clean ] || return 1
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
