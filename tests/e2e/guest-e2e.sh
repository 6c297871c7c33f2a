#!/bin/sh
# shellcheck shell=dash
# In-guest half of the FUSE DAX end-to-end test (tests/e2e/run-e2e), on the test kernel.
# For each setting of fuse.dax_fault_serialize and each attach mode: mount fuse-dax-server with
# its DAX window on /dev/pmem0, and record dax-race-workload (threads faulting a shared mapping
# of one FUSE DAX file while others truncate, punch holes, zero ranges and open it O_TRUNC).
# Before that, the hang reproducer (a DAX file unlinked while open, then closed) on the
# default server and on the single-threaded one; after it, Debian's stress-ng and fio on the
# mount with the knob at Y: each workload alone in the first of --modes, all of them at once in
# each of the others. Logs land in /results; the host judges them.
# Last, the mutation matrix (tests/e2e/mutants): per mode one record of every row's workload
# with the row's bits in fuse.dax_mutate, on a mount with a 4-range DAX window and create aliases.
#   run.sh [--duration S] [--modes "fentry kprobe tracepoint"] [--knobs "Y N"]
#          [--pkg-seconds S] [--no-repro] [--no-packages] [--no-reclaim] [--no-lost-violations]
#          [--no-mutants] [--no-race]
duration=8 modes='fentry kprobe tracepoint' knobs='Y N' lostvio=1 reclaim=1 repro=1 pkgs=1
pkg_seconds=3 mutants=1
while [ $# -gt 0 ]; do
	case "$1" in
	--no-mutants) mutants=''; shift ;;
	--no-race) knobs=''; shift ;;
	--no-lost-violations) lostvio=''; shift ;;
	--no-reclaim) reclaim=''; shift ;;
	--no-repro) repro=''; shift ;;
	--no-packages) pkgs=''; shift ;;
	--pkg-seconds) pkg_seconds=$2; shift 2 ;;
	--duration) duration=$2; shift 2 ;;
	--modes) modes=$2; shift 2 ;;
	--knobs) knobs=$2; shift 2 ;;
	*) echo "guest-e2e: unknown argument $1"; exit 2 ;;
	esac
done
R=${FL_RESULTS:-/results}
# FL_STEP and FL_KNOB label /lib/fl.sh's messages
# shellcheck disable=SC2034
FL_STEP=e2e FL_KNOB=-
# shellcheck source=tests/testkernel/guest/fl.sh
. /lib/fl.sh

uname -r >"$R/kernel"
faultline probe -j >"$R/probe.json" 2>&1
faultline probe
# seconds since boot, to 10 ms
uptime_s() { cut -d' ' -f1 /proc/uptime; }
# e2e_umount NAME: unmount /mnt/fdax (fl_umount: never hangs, falls back to umount -l and
# SIGKILL) and note what it took in $R/umount-NAME ("clean exit=0" when all went well); the
# host fails the run on anything else. The boot goes on unless the window stays claimed.
e2e_umount() {
	fl_umount /mnt/fdax 20
	echo "$FL_UMOUNT_HOW exit=$FL_SERVER_EXIT" >"$R/umount-$1"
	case $FL_UMOUNT_HOW in *window-busy*) return 1 ;; esac
}
t_repro0=$(uptime_s)

