#!/bin/sh
# In-guest half of the kernel matrix (runs as /guest/run.sh under tests/vm/boot).
# For each attach mode this kernel allows: record the fl-ops workload on a libfuse3 passthrough
# mount, and a multi-threaded fault/truncate/punch workload (dax-race-workload) on ext4 -o dax
# over the smaller pmem device and on xfs -o dax over one of 300 MB or more (mkfs.xfs's
# minimum; run-matrix boots with both). In the function-hook modes, also workloads faultline
# did not write, from Debian packages, on both filesystems: stress-ng (mmap of a file with a
# hole punched behind each page, then fallocate: truncates, punches, zero/collapse/insert
# ranges) and fio (mmap reads and writes against hole punches on one file, then ftruncate on
# another). Starting a recorder costs 12-17 s under TCG, so records are shared: per mode one
# record of the race workload on ext4 then on xfs (race-MODE.jsonl; with --race-apart, one per
# file system, race-FS-MODE.jsonl), and per function-hook mode one record per file system of
# stress-ng then fio (fw-FS-MODE.jsonl). All of them log events, each with its inode's device:
# the host judges every file system by the device numbers written to /results/dev-FS, and every
# workload by its tasks' names. Each workload's exit status and output land in /results too;
# the host (tests/matrix/run-matrix) judges it all; each step's guest time goes to
# /results/times ("NAME SECONDS" lines).
#   run.sh [--btf FILE] [--duration S] [--foreign-duration S] [--modes "fentry kprobe tracepoint"]
#          [--foreign-modes "fentry kprobe"] [--race-apart]
# Run under a recorder by the suite itself (with FL_RESULTS, FL_SUFFIX and the durations set):
#   run.sh --race FS...      dax-race-workload on each FS (ext4, xfs) in turn
#   run.sh --foreign FS      stress-ng, then fio, on FS
btf='' duration=4 fduration=2 modes='fentry kprobe tracepoint' fmodes='fentry kprobe' apart=no
R=${FL_RESULTS:-/results}
self=$0

# dir FS: the mount point of FS
dir() { case $1 in ext4) echo /mnt/dax ;; xfs) echo /mnt/xfs ;; esac; }

# wl_time NAME START: the guest time NAME took since START (tick) goes to /results/wtimes
tick() { read -r _up _ </proc/uptime; echo "${_up%.*}${_up#*.}"; }
wl_time() {
	_t=$(tick) _s=$2
	echo "$1 $(((_t - _s) / 100)).$(printf '%02d' $(((_t - _s) % 100)))" >>"$R/wtimes"
}

# wl NAME EXT COMMAND...: run one workload, its output to /results/NAME.EXT, its error output
# and exit status to NAME.err and NAME.rc, its time to /results/wtimes; _fail=1 if it failed
wl() {
	_wn=$1 _we=$2 _t0=$(tick)
	shift 2
	"$@" >"$R/$_wn.$_we" 2>"$R/$_wn.err"
	_rc=$?
	echo $_rc >"$R/$_wn.rc"
	[ $_rc = 0 ] || _fail=1
	wl_time "$_wn" "$_t0"
}

# race FS...: the race workload on each file system in turn (its output, error output and exit
# status to /results/wl-race-FS-MODE.json, .err, .rc); exit 1 when one of them failed
race() {
	_fail=0
	for _fs in "$@"; do
		_d=$(dir "$_fs")
		wl "wl-race-$_fs-$FL_SUFFIX" json dax-race-workload --file "$_d/race" --size 1048576 \
			--faulters 3 --shrinkers 2 --duration "$duration"
	done
	exit $_fail
}

