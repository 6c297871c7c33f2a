# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this
# The test-kernel series, sourced by build-testkernel, check-patches and smoke.
#
#   tk_series SERIES    sets, for SERIES 6.12, 6.12-lockdep or 5.10 (returns 1 for any other):
#     tk_patchdir       the series' patches (applied in order to every kernel)
#     tk_fragments      array of the config fragments merged onto tinyconfig, in order
#     tk_source         the Debian linux-source series the kernel is built from
#     tk_variants       array of the kernels built from one tree, in build order; ("") for a
#                       series with a single kernel (6.12: its knob fuse.dax_fault_serialize
#                       turns the serialization off at run time)
#     tk_ops[VARIANT]   what the variant does to Debian's fs/fuse before the series is applied,
#                       one operation a line: -FILE reverses patch FILE, +FILE applies it (FILE
#                       relative to the top of the repository)
#   tk_ops_of VARIANT   tk_ops[VARIANT], one a line (nothing for "")
#
# 6.12-lockdep: the 6.12 test kernel with lock debugging (CONFIG_PROVE_LOCKING) and
#   kernel-patch/testing/lockdep/0006 (lockdep_assert_held() on the DAX fault path): the peer
#   the bench measures faultline against (its other patches are links to the 6.12 series).
# 5.10's variants (kernel-patch/README.md has the table):
#   seed      Debian's fs/fuse as shipped: the seed patch, with its page-0-only layout break
#   fixed     seed + kernel-patch/0002 (7851bf649d42: the layout break covers the whole file)
#   pre-seed  the seed patch reversed, then the test-only patch that keeps what DAX range reclaim
#             needs (kernel-patch/testing/README says exactly what)
declare -A tk_ops=()
tk_series() {
	tk_ops=()
	tk_source=$1
	case "$1" in
	6.12)
		tk_patchdir=kernel-patch/testing
		tk_variants=("")
		;;
	6.12-lockdep)
		tk_source=6.12
		tk_patchdir=kernel-patch/testing/lockdep
		tk_fragments=(kernel-patch/testing/config.fragment "$tk_patchdir/config.fragment")
		tk_variants=("")
		return 0
		;;
	5.10)
		tk_patchdir=kernel-patch/testing/5.10
		tk_variants=(seed fixed pre-seed)	# built in this order: as shipped first
		tk_ops[seed]=""
		tk_ops[fixed]="+kernel-patch/0002-fuse-fix-dax-truncate-punch_hole-fault-path.patch"
		tk_ops[pre-seed]="-kernel-patch/0001-virtiofs-serialize-truncate-punch_hole-and-dax-fault-path.patch
+kernel-patch/testing/5.10/pre-seed/0001-fuse-dax-keep-what-range-reclaim-needs-when-the-seed.patch"
		;;
	*) return 1 ;;
	esac
	tk_fragments=("$tk_patchdir/config.fragment")
}
tk_ops_of() { [ -z "$1" ] || printf '%s\n' "${tk_ops[$1]}"; }
