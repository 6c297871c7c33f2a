/* SPDX-License-Identifier: GPL-2.0 */
/* Map helpers shared by faultline's programs (after libbpf-tools' maps.bpf.h). */
#ifndef FAULTLINE_MAPS_BPF_H
#define FAULTLINE_MAPS_BPF_H

#include <bpf/bpf_helpers.h>

#ifndef EEXIST
#define EEXIST 17
#endif

/*
 * Insert @init under @key, after a lookup missed, and return the value.
 * Another CPU may insert the same key between that lookup and our insert (two
 * CPUs first touching one inode): our BPF_NOEXIST insert then fails with
 * -EEXIST and the lookup that follows finds theirs. NULL only when @map is full.
 */
static __always_inline void *bpf_map_try_init(void *map, const void *key, const void *init)
{
	long err = bpf_map_update_elem(map, key, init, BPF_NOEXIST);

	if (err && err != -EEXIST)
		return NULL;
	return bpf_map_lookup_elem(map, key);
}

/* The value under @key, inserted from @init if there is none yet (see bpf_map_try_init()). */
static __always_inline void *bpf_map_lookup_or_try_init(void *map, const void *key,
							const void *init)
{
	void *val = bpf_map_lookup_elem(map, key);

	return val ? val : bpf_map_try_init(map, key, init);
}

#endif /* FAULTLINE_MAPS_BPF_H */
