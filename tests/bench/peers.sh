# shellcheck shell=bash disable=SC2154,SC2034 # run-bench's variables: it sources this
# peers.sh: the peers of tests/bench/run-bench (sourced by it after guest() and row() exist):
# what a kernel developer would run instead of faultline, measured on the same fixed work in
# guest instructions (doc/bench.md, "Peers").

# peer_stream DIR MODE SRC KIND-MAP...: DIR's icount-bench results of MODE as peer-rows.jq
# input, one object a line, labelled SRC; each KIND-MAP is FILE-KIND=LABEL (only those kinds)
peer_stream() {
	local d=$1 m=$2 s=$3 f b k map
	shift 3
	for f in "$d/ic-$m"-*-*.json; do
		[ -e "$f" ] || continue
		b=${f##*/ic-"$m"-}
		b=${b%.json}
		k=${b#*-}
		for map in "$@"; do
			[ "${map%%=*}" = "$k" ] || continue
			jq -c --arg s "$s" --arg r "${b%%-*}" --arg k "${map#*=}" \
				'{s: $s, r: ($r | tonumber), k: $k, ph: .phases}' "$f"
		done
	done
}

# bpftrace_rows DIR MODE WHERE: the bpftrace peer's rows, from the rounds of MODE in DIR
# (untraced, faultline, floor and bpftrace in one boot); its maps' counts must show it saw the
# faults and the shrinking calls (a script that attached nothing would look free)
bpftrace_rows() {
	local d=$1 m=$2 w=$3 f
	for f in "$d/ic-$m"-*-bpftrace.bt; do
		[ -e "$f" ] || die "$d: no bpftrace output (ic-$m-*-bpftrace.bt)"
		{ grep -q '^@faults: [1-9]' "$f" && grep -q '^@ops: [1-9]' "$f"; } ||
			die "$f: bpftrace saw no DAX fault or no shrinking call: $(tr '\n' ' ' <"$f" | cut -c1-300)"
	done
	{
		peer_stream "$d" "$m" fl plain=plain traced=traced floor=floor
		peer_stream "$d" "$m" peer plain=base bpftrace=bpftrace
	} | jq -s -c --arg peer bpftrace --arg w "$w, bpftrace $(bpftrace --version | cut -d' ' -f2) (fentry+fexit on dax_iomap_fault, syscall tracepoints)" \
		-f "$here/peer-rows.jq" >>"$rows"
	row "icount peer bpftrace: DAX faults it paired, first round" \
		"$(sed -n 's/^@faults: //p' "$d/ic-$m-0-bpftrace.bt")" faults "" \
		"$w; unserialized: $(sed -n 's/^@unserialized_faults: //p' "$d/ic-$m-0-bpftrace.bt" | grep . || echo 0)"
}

# lockdep_console NAME: lockdep's reports in a guest's console (a report is a finding, not a
# cost): its own splats, and the kernel warnings its assertions raise (0006's
# lockdep_assert_held() warns at fs/fuse/dax.c, as a boot with fuse.dax_fault_serialize=N shows)
lockdep_console() {
	grep -cE '^\[ *[0-9.]+\] WARNING: |possible circular locking|inconsistent lock state|possible recursive locking' \
		"$work/$1.console" || true
}

# lockdep_peer: the lockdep kernel untraced against the test kernel untraced, on the same fixed
# work: FUSE DAX (the test kernel's untraced rounds are the fusedax icount guest's, or a boot of
# their own under --smoke) and, without --smoke, ext4 DAX (both kernels booted for it)
lockdep_peer() {
	local tk ld fl_d fl_m base_d base_m pargs t
	tk=$("$top/tests/testkernel/build-testkernel")
	ld=$(KSERIES=6.12-lockdep "$top/tests/testkernel/build-testkernel")
	pargs=(--rounds "$ic_rounds" --icount "$ic_count" --kinds plain --no-workload)
	for t in fusedax ext4; do
		case $t in
		fusedax)
			want fusedax || [ $smoke = 1 ] || continue
			initrd_args=(--prog fuse-dax-server)
			set -- --target fuse-dax
			;;
		ext4)
			{ want ext4 && [ $smoke = 0 ]; } || continue
			initrd_args=()
			set -- --target ext4
			;;
		esac
		guest "lockdep-$t" --kernel "$ld/bzImage" "${icount_q[@]}" -- \
			"$@" --modes lockdep "${pargs[@]}"
		fl_d=$work/$t-icount fl_m=${ic_modes%% *}
		if [ -e "$fl_d/ic-$fl_m-0-plain.json" ] && [ $t = fusedax ]; then
			base_d=$fl_d base_m=$fl_m
		else
			guest "testkernel-$t" --kernel "$tk/bzImage" "${icount_q[@]}" -- \
				"$@" --modes plain "${pargs[@]}"
			base_d=$work/testkernel-$t base_m=plain
		fi
		{
			peer_stream "$fl_d" "$fl_m" fl plain=plain traced=traced floor=floor
			peer_stream "$base_d" "$base_m" peer plain=base
			peer_stream "$work/lockdep-$t" lockdep peer plain=lockdep
		} | jq -s -c --arg peer lockdep \
			--arg w "$([ $t = ext4 ] && echo "ext4 DAX: lockdep kernel vs test kernel; faultline on 6.12 guest" ||
				echo "test kernel FUSE DAX: lockdep kernel vs test kernel")" \
			-f "$here/peer-rows.jq" >>"$rows"
		row "icount peer lockdep: reports in the console ($t)" "$(lockdep_console "lockdep-$t")" reports "" \
			"lockdep kernel ($(cat "$ld/source-version"), PROVE_LOCKING), $t"
	done
}