# foreign FS: stress-ng, then fio, on FS; exit 1 when one of them failed.
# One shrinking task at a time: where the kernel runs fentry programs preemptible (7.x,
# PREEMPT_RT) it skips a program's run on a CPU while another task's run of it is preempted
# there, and the run is then incomplete (doc/design.md, "Skipped program runs"; stress-ng's
# default of several concurrent shrinkers did that on 7.3).
foreign() {
	_fail=0 _fs=$1 _d=$(dir "$1")
	for _w in stress-ng fio; do
		_n=fw-$_fs-$_w-$FL_SUFFIX
		command -v "$_w" >/dev/null || { echo "matrix: $_w not in this guest"; _fail=1; continue; }
		mkdir -p "$_d/$_w"
		echo "matrix: $_w on $_fs -o dax"
		case $_w in
		stress-ng)
			# in turn: mmap --mmap-file (a shared file mapping written, synced, then each
			# page mapped back and a hole punched behind it), then fallocate (ftruncate,
			# and fallocate's punch, zero, collapse and insert ranges on a 2 MB file)
			cat >"$R/$_n.job" <<-EOJ
				run sequential
				timeout $fduration
				temp-path $_d/$_w
				metrics-brief
				mmap 1
				mmap-file
				mmap-bytes 2M
				fallocate 1
				fallocate-bytes 2M
			EOJ
			set -- stress-ng --job "$R/$_n.job" ;;
		fio)
			# two mmap jobs read and write one 4 MB file while a falloc job punches 64 KB
			# holes in it (FALLOC_FL_PUNCH_HOLE); then an ftruncate job truncates another
			# file to random sizes (a mapping of it would SIGBUS). Both files are written
			# first, so that fio lays nothing out (growing truncates) while it runs.
			dd if=/dev/zero of="$_d/$_w/shared" bs=1M count=4 2>/dev/null
			dd if=/dev/zero of="$_d/$_w/trunc" bs=1M count=4 2>/dev/null
			cat >"$R/$_n.job" <<-EOJ
				[global]
				directory=$_d/$_w
				size=4m
				bs=4k
				time_based=1
				runtime=$fduration
				[mmap]
				ioengine=mmap
				filename=shared
				rw=randrw
				numjobs=2
				[punch]
				ioengine=falloc
				filename=shared
				rw=randtrim
				bs=64k
				[trunc]
				stonewall
				ioengine=ftruncate
				filename=trunc
				rw=randwrite
				runtime=1
			EOJ
			set -- fio --output-format=json --output="$R/$_n-out.json" "$R/$_n.job" ;;
		esac
		wl "$_n" out "$@"
	done
	exit $_fail
}

while [ $# -gt 0 ]; do
	case "$1" in
	--btf) btf="--btf $2"; shift 2 ;;
	--duration) duration=$2; shift 2 ;;
	--foreign-duration) fduration=$2; shift 2 ;;
	--modes) modes=$2; shift 2 ;;
	--foreign-modes) fmodes=$2; shift 2 ;;
	--race-apart) apart=yes; shift ;;
	--race) shift; race "$@" ;;
	--foreign) foreign "$2" ;;
	*) echo "guest-suite: unknown argument $1"; exit 2 ;;
	esac
done
# the host row runs this suite too, under a temporary directory instead of /
base=${FL_MNT_BASE:-}
say() { echo "matrix: $*"; }

modprobe fuse 2>/dev/null
uname -r >"$R/kernel"
# shellcheck disable=SC2086
faultline $btf probe -j >"$R/probe.json" 2>"$R/probe.err"
# shellcheck disable=SC2086
faultline $btf probe >"$R/probe.txt" 2>&1
cat "$R/probe.txt"
# what probe says without the module BTF (5.10): what is missing, and what is still checked
[ -n "$btf" ] && faultline probe -j >"$R/probe-nobtf.json" 2>/dev/null

# guest time of each step, in /proc/uptime's hundredths of a second
t_mark=$(tick)
lap() {	# NAME: the time since the last lap (or the start) goes to /results/times
	_t=$(tick)
	echo "$1 $(((_t - t_mark) / 100)).$(printf '%02d' $(((_t - t_mark) % 100)))" >>"$R/times"
	t_mark=$_t
}

# the pmem devices: the smallest for ext4, the largest for xfs if it is another of 300 MB
# (614400 sectors) or more
ext4dev='' xfsdev=''
if [ -z "$base" ]; then
	devs=$(for b in /sys/block/pmem*; do
		[ -r "$b/size" ] && echo "$(cat "$b/size") /dev/${b##*/}"
	done | sort -n)
	ext4dev=$(echo "$devs" | sed -n '1s/.* //p')
	xfsdev=$(echo "$devs" | sed '1d' | awk '$1 >= 614400 { d = $2 } END { print d }')
fi

# fs_dev FS: the device number of FS's mount, as faultline logs it ("major:minor", the
# superblock's s_dev: /proc/self/mountinfo's third field), to /results/dev-FS
fs_dev() {
	awk -v m="$(dir "$1")" '$5 == m { d = $3 } END { print d }' /proc/self/mountinfo >"$R/dev-$1"
}

# ext4 with DAX on its pmem device
mkdir -p "$base/mnt/dax" "$base/mnt/xfs" "$base/mnt/fuse" "$base/tmp/backing"
dax=no
if [ -n "$ext4dev" ] && mke2fs -q -F -t ext4 -b 4096 "$ext4dev" >/tmp/mke2fs.log 2>&1 &&
	mount -t ext4 -o dax "$ext4dev" /mnt/dax; then
	dax=yes
	fs_dev ext4
