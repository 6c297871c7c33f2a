#!/bin/sh
# shellcheck shell=dash
# In-guest workload of the mutation matrix (tests/e2e/mutants), run under one `faultline
# record` per attach mode by tests/e2e/guest-e2e.sh.
#   guest-mutants.sh MNT TABLE PHASES LABEL
# For each row of TABLE: fuse-dax-server mounted on MNT (with a DAX window of 4 ranges,
# --dax-ranges 4, when the row reclaims; with --create-alias when it creates; consecutive rows
# with the same options share a mount, and each mount is unmounted with fl_umount, what it took
# in $FL_RESULTS/umount-LABEL-ROW for its first row), set fuse.dax_mutate to its bits, run its
# workloads on files of its own (MNT/m-NAME/), wait a moment for completions and the
# background reclaim worker, set the knob back to 0, and append "NAME BITS START END" to PHASES (seconds since boot, as /proc/uptime counts them: the clock of the log's ts_ns
# in a guest that never suspends). The host gives each violation to the row whose [START, next
# START) holds its time. Exit 0 when every workload ran and every unmount was clean; 1 if not
# (the output says which).
mnt=$1 table=$2 phases=$3 label=$4
knob=/sys/module/fuse/parameters/dax_mutate
R=${FL_RESULTS:-/results}
# shellcheck disable=SC2034
FL_STEP=mutants FL_KNOB=-
# shellcheck source=tests/testkernel/guest/fl.sh
. /lib/fl.sh
rc=0
up() { cut -d' ' -f1 /proc/uptime; }
# to the output, and to the kernel log: a row that hangs the guest is named on its console
say() {
	echo "mutants: $*"
	echo "mutants: $*" >/dev/kmsg 2>/dev/null
}

# race OPS DIR: faulting threads against one thread cycling through OPS on DIR/race (none:
# faulting threads only)
w_race() {
	if [ "$1" = none ]; then
		dax-race-workload --file "$2/race" --size 4194304 --faulters 2 --shrinkers 0 \
			--duration 2 || return 1
		return 0
	fi
	dax-race-workload --file "$2/race" --size 4194304 --faulters 2 --shrinkers 1 \
		--ops "$(echo "$1" | tr + ,)" --duration 2 || return 1
}

# reclaim DIR: a 16 MiB file is 8 ranges of the 4-range window. Faulting threads wait for
# the background worker to free ranges; reads (fuse_dax_read_iter) take ranges back from the
# file inline, under the file's lock, while the faults hold others.
# reclaim-reads DIR: the reads alone, for 2 s (no fault waits for a free range)
w_reclaim() {
	local f=$1/big p i=0
	dd if=/dev/zero of="$f" bs=1M count=16 2>/dev/null || return 1
	if [ "${2:-}" = reads ]; then
		sleep 2 &
	else
		dax-race-workload --file "$f" --size 16777216 --faulters 2 --shrinkers 0 --duration 2 &
	fi
	p=$!
	while kill -0 $p 2>/dev/null; do
		cat "$f" >/dev/null || { kill $p; return 1; }
		i=$((i + 1))
	done
	wait $p || return 1
	say "reclaim: $i reads of $f"
}

# release DIR: the reproducer of the hang: a DAX file read (its inode holds a DAX range),
# unlinked while open, then closed; the server is stopped across the close so that the
# FUSE_RELEASE reply drops the inode's last reference (in the server's write to /dev/fuse)
w_release() {
	local i
	for i in 1 2 3; do
		truncate -s 65536 "$1/u$i" || return 1
		command exec 3<"$1/u$i" || return 1
		cat "$1/u$i" >/dev/null
		rm "$1/u$i"
		fl_stop_server
		exec 3<&-
		kill -CONT "$FL_SERVER_PID"
		usleep 200000
	done
}

# create DIR: threads fault DIR/c while this shell opens DIR/c.alias with O_CREAT|O_TRUNC,
# which the server answers with c's inode (--create-alias) after emptying it; c grows back
# after each
w_create() {
	local p n=0
	truncate -s 4194304 "$1/c" || return 1
	dax-race-workload --file "$1/c" --size 4194304 --faulters 2 --shrinkers 0 --duration 2 &
	p=$!
	while kill -0 $p 2>/dev/null; do
		: >"$1/c.alias" || { kill $p; return 1; }
		truncate -s 4194304 "$1/c"
		n=$((n + 1))
	done
	wait $p || return 1
	say "create: $n creates of $1/c.alias"
}

# pkg DIR: Debian's stress-ng (fallocate: truncates, punches and zero ranges; fpunch) and fio
# (mmap engine, random reads and writes through shared mappings) at once, for 2 s
w_pkg() {
	local f s
	fio --directory="$1" --name=mmap --ioengine=mmap --rw=randrw --bs=4k --size=4m \
		--numjobs=2 --runtime=2 --time_based --invalidate=0 >"$1.fio.out" 2>&1 &
	f=$!
	stress-ng --temp-path "$1" --timeout 2s --fallocate 1 --fallocate-bytes 4m --fpunch 1 \
		>"$1.stress-ng.out" 2>&1
	s=$?
	wait $f
	f=$?
	[ $s = 0 ] && [ $f = 0 ] && return 0
	say "stress-ng exit $s, fio exit $f: $(tail -n 3 "$1.stress-ng.out" "$1.fio.out")"
	return 1
}

# unmount the rows' mount: what it took goes to $R/umount-LABEL-FIRST (FIRST: its first row)
unmount() {
	fl_umount "$mnt" 20 || rc=1
	echo "$FL_UMOUNT_HOW exit=$FL_SERVER_EXIT" >"$R/umount-$label-$first"
	echo "$FL_SERVER_JSON" >"$R/server-$label-$first.json"
}

grep -v '^#' "$table" | {
cur=none first=''
while read -r name bits work _; do
	[ -n "$name" ] || continue
	opts=''
	case ",$work," in *,reclaim,* | *,reclaim-reads,*) opts='--dax-ranges 4' ;; esac
	case ",$work," in *,create,*) opts="$opts --create-alias" ;; esac
	# consecutive rows with the same server options share a mount
	if [ "$opts" != "$cur" ]; then
		[ -z "$first" ] || unmount
		# shellcheck disable=SC2086
		fl_mount /tmp/backing "$mnt" $opts || exit 1
		cur=$opts first=$name
	fi
	d=$mnt/m-$name
	mkdir -p "$d"
	if ! echo $((bits)) >"$knob" || [ "$(cat "$knob")" != $((bits)) ]; then
		say "cannot set $knob to $bits"
		exit 1
	fi
	t0=$(up)
	say "$name ($bits): $work"
	for w in $(echo "$work" | tr , ' '); do
		case $w in
		race=*) w_race "${w#race=}" "$d" >"$d.race.json" ;;
		reclaim) w_reclaim "$d" ;;
		reclaim-reads) w_reclaim "$d" reads ;;
		release) w_release "$d" ;;
		create) w_create "$d" ;;
		pkg) w_pkg "$d" ;;
		*) say "$name: unknown workload $w"; false ;;
		esac || { say "$name: workload $w failed"; rc=1; }
	done
	# completions, the background reclaim worker and in-flight operations end under the
	# mutant's bits
	usleep 500000
	echo 0 >"$knob"
	t1=$(up)
	echo "$name $bits $t0 $t1" >>"$phases"
	say "$name ($bits): done, $t0..$t1 s"
	rm -rf "$d" "$d.race.json" "$d.fio.out" "$d.stress-ng.out"
	[ $rc = 0 ] || { unmount; exit 1; }
done
[ -z "$first" ] || unmount
exit $rc
}
