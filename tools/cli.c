// SPDX-License-Identifier: GPL-2.0
/* What every subcommand shares: globals, messages, common options. */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include "cli.h"
#include "text.h"
#include "names.h"

const char *fl_prog = "faultline";
bool fl_json;
bool fl_verbose;
const char *fl_btf_path;

/* One message, in text or (under -j) as {"@key": "..."}. */
static void say(const char *key, const char *fmt, va_list ap)
{
	char msg[2048];
	json_t *o;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (!fl_json) {
		fprintf(stderr, "%s: %s\n", fl_prog, msg);
		return;
	}
	fl_text_printable(msg);	/* a JSON string is UTF-8 */
	o = json_pack("{s:s}", key, msg);
	if (o)
		json_dumpf(o, stderr, JSON_COMPACT);
	fputc('\n', stderr);
	json_decref(o);
}

void fl_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("error", fmt, ap);
	va_end(ap);
}

void fl_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("warning", fmt, ap);
	va_end(ap);
}

void fl_info(const char *fmt, ...)
{
	va_list ap;

	if (fl_json)
		return;
	va_start(ap, fmt);
	say("info", fmt, ap);
	va_end(ap);
}

#define COMMON_SHORT	"vjh"
enum { OPT_BTF = 0x1000 };

static const struct option common_longopts[] = {
	{ "verbose", no_argument, NULL, 'v' },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ "btf", required_argument, NULL, OPT_BTF },
};

#define COMMON_N (sizeof(common_longopts) / sizeof(common_longopts[0]))
#define MAX_LONGOPTS 48

int fl_next_opt(int argc, char **argv, const struct fl_cmd_opts *o, int *code)
{
	static struct option merged[MAX_LONGOPTS + COMMON_N + 1];
	static const struct fl_cmd_opts *merged_for;
	static char shortopts[64];
	int opt;

	if (merged_for != o) {
		size_t n = 0;

		memset(merged, 0, sizeof(merged));
		for (size_t i = 0; i < COMMON_N; i++)
			merged[n++] = common_longopts[i];
		for (size_t i = 0; o->longopts && o->longopts[i].name && i < MAX_LONGOPTS; i++)
			merged[n++] = o->longopts[i];
		snprintf(shortopts, sizeof(shortopts), "%s" COMMON_SHORT "%s",
			 o->stop_at_operand ? "+" : "", o->shortopts ?: "");
		merged_for = o;
	}
	for (;;) {
		opt = getopt_long(argc, argv, shortopts, merged, NULL);
		switch (opt) {
		case 'v':
			fl_verbose = true;
			continue;
		case 'j':
			fl_json = true;
			continue;
		case OPT_BTF:
			fl_btf_path = optarg;
			continue;
		case 'h':
			if (o->usage)
				o->usage(stdout);
			*code = FL_EXIT_OK;
			return FL_OPT_EXIT;
		case '?':
		case ':':
			if (o->usage)
				o->usage(stderr);
			*code = FL_EXIT_ERROR;
			return FL_OPT_EXIT;
		default:
			return opt;
		}
	}
}

int fl_parse_mode(const char *arg, enum fl_mode *mode)
{
	if (!strcmp(arg, "auto")) {
		*mode = FL_MODE_NONE;
		return 0;
	}
	if (!strcmp(arg, "fentry") || !strcmp(arg, "kprobe") || !strcmp(arg, "tracepoint")) {
		*mode = fl_mode_from_name(arg);
		return 0;
	}
	fl_err("--mode '%s': expected auto, fentry, kprobe or tracepoint", arg);
	return -1;
}

int fl_parse_u32(const char *opt, const char *arg, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || *end || end == arg || v > UINT32_MAX || *arg == '-') {
		fl_err("%s '%s': expected an unsigned number", opt, arg);
		return -1;
	}
	*out = v;
	return 0;
}

void fl_ensure_tracefs(void)
{
	if (getenv("FAULTLINE_TRACEFS") || !access("/sys/kernel/tracing/events", F_OK))
		return;
	if (geteuid() == 0)
		mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL);
}