else
	say "no ext4 DAX here"
fi
echo "$dax" >"$R/dax"

# xfs with DAX on the other: mkfs.xfs's defaults (reflink on), or reflink off where the kernel
# refuses DAX with reflink (5.10: "DAX and reflink cannot be used together")
xfs=no
if [ -n "$xfsdev" ] && command -v mkfs.xfs >/dev/null; then
	for opts in "" "-m reflink=0"; do
		# shellcheck disable=SC2086
		mkfs.xfs -q -f $opts "$xfsdev" >>/tmp/mkfs.xfs.log 2>&1 || continue
		if mount -t xfs -o dax "$xfsdev" /mnt/xfs 2>>/tmp/mkfs.xfs.log; then
			xfs=yes
			echo "mkfs.xfs ${opts:-(defaults)}; $(grep " /mnt/xfs " /proc/mounts)" >"$R/xfs-mkfs"
			fs_dev xfs
			break
		fi
	done
	[ $xfs = yes ] || { say "no xfs DAX here:"; cat /tmp/mkfs.xfs.log; cp /tmp/mkfs.xfs.log "$R/xfs-mkfs"; }
fi
echo "$xfs" >"$R/xfs"
fss=''
[ $dax = yes ] && fss=ext4
[ $xfs = yes ] && fss="$fss xfs"
lap setup

fl-passthrough "$base/tmp/backing" "$base/mnt/fuse" || say "passthrough mount failed"

# rec NAME ARGS...: faultline record, in mode $m with the DAX inodes' events, of this script
# run with ARGS (--race or --foreign) into /results/NAME.jsonl; its exit status to NAME.rc.
# The event ring holds 16 MB: an event lost makes the log INCOMPLETE.
rec() {
	_n=$1
	shift
	# shellcheck disable=SC2086
	FL_RESULTS=$R FL_SUFFIX=$m faultline $btf record -q --mode "$m" --events \
		--events-ring 16777216 --dax-only -o "$R/$_n.jsonl" -- \
		sh "$self" --duration "$duration" --foreign-duration "$fduration" "$@" \
		>"$R/$_n.out" 2>"$R/$_n.err"
	echo $? >"$R/$_n.rc"
}

for m in $modes; do
	# the plan probe loads and attaches in mode M: the host holds it against the logs' headers
	# shellcheck disable=SC2086
	faultline $btf probe -j --mode "$m" >"$R/probe-$m.json" 2>"$R/probe-$m.err"
	# a mode is available when probe --mode M attaches a function hook in it (tracepoints always)
	if [ "$m" != tracepoint ]; then
		n=$(grep -c "\"mode\": \"$m\"" "$R/probe-$m.json")
		if [ "$n" = 0 ]; then
			echo "unavailable" >"$R/$m.status"
			say "$m: unavailable"
			continue
		fi
	fi
	echo "available" >"$R/$m.status"
	say "$m: fl-ops on FUSE"
	# shellcheck disable=SC2086
	faultline $btf record -q --mode "$m" --events -o "$R/fuse-$m.jsonl" -- \
		fl-ops --rounds 2 "$base/mnt/fuse" >"$R/fuse-$m-truth.jsonl" 2>"$R/fuse-$m.err"
	echo $? >"$R/fuse-$m.rc"
	lap "fuse-$m"
	if [ -n "$fss" ]; then
		if [ $apart = yes ]; then
			for fs in $fss; do
				say "$m: dax-race-workload on $fs -o dax"
				rec "race-$fs-$m" --race "$fs"
			done
		else
			say "$m: dax-race-workload on $fss -o dax"
			# shellcheck disable=SC2086
			rec "race-$m" --race $fss
		fi
		# removed after the record, as each workload's files below: the log is the workloads'
		rm -f /mnt/dax/race /mnt/xfs/race
		lap "race-$m"
	fi
	# workloads faultline did not write: function-hook modes only (tracepoint-only mode sees
	# no teardown point, so it would check less of them)
	case " $fmodes " in *" $m "*) [ "$m" != tracepoint ] || continue ;; *) continue ;; esac
	for fs in $fss; do
		say "$m: stress-ng and fio on $fs -o dax"
		rec "fw-$fs-$m" --foreign "$fs"
		rm -rf "$(dir "$fs")/stress-ng" "$(dir "$fs")/fio"
		lap "fw-$fs-$m"
	done
done
umount "$base/mnt/fuse" 2>/dev/null
[ $dax = yes ] && umount /mnt/dax
[ $xfs = yes ] && umount /mnt/xfs
say "done"
exit 0
