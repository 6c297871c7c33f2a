# Sourced by the host-side tests that promise no kernel address in faultline's output.
# A kernel address: hex of the kernel half (ffff8881..., ffffffff81...), or the same as a
# decimal number (0xffff800000000000 and up are 1844660...). grep -Ei.
# shellcheck disable=SC2034
kaddr_re='(0x)?ffff[0-9a-f]{12}|\b1844(6[6-9]|67)[0-9]{14}\b'