# The hang reproducer: a DAX file read (the inode holds a DAX range), unlinked while open,
# then closed. The FUSE_RELEASE goes out in the background; on a kernel without the fix
# (kernel-patch/testing/0003; fuse.dax_mutate=0x100 brings the old behaviour back) its reply
# drops the inode's last reference inside the server's write(2) to /dev/fuse, and the eviction
# sends FUSE_REMOVEMAPPING and waits for the answer (tests/progs/fuse-dax-server.c's header). The
# default server answers it from another worker; --threads 1 never reads it, and everything
# on the mount hangs. With the fix the release completes in a kernel worker and neither
# server hangs. Whether the reply or the closing shell drops the last reference is a race (the
# close drops the dentry's right after queueing the RELEASE): the server is stopped across the
# close so that the reply always comes last (close sends no FLUSH: FOPEN_NOFLUSH). Then
# fl_umount (plain umount, falling back to umount -l and SIGKILL to the server, each said) and
# a real mount of the window again. Results: $R/repro-NAME.txt.
# With MUTATE (fuse.dax_mutate bits), the kernel behaves so while the file is closed: 0x100
# completes the release inside the server's reply, as kernels before the fix did. With RECORD,
# a `faultline record` of `sleep` runs across the close and is stopped with SIGINT after the
# `ls`: the I6 violation must be in its log, which must end with a valid trailer
# ($R/repro-NAME.jsonl, its exit status in $R/repro-NAME.rc).
#   repro NAME MUTATE RECORD [server options]
repro() {
	local name=$1 mutate=$2 rec=$3 t0 t1 lsrc=0 urc=0 how json again=0 fr='' i=0
	shift 3
	fl_mount /tmp/backing /mnt/fdax "$@" || { echo "mount=failed" >"$R/repro-$name.txt"; return 0; }
	truncate -s 65536 /mnt/fdax/u
	# `command`: a failed redirection must not end the whole guest
	command exec 3</mnt/fdax/u || fl_log "repro $name: cannot open /mnt/fdax/u"
	cat /mnt/fdax/u >/dev/null
	rm /mnt/fdax/u
	if [ "$rec" = 1 ]; then
		# not holding the file open: 3<&-
		faultline record -q --fuse-only -o "$R/repro-$name.jsonl" -- sleep 3600 \
			2>"$R/repro-$name.err" 3<&- &
		fr=$!
		# attached once the header is written
		while ! [ -s "$R/repro-$name.jsonl" ] && [ $i -lt 600 ] && kill -0 $fr 2>/dev/null; do
			i=$((i + 1))
			usleep 100000
		done
	fi
	echo $((mutate)) >/sys/module/fuse/parameters/dax_mutate
	fl_stop_server
	exec 3<&-
	kill -CONT "$FL_SERVER_PID"
	t0=$(uptime_s)
	timeout 3 ls /mnt/fdax >/dev/null 2>&1 || lsrc=$?
	t1=$(uptime_s)
	echo 0 >/sys/module/fuse/parameters/dax_mutate
	fl_log "repro $name: ls exit $lsrc after $t0..$t1 s"
	if [ -n "$fr" ]; then
		kill -INT $fr
		wait $fr
		echo $? >"$R/repro-$name.rc"
	fi
	fl_umount /mnt/fdax 5 || urc=$?
	how=$FL_UMOUNT_HOW json=$FL_SERVER_JSON
	fl_log "repro $name: unmount $how (exit $urc), server: ${json:-no summary} $(head -c 200 /tmp/server.err)"
	# the window can be mounted again, and served
	if fl_mount /tmp/backing /mnt/fdax; then
		ls /mnt/fdax >/dev/null || again=1
		fl_umount /mnt/fdax 5 || again=1
	else
		again=1
	fi
	{
		echo "mount=ok"
		echo "ls_rc=$lsrc"
		echo "ls_s=$(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }")"
		echo "umount_rc=$urc"
		echo "umount_how=$how"
		echo "server_json=$json"
		echo "remount_rc=$again"
		echo "dmesg=$(dmesg | grep -c 'Failed to removemappings')"
	} >"$R/repro-$name.txt"
}
if [ -n "$repro" ]; then
	fl_set_knob Y || exit 1
	# shellcheck disable=SC2034
	FL_KNOB=Y
	repro fixed 0 0
	repro threads1 0 0 --threads 1
	repro threads1-inline 0x100 1 --threads 1
	dmesg | grep -E 'fuse|removemapping|Busy inodes' >"$R/repro-dmesg.txt"
fi
echo "$(uptime_s) $t_repro0" >"$R/repro-seconds"
for knob in $knobs; do
	fl_set_knob "$knob" || exit 1
	# shellcheck disable=SC2034
	FL_KNOB=$knob
	for m in $modes; do
		fl_mount /tmp/backing /mnt/fdax || exit 1
		# knob N with function hooks also names the faults (the FUSE fault entry points)
		names=''
		[ "$knob" = N ] && [ "$m" != tracepoint ] && names=--fault-names
		fl_log "record --mode $m $names: dax-race-workload for ${duration}s"
		# shellcheck disable=SC2086
		faultline record -q --mode "$m" $names --fuse-only --dax-only -o "$R/e2e-$knob-$m.jsonl" -- \
			dax-race-workload --file /mnt/fdax/race --size 4194304 --faulters 3 \
			--shrinkers 2 --duration "$duration" >"$R/e2e-$knob-$m-workload.json" \
			2>"$R/e2e-$knob-$m.err"
		echo $? >"$R/e2e-$knob-$m.rc"
		rm -f /mnt/fdax/race
		e2e_umount "$knob-$m" || exit 1
	done
done
# I4: with a window of 4 ranges (fuse-dax-server --dax-ranges 4), faults and reads of a 16 MiB
# file make the kernel reclaim ranges, inline (reads) and in the background worker (faults
# waiting for a free range); reclaim must hold the lock exclusive and break the range's layout
if [ -n "$reclaim" ]; then
	fl_set_knob Y || exit 1
	echo "reclaim 0x000 reclaim - - -" >/tmp/reclaim.table
	: >/tmp/reclaim.phases
	faultline record -q --fuse-only --dax-only -o "$R/e2e-reclaim.jsonl" -- \
		sh /lib/fl-mutants.sh /mnt/fdax /tmp/reclaim.table /tmp/reclaim.phases e2e \
		>"$R/e2e-reclaim-workload.out" 2>"$R/e2e-reclaim.err"
	echo $? >"$R/e2e-reclaim.rc"
fi

# lost violation records are counted, never silent: a one-page violation ring, and the
# recorder stopped while the unserialized workload runs
if [ -n "$lostvio" ]; then
	fl_set_knob N || exit 1
	fl_mount /tmp/backing /mnt/fdax || exit 1
	faultline record -q --mode tracepoint --violations-ring 4096 -o "$R/e2e-lostvio.jsonl" -- \
		sh -c 'kill -STOP $PPID; "$@" >/dev/null; kill -CONT $PPID' sh \
		dax-race-workload --file /mnt/fdax/race --size 4194304 --faulters 3 --shrinkers 2 \
		--duration 3 2>"$R/e2e-lostvio.err"
	echo $? >"$R/e2e-lostvio.rc"
	rm -f /mnt/fdax/race
	e2e_umount lostvio || exit 1
