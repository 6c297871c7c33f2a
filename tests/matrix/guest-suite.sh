#!/bin/sh
# In-guest half of the kernel matrix (runs as /guest/run.sh under tests/vm/boot).
# For each attach mode this kernel allows: record the fl-ops workload on a libfuse3 passthrough
# mount, and a multi-threaded fault/truncate/punch workload (dax-race-workload) on ext4 -o dax
# over the smaller pmem device and on xfs -o dax over one of 300 MB or more (mkfs.xfs's
# minimum; run-matrix boots with both). In the function-hook modes, also workloads faultline
# did not write, from Debian packages, on both filesystems: stress-ng (mmap of a file with a
# hole punched behind each page, then fallocate: truncates, punches, zero/collapse/insert
# ranges) and fio (mmap reads and writes against hole punches on one file, then ftruncate on
# another). Everything lands in /results; the host (tests/matrix/run-matrix) judges it; each
# step's guest time goes to /results/times ("NAME SECONDS" lines).
#   run.sh [--btf FILE] [--duration S] [--foreign-duration S] [--modes "fentry kprobe tracepoint"]
#          [--foreign-modes "fentry kprobe"]
btf='' duration=4 fduration=2 modes='fentry kprobe tracepoint' fmodes='fentry kprobe'
while [ $# -gt 0 ]; do
	case "$1" in
	--btf) btf="--btf $2"; shift 2 ;;
	--duration) duration=$2; shift 2 ;;
	--foreign-duration) fduration=$2; shift 2 ;;
	--modes) modes=$2; shift 2 ;;
	--foreign-modes) fmodes=$2; shift 2 ;;
	*) echo "guest-suite: unknown argument $1"; exit 2 ;;
	esac
done
R=${FL_RESULTS:-/results}
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
tick() { read -r _up _ </proc/uptime; echo "${_up%.*}${_up#*.}"; }
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

# ext4 with DAX on its pmem device
mkdir -p "$base/mnt/dax" "$base/mnt/xfs" "$base/mnt/fuse" "$base/tmp/backing"
dax=no
if [ -n "$ext4dev" ] && mke2fs -q -F -t ext4 -b 4096 "$ext4dev" >/tmp/mke2fs.log 2>&1 &&
	mount -t ext4 -o dax "$ext4dev" /mnt/dax; then
	dax=yes
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
			break
		fi
	done
	[ $xfs = yes ] || { say "no xfs DAX here:"; cat /tmp/mkfs.xfs.log; cp /tmp/mkfs.xfs.log "$R/xfs-mkfs"; }
fi
echo "$xfs" >"$R/xfs"
lap setup

fl-passthrough "$base/tmp/backing" "$base/mnt/fuse" || say "passthrough mount failed"

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
	if [ $dax = yes ]; then
		say "$m: dax-race-workload on ext4 -o dax"
		# shellcheck disable=SC2086
		faultline $btf record -q --mode "$m" --events --events-ring 16777216 --dax-only \
			-o "$R/dax-$m.jsonl" -- \
			dax-race-workload --file /mnt/dax/race --size 1048576 --faulters 3 --shrinkers 2 \
			--duration "$duration" >"$R/dax-$m-workload.json" 2>"$R/dax-$m.err"
		echo $? >"$R/dax-$m.rc"
		rm -f /mnt/dax/race
		lap "ext4-race-$m"
	fi
	if [ $xfs = yes ]; then
		say "$m: dax-race-workload on xfs -o dax"
		# shellcheck disable=SC2086
		faultline $btf record -q --mode "$m" --events --events-ring 16777216 --dax-only \
			-o "$R/xfs-$m.jsonl" -- \
			dax-race-workload --file /mnt/xfs/race --size 1048576 --faulters 3 --shrinkers 2 \
			--duration "$duration" >"$R/xfs-$m-workload.json" 2>"$R/xfs-$m.err"
		echo $? >"$R/xfs-$m.rc"
		rm -f /mnt/xfs/race
		lap "xfs-race-$m"
	fi
	# workloads faultline did not write: function-hook modes only (tracepoint-only mode sees
	# no teardown point, so it would check less of them)
	case " $fmodes " in *" $m "*) [ "$m" != tracepoint ] || continue ;; *) continue ;; esac
	for fs in ext4 xfs; do
		case $fs in
		ext4) [ $dax = yes ] || continue; dir=/mnt/dax ;;
		xfs) [ $xfs = yes ] || continue; dir=/mnt/xfs ;;
		esac
		for w in stress-ng fio; do
			command -v "$w" >/dev/null || { say "$w not in this guest"; continue; }
			n=fw-$fs-$w-$m
			mkdir -p "$dir/$w"
			say "$m: $w on $fs -o dax"
			# One shrinking task at a time: where the kernel runs fentry programs preemptible
			# (7.x, PREEMPT_RT) it skips a program's run on a CPU while another task's run of
			# it is preempted there, and the run is then incomplete (doc/design.md, "Skipped
			# program runs"; stress-ng's default of several concurrent shrinkers did that on 7.3).
			case $w in
			stress-ng)
				# in turn: mmap --mmap-file (a shared file mapping written, synced, then each
				# page mapped back and a hole punched behind it), then fallocate (ftruncate,
				# and fallocate's punch, zero, collapse and insert ranges on a 2 MB file)
				cat >/tmp/stress-ng.job <<-EOF
					run sequential
					timeout $fduration
					temp-path $dir/$w
					metrics-brief
					mmap 1
					mmap-file
					mmap-bytes 2M
					fallocate 1
					fallocate-bytes 2M
				EOF
				cp /tmp/stress-ng.job "$R/$n.job"
				set -- stress-ng --job /tmp/stress-ng.job ;;
			fio)
				# two mmap jobs read and write one 4 MB file while a falloc job punches 64 KB
				# holes in it (FALLOC_FL_PUNCH_HOLE); then an ftruncate job truncates another
				# file to random sizes (a mapping of it would SIGBUS). Both files are written
				# first, so that fio lays nothing out (growing truncates) while it runs.
				dd if=/dev/zero of="$dir/$w/shared" bs=1M count=4 2>/dev/null
				dd if=/dev/zero of="$dir/$w/trunc" bs=1M count=4 2>/dev/null
				cat >/tmp/fio.job <<-EOF
					[global]
					directory=$dir/$w
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
				EOF
				cp /tmp/fio.job "$R/$n.job"
				set -- fio --output-format=json --output="$R/$n-out.json" /tmp/fio.job ;;
			esac
			# shellcheck disable=SC2086
			faultline $btf record -q --mode "$m" --dax-only -o "$R/$n.jsonl" -- "$@" \
				>"$R/$n.out" 2>"$R/$n.err"
			echo $? >"$R/$n.rc"
			rm -rf "${dir:?}/$w"
			lap "$fs-$w-$m"
		done
	done
done
umount "$base/mnt/fuse" 2>/dev/null
[ $dax = yes ] && umount /mnt/dax
[ $xfs = yes ] && umount /mnt/xfs
say "done"
exit 0
