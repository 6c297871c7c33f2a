/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gate's view of each log: its verdict, and its violations by title,
 * waived or not (gate --known). The CI outputs (--junit, --ktap, --kcidb)
 * are written from it, so they all say what the gate says.
 */
#ifndef FAULTLINE_GATE_H
#define FAULTLINE_GATE_H

#include <stdbool.h>
#include <stdint.h>
#include "known.h"
#include "log.h"
#include "title.h"

/* The violations of one log that share a title. */
struct fl_title_group {
	char title[FL_TITLE_MAX];
	int kind;			/* enum fl_violation_kind */
	uint64_t recorded;		/* violation records with this title */
	uint64_t total;			/* with those counted under keys only this title recorded */
	const struct fl_known *waiver;	/* the known issue that waives it, or NULL */
	json_t *example;		/* the first record (borrowed from the log) */
};

struct fl_gate_log {
	struct fl_log log;
	struct fl_title_group *titles;
	size_t ntitles;
	uint64_t waived;		/* violations waived */
	uint64_t unwaived;		/* violations that still count */
	int code;			/* FL_EXIT_*: this log's verdict */
	unsigned int accept;		/* what it was judged accepting (fl_gate_opts) */
};

struct fl_gate_opts {
	unsigned int accept;		/* FL_ACCEPT_*: --allow-empty, --unverified, ... */
	struct fl_known_list *known;	/* NULL: no --known */
};

/* Read @path and judge it. Never fails: an unreadable log is judged 2. */
void fl_gate_judge(struct fl_gate_log *g, const char *path, const struct fl_gate_opts *o);
void fl_gate_free(struct fl_gate_log *g);

/* What one invariant's test says: "pass", "fail", "skip" (unchecked), with its violations. */
enum fl_inv_result { FL_INV_PASS, FL_INV_FAIL, FL_INV_SKIP };
enum fl_inv_result fl_gate_inv_result(const struct fl_gate_log *g, enum fl_inv inv);
/* A run id for the log: stable for one log, different for every run (KCIDB ids). */
unsigned long long fl_gate_run_id(const struct fl_gate_log *g);

/* The CI formats; each 0, or -1 with a one-line reason in @err. */
int fl_junit_write(const char *path, const struct fl_gate_log *logs, int n,
		   const struct fl_gate_opts *o, char *err, size_t errlen);
int fl_ktap_write(const char *path, const struct fl_gate_log *logs, int n,
		  const struct fl_gate_opts *o, char *err, size_t errlen);
int fl_kcidb_write(const char *path, const struct fl_gate_log *logs, int n,
		   const struct fl_gate_opts *o, char *err, size_t errlen);

#endif
