# shellcheck shell=bash
# tests/lib.sh: what faultline's host-side bash scripts share (the guests' payloads are dash and
# get /lib/fl.sh instead). Source it after setting PROG to the script's name:
#   PROG=run-matrix; . "$top/tests/lib.sh"
#
# The preamble every script had its own copy of (and $top, $build: below):
#   die MSG...          "PROG: MSG" on stderr, exit $DIE_STATUS (default 2: usage and setup
#                       errors; tests/vm/boot and run use 126, below their payload's statuses)
#   need_arg OPT ARGS   die "OPT needs a value" unless ARGS has one after OPT
#   help_from_header    print the comment block after the shebang (up to `set -euo`) and exit 0
#
# What the host scripts that boot guests (through tests/vm/run, the one guest driver) share:
#   work_dir PREFIX     $work: a new temp dir, removed at exit; when $keep names a dir (--keep
#                       DIR), what $work holds is copied there first, even when the script stops
#                       early
#   guest_ok RC ERRFILE true when RC is 0; else ERRFILE (tests/vm/run's stderr: the console's
#                       tail) to stderr, and false: guest_ok $rc "$work/boot.err" || die ...
#   wall_line NAME FAIL [PLACES]
#                       "NAME: all passed in S.S s wall" (FAILED when FAIL is not 0), the time
#                       since $t0 (microseconds: t0=${EPOCHREALTIME/./}), PLACES decimals (1)
#
# One set of test assertions for every runner (tests/cli, tests/live, ...):
#   t_ok NAME                 a pass
#   t_bad NAME [FILE...]      a failure; the FILEs' first lines are shown, indented
#   t_run CODE NAME CMD...    run CMD (stdout in $T_OUT, stderr in $T_ERR, by default t.out and
#                             t.err in $T_TMP); a pass if it exits
#                             CODE, else a failure showing both; returns 0 on a pass
#   t_expect FILE REGEX NAME  a pass if FILE has a line matching the extended REGEX
#   t_one_line FILE NAME [REGEX]
#                             a pass if FILE is exactly one line (matching REGEX if given)
#   t_jq NAME FILTER FILE     a pass if the jq FILTER is true on FILE (JSON Lines, slurped)
#   t_no_kaddr NAME FILE      a pass if FILE holds no kernel address (hex or decimal)
#   t_summary WHAT            "N/M WHAT passed"; returns 0 when all passed
#   t_seal FILE               write FILE's trailer digest again over what FILE now holds, as
#                             record writes it (faultline(8), INTEGRITY): for a test that edits a
#                             log to show what the reader makes of the edit, not of the damage
# T_TMP must be a directory the runner owns (T_OUT and T_ERR live there); with it set, a
# command not found is a failure too.

# The tree's top and the build dir, for the scripts that use them, unless the script set them
# before: top = this file's parent's parent, build = $BUILD, else top/build.
top=${top:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
# shellcheck disable=SC2034
build=${build:-${BUILD:-$top/build}}

die() {
	echo "${PROG:-${0##*/}}: $*" >&2
	exit "${DIE_STATUS:-2}"
}

need_arg() {
	[ $# -ge 2 ] || die "$1 needs a value"
}

help_from_header() {
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 0
}

# shellcheck disable=SC2154 # keep: the sourcing script's --keep DIR, if it has one
work_dir() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
	trap '[ -z "${keep:-}" ] || { mkdir -p "${keep:-}" && cp -a "$work/." "${keep:-}/"; }; rm -rf "$work"' EXIT
}

guest_ok() {
	[ "$1" != 0 ] || return 0
	cat "$2" >&2
	return 1
}

wall_line() {
	local el=$((${EPOCHREALTIME/./} - ${t0:?})) p=${3:-1}
	printf '%s: %s in %d.%0*d s wall\n' "$1" "$([ "$2" = 0 ] && echo 'all passed' || echo FAILED)" \
		$((el / 1000000)) "$p" $(((el % 1000000) / 10 ** (6 - p)))
}

# A kernel address: hex of the kernel half (ffff8881..., ffffffff81...), or the same as a
# decimal number (0xffff800000000000 and up are 1844660...). For grep -Ei.
# shellcheck disable=SC2034
kaddr_re='(0x)?ffff[0-9a-f]{12}|\b1844(6[6-9]|67)[0-9]{14}\b'

t_n=0 t_failures=0
# A runner (T_TMP set) that calls what does not exist, a helper renamed on one side only,
# fails: bash would report "command not found" and go on, and the test it was would vanish.
if [ -n "${T_TMP:-}" ]; then
	set -E
	trap '[ $? -ne 127 ] || t_bad "${BASH_SOURCE[0]}:$LINENO: command not found"' ERR
fi
T_OUT=${T_OUT:-${T_TMP:-/tmp}/t.out} T_ERR=${T_ERR:-${T_TMP:-/tmp}/t.err}

t_ok() {
	t_n=$((t_n + 1))
	echo "ok   $1"
}

t_bad() {
	local f
	t_n=$((t_n + 1))
	t_failures=$((t_failures + 1))
	echo "FAIL $1"
	shift
	for f; do [ -e "$f" ] && sed 's/^/  | /' "$f" | head -n 30; done
	return 0
}

t_run() {
	local want=$1 name=$2 got=0
	shift 2
	"$@" >"$T_OUT" 2>"$T_ERR" || got=$?
	if [ "$got" = "$want" ]; then
		t_ok "$name"
		return 0
	fi
	t_bad "$name: exit $got, wanted $want" "$T_OUT" "$T_ERR"
	return 1
}

t_expect() {
	if grep -Eq -- "$2" "$1"; then t_ok "$3"; else t_bad "$3: $(basename "$1") does not match /$2/" "$1"; fi
}

t_one_line() {
	if [ "$(wc -l <"$1")" = 1 ] && { [ -z "${3:-}" ] || grep -Eq -- "$3" "$1"; }; then
		t_ok "$2"
	else
		t_bad "$2: wanted exactly one line${3:+ matching /$3/}" "$1"
	fi
}

t_jq() {
	if jq -se "$2" "$3" >/dev/null 2>"$T_TMP/t.jqerr"; then t_ok "$1"; else t_bad "$1: $2" "$T_TMP/t.jqerr"; fi
}

t_no_kaddr() {
	if grep -Eiq -- "$kaddr_re" "$2"; then t_bad "$1: a kernel address" "$2"; else t_ok "$1"; fi
}

t_summary() {
	echo "$((t_n - t_failures))/$t_n $1 passed"
	[ "$t_failures" = 0 ]
}

# The trailer's digest: "sha256:" and the SHA-256 of every byte of the log up to the trailer's
# own ',"digest":' (the trailer's other fields included); the digest is the trailer's last member.
t_seal() {
	local f=$1 last sum
	last=$(tail -n 1 "$f")
	last=${last%\}}
	last=${last%,\"digest\":\"sha256:*\"}
	sum=$({ head -n -1 "$f"; printf '%s' "$last"; } | sha256sum)
	{ head -n -1 "$f"; printf '%s,"digest":"sha256:%s"}\n' "$last" "${sum%% *}"; } >"$f.seal" &&
		mv "$f.seal" "$f"
}
