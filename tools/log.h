/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The violation log: JSON Lines, schema FL_LOG_SCHEMA.
 *
 *   line 1       {"type":"header","schema":1,...}    tool, kernel, plan (hooks, invariants)
 *   any number   {"type":"event",...}                 only with --events
 *   any number   {"type":"violation","kind":...}      race / unserialized-*
 *   last line    {"type":"trailer",...}               counters, totals, status
 *
 * Each line is written whole and flushed, so a killed recorder leaves every
 * complete line readable. Inodes are "dev":"major:minor" plus "ino" (a number,
 * or a decimal string above 2^63 - 1); kernel addresses never appear (stacks
 * are symbol+offset). The schema is in faultline(8); doc/design.md says why.
 */
#ifndef FAULTLINE_LOG_H
#define FAULTLINE_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "faultline/abi.h"
#include "hooks.h"
#include "ksyms.h"
#include "session.h"

#define FL_LOG_SCHEMA 2
/* Longest line the reader accepts; a violation with two full stacks is ~4 KiB. */
#define FL_LOG_MAX_LINE (1 << 20)

/* ---- writing ---- */

struct fl_log_writer {
	FILE *f;
	const struct fl_ksyms *ks;
	uint64_t violations;	/* violation lines written */
	uint64_t events;	/* event lines written */
	int error;		/* first write error (errno), 0 if none */
	char path[4096];	/* set when this writer created the file */
};

/*
 * Create @path for writing: mode 0600, never through a symlink, and never over
 * an existing file unless @force. "-" is stdout. 0, or -errno with a reason.
 */
int fl_log_open(struct fl_log_writer *w, const char *path, bool force, char *err, size_t len);
int fl_log_close(struct fl_log_writer *w);
/* Close and remove a log this writer created (setup failed before anything was recorded). */
void fl_log_discard(struct fl_log_writer *w);
/* Write @obj (reference stolen) as one line; flush when @flush. */
int fl_log_write(struct fl_log_writer *w, json_t *obj, bool flush);

json_t *fl_json_plan(const struct fl_plan *plan);
json_t *fl_json_header(const struct fl_plan *plan, const struct fl_kbtf *kbtf, char *const *argv,
		       const struct fl_session_opts *opts);
/* One event as a JSON line (newline included) in @buf: its length, or -1 if it does not fit. */
int fl_event_line(const struct fl_event *e, char *buf, size_t len);
/* Write one event line (buffered: flushed with the next flush). */
int fl_log_write_event(struct fl_log_writer *w, const struct fl_event *e);
json_t *fl_json_violation(const struct fl_violation *v, const struct fl_ksyms *ks);
/* An inode number as the log writes it (see above). */
json_t *fl_json_ino(uint64_t ino);
/* Read one back: 0, or -1 if @v is neither form. */
int fl_json_get_ino(json_t *v, uint64_t *ino);

struct fl_trailer_info {
	const char *status;		/* "complete", "interrupted", "duration" */
	uint64_t duration_ns;
	int workload_exit;		/* -1 if none or killed */
	int workload_signal;		/* 0 if none */
	bool workload;
	/* what the recorder cost */
	uint64_t startup_ns;		/* BTF, plan (attach probes), load and attach */
	uint64_t rss_start_kb;		/* recorder RSS once attached */
	uint64_t rss_end_kb;		/* and at the end */
	uint64_t map_bytes;		/* kernel memory of the BPF maps (memlock) */
};
json_t *fl_json_trailer(const struct fl_session_stats *st, const struct fl_log_writer *w,
			const struct fl_trailer_info *info);

/* A task's comm as printable ASCII without quotes or backslashes ('?' for the rest). */
void fl_comm_text(const char raw[FL_COMM_LEN], char out[FL_COMM_LEN + 1]);

/* "maj:min" of a kernel dev_t */
void fl_dev_format(uint32_t dev, char *buf, size_t len);

/* ---- reading ---- */

struct fl_log {
	char path[4096];
	json_t *header;			/* owned */
	json_t *trailer;		/* owned, NULL if the log has none */
	json_t *violations;		/* array of violation objects, owned */
	uint64_t lines;
	uint64_t events;
	/* from the trailer */
	uint64_t counters[FL_CTR__COUNT];
	uint64_t vio_total[FL_VIO__COUNT];
	uint64_t vio_all;
	/* program runs the kernel skipped ("missed"), and whether it counts them */
	uint64_t missed;
	uint64_t missed_recovered;	/* skipped runs a spare copy made up */
	bool misses_counted;
	char missed_hooks[256];		/* "hook N, ..." */
	/* evidence problems that could hide a violation (gate: exit 2) */
	bool incomplete;
	char incomplete_reason[512];
	/*
	 * What the run checked, from the plan it ran and what it observed
	 * (fl_log_coverage()); @checked_nothing: no invariant was checked at all,
	 * @nothing_reason says what was not observed and the likely cause.
	 */
	enum fl_coverage cov[FL_INV__COUNT];
	char cov_why[FL_INV__COUNT][320];
	bool checked_nothing;
	char nothing_reason[512];
	char dropped[512];		/* "hook (reason); ..." of the hooks dropped, "" if none */
	/* unreadable: first problem, with its line (0: the file as a whole) */
	bool unreadable;
	uint64_t err_line;
	char err[512];
};

/*
 * Read and check a whole log. Returns 0 when the log is readable (it may
 * still be incomplete), -1 when it is not: then log->err_line/err say where
 * and why. Never aborts on bad input.
 */
int fl_log_read(const char *path, struct fl_log *log);
/* Same, from memory (for the fuzzer); @name labels errors. */
int fl_log_read_mem(const char *name, const char *data, size_t len, struct fl_log *log);
void fl_log_free(struct fl_log *log);

/*
 * The gate's verdict on one log: 0 complete and clean, 1 violations (they are
 * proof whatever else was lost), 2 unreadable or incomplete, or a run that
 * checked nothing (unless @allow_empty).
 */
int fl_log_verdict(const struct fl_log *log, bool allow_empty);

/*
 * How far the run checked invariant @inv: the plan's status, lowered by what
 * the trailer says was observed (faultline(8), COVERAGE). "checked",
 * "partial" or "unchecked", with the reason in @why.
 */
const char *fl_log_coverage(const struct fl_log *log, int inv, const char **why);
/* The same for every invariant: {"I1": {"status": ..., "why": ...}, ...} */
json_t *fl_log_invariants_json(const struct fl_log *log);

/* Make @s one line of printable, valid UTF-8 in place ('?' for anything else). */
void fl_text_printable(char *s);

/* One line: "PATH:LINE: reason" or "PATH: reason" (line 0). */
void fl_log_error_line(const struct fl_log *log, char *buf, size_t len);

#endif
