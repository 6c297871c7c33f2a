// SPDX-License-Identifier: GPL-2.0
/* Violation titles: see title.h. */
#include <stdio.h>
#include <string.h>
#include "log.h"
#include "text.h"
#include "names.h"
#include "title.h"

/*
 * Frames that say how pages are torn down, not who tears them down: an op's
 * title names the operation behind them (fuse_do_setattr, ext4_setattr, ...).
 */
static const char *const teardown_frames[] = {
	"fuse_dax_break_layouts", "__fuse_dax_break_layouts", "fuse_wait_dax_page",
	"dax_layout_busy_page", "dax_layout_busy_page_range", "dax_break_layout",
	"dax_break_layout_inode", "dax_break_layout_final",
	"truncate_pagecache", "truncate_pagecache_range", "truncate_setsize",
	"truncate_inode_pages", "truncate_inode_pages_range", "unmap_mapping_range",
	"unmap_mapping_pages", "invalidate_inode_pages2_range",
	/* FUSE request plumbing (the fuse:fuse_request_send tracepoint fires in fuse_send_one) */
	"fuse_simple_request", "__fuse_simple_request", "__fuse_request_send", "fuse_request_send",
	"fuse_send_one", "fuse_simple_background", "fuse_request_queue_background",
	"fuse_dev_queue_req", "queue_request_and_unlock", "fuse_send_request",
	"fuse_dax_reclaim", "reclaim_one_dmap_locked", "reclaim_one_dmap",
	"dmap_reinit_add_to_free_pool", "dmap_removemapping_list", "dmap_removemapping_one",
	"fuse_removemapping",
};

/* The function a frame names: "fuse_do_setattr+0x422 [fuse]" -> "fuse_do_setattr" */
static void frame_name(const char *frame, char *buf, size_t len)
{
	size_t n = strcspn(frame, "+ [.");

	snprintf(buf, len, "%.*s", (int)n, frame);
}

static int is_teardown(const char *name)
{
	for (size_t i = 0; i < sizeof(teardown_frames) / sizeof(teardown_frames[0]); i++)
		if (!strcmp(name, teardown_frames[i]))
			return 1;
	return 0;
}

/* The first meaningful frame of @side; its entry or hook if the stack has none. */
static void side_name(json_t *side, int op, char *buf, size_t len)
{
	json_t *stack = json_object_get(side, "stack"), *f;
	const char *fallback;
	size_t i;

	json_array_foreach(stack, i, f) {
		const char *s = json_string_value(f);

		if (!s || !*s || *s == '?')
			continue;
		frame_name(s, buf, len);
		if (buf[0] && !(op && is_teardown(buf)))
			return;
	}
	fallback = json_string_value(json_object_get(side, "entry"));
	if (!fallback || !strcmp(fallback, "?"))
		fallback = json_string_value(json_object_get(side, "hook"));
	snprintf(buf, len, "%s", fallback ?: "?");
}

/*
 * I6: the request sent and the completion it was sent from: the completion's
 * callback (args->end), else the frame fuse_request_end() called in the
 * send's stack, else the completed request.
 *   blocking-in-completion: FUSE_REMOVEMAPPING from fuse_release_end
 */
static void completion_title(json_t *v, const char *kind, char *buf, size_t len)
{
	json_t *c = json_object_get(v, "completion"), *send = json_object_get(v, "send");
	json_t *stack = json_object_get(send, "stack"), *f;
	const char *cb = json_string_value(json_object_get(c, "callback"));
	const char *sent = json_string_value(json_object_get(json_object_get(send, "request"), "name"));
	char from[64] = "", prev[64] = "", name[64];
	size_t i;

	if (cb)
		frame_name(cb, from, sizeof(from));
	json_array_foreach(stack, i, f) {
		if (from[0] || !json_string_value(f))
			break;
		frame_name(json_string_value(f), name, sizeof(name));
		if (!strcmp(name, "fuse_request_end") && prev[0])
			snprintf(from, sizeof(from), "%s", prev);
		snprintf(prev, sizeof(prev), "%s", name);
	}
	if (!from[0])
		snprintf(from, sizeof(from), "%s completion",
			 json_string_value(json_object_get(json_object_get(c, "request"), "name")) ?: "?");
	snprintf(buf, len, "%s: %s from %s", kind, sent ?: "?", from);
	fl_text_printable(buf);
}

void fl_violation_title(json_t *v, char *buf, size_t len)
{
	const char *kind = json_string_value(json_object_get(v, "kind")) ?: "?";
	json_t *fault = json_object_get(v, "fault"), *op = json_object_get(v, "op");
	char a[64], b[64];

	if (json_object_get(v, "completion") || json_object_get(v, "send")) {
		completion_title(v, kind, buf, len);
		return;
	}
	if (fault && op) {
		side_name(fault, 0, a, sizeof(a));
		side_name(op, 1, b, sizeof(b));
		snprintf(buf, len, "%s: %s vs %s", kind, a, b);
	} else {
		side_name(fault ? fault : op, !fault, a, sizeof(a));
		snprintf(buf, len, "%s: %s", kind, a);
	}
	fl_text_printable(buf);	/* a log's strings are any UTF-8; a cut may split one */
}

unsigned long long fl_hash(const char *s)
{
	unsigned long long h = 0xcbf29ce484222325ULL;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}