fi

# Workloads faultline did not write, from Debian packages, with the serialization on:
# stress-ng's fallocate, hole-punch (fpunch) and file-mmap stressors with their files on the
# mount, and fio's mmap engine (its files laid out with O_CREAT|O_TRUNC, then randrw through
# shared mappings). Each alone, on a mount of its own, in the first of --modes (fentry by
# default: a run there costs 6 s of startup under TCG, tracepoint-only 2 s); then all four at
# once in each of the other modes. $R/pkg-NAME-MODE.{jsonl,out,err,rc}, the server's summary
# in $R/pkg-NAME-server.json, what unmounting took in $R/umount-pkg-NAME.
#   pkg NAME "MODES" COMMAND...
pkg() {
	local name=$1 ms=$2 m
	shift 2
	fl_mount /tmp/backing /mnt/fdax || return 1
	for m in $ms; do
		fl_log "record --mode $m: $name for ${pkg_seconds}s"
		mkdir -p /mnt/fdax/w
		faultline record -q --mode "$m" --fuse-only --dax-only -o "$R/pkg-$name-$m.jsonl" -- \
			"$@" >"$R/pkg-$name-$m.out" 2>"$R/pkg-$name-$m.err"
		echo $? >"$R/pkg-$name-$m.rc"
		rm -rf /mnt/fdax/w
	done
	e2e_umount "pkg-$name" || exit 1
	echo "$FL_SERVER_JSON" >"$R/pkg-$name-server.json"
}
if [ -n "$pkgs" ]; then
	t_pkg0=$(uptime_s)
	fl_set_knob Y || exit 1
	# shellcheck disable=SC2034
	FL_KNOB=Y
	# shellcheck disable=SC2086
	set -- $modes
	one=$1
	shift
	rest=$*
	sng="stress-ng --temp-path /mnt/fdax/w --timeout ${pkg_seconds}s --metrics-brief"
	cat >/tmp/mmap.fio <<-EOF
	[global]
	directory=/mnt/fdax/w
	ioengine=mmap
	rw=randrw
	bs=4k
	size=8m
	numjobs=2
	runtime=$pkg_seconds
	time_based
	group_reporting
	invalidate=0
	[mmap]
	EOF
	# shellcheck disable=SC2086
	pkg fallocate "$one" $sng --fallocate 2 --fallocate-bytes 8m
	# shellcheck disable=SC2086
	pkg fpunch "$one" $sng --fpunch 2
	# shellcheck disable=SC2086
	pkg mmap "$one" $sng --mmap 2 --mmap-file --mmap-bytes 4m
	pkg fio "$one" fio /tmp/mmap.fio
	if [ -n "$rest" ]; then
		pkg all "$rest" sh -c 'fio /tmp/mmap.fio >/tmp/all-fio.out 2>&1 & f=$!
			'"$sng"' --fallocate 1 --fallocate-bytes 8m --fpunch 1 --mmap 1 --mmap-file --mmap-bytes 4m
			s=$?; wait $f; f=$?; echo "stress-ng exit $s, fio exit $f"; cat /tmp/all-fio.out
			[ $s = 0 ] && [ $f = 0 ]'
	fi
	echo "$(uptime_s) $t_pkg0" >"$R/pkg-seconds"
fi
# The mutation matrix: every row of tests/e2e/mutants under one record per mode, its
# violations told apart by time ($R/mut-MODE.phases). In the function-hook modes the faults are
# named by their FUSE entry points (--fault-names).
if [ -n "$mutants" ]; then
	fl_set_knob Y || exit 1
	t_mut0=$(uptime_s)
	for m in $modes; do
		names=''
		[ "$m" != tracepoint ] && names=--fault-names
		fl_log "record --mode $m $names: the mutation matrix"
		: >"$R/mut-$m.phases"
		# shellcheck disable=SC2086
		faultline record -q --mode "$m" $names --fuse-only --dax-only -o "$R/mut-$m.jsonl" -- \
			sh /lib/fl-mutants.sh /mnt/fdax /lib/fl-mutants.table "$R/mut-$m.phases" "mut-$m" \
			>"$R/mut-$m.out" 2>"$R/mut-$m.err"
		echo $? >"$R/mut-$m.rc"
		echo 0 >/sys/module/fuse/parameters/dax_mutate
		# a row that left its mount behind (the script stopped early)
		if grep -q ' /mnt/fdax fuse' /proc/mounts; then
			e2e_umount "mut-$m-left" || exit 1
		fi
	done
	echo "$(uptime_s) $t_mut0" >"$R/mut-seconds"
fi
dmesg | grep -E "WARNING|BUG|dax_fault_serialize|dax_mutate" >"$R/dmesg-warnings" || true
exit 0
