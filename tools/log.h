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
 *
 * This header is the reader's (gate, report, the CI outputs, the fuzzer): it
 * needs abi.h and jansson only. The recorder writes logs through logwriter.h.
 */
#ifndef FAULTLINE_LOG_H
#define FAULTLINE_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "faultline/abi.h"
#include "names.h"

#define FL_LOG_SCHEMA 2
/* Longest line the reader accepts; a violation with two full stacks is ~4 KiB. */
#define FL_LOG_MAX_LINE (1 << 20)

/*
 * Integrity (faultline(8), INTEGRITY): the header carries a random run id,
 * which the trailer repeats; the trailer's last member is "digest":
 * "sha256:" and the SHA-256 of every byte of the log up to the trailer's own
 * ',"digest":' (so the trailer's other fields are covered too).
 */
#define FL_RUN_ID_LEN		32	/* hex digits */
#define FL_DIGEST_PREFIX	"sha256:"
#define FL_DIGEST_MEMBER	",\"digest\":\"" FL_DIGEST_PREFIX

/* An inode number of a log line ("ino": a number, or a decimal string above 2^63 - 1): 0, or
 * -1 if @v is neither form. */
int fl_json_get_ino(json_t *v, uint64_t *ino);

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
	/*
	 * Integrity (faultline(8), INTEGRITY): @verified once the trailer's run id
	 * matched the header's and its digest every byte before it. A log of the
	 * format before both (no run id, no digest) reads with @verified false
	 * and @unverified saying so: its verdict is 2 unless the caller accepts it.
	 */
	bool verified;
	char unverified[128];
	char run_id[FL_RUN_ID_LEN + 1];
	/* the workload's fate, from the trailer ("" if the run had none) */
	char workload_fate[96];
	bool workload_killed;		/* by a signal the recorder did not send */
	/* what the lines hold, checked against the trailer */
	uint64_t vio_recorded[FL_VIO__COUNT];
	uint64_t ev_fault_begins;	/* fault_begin event lines */
	uint64_t ev_bad_fault_line;	/* first fault_end event of a DAX inode without its lock */
	bool events_on;			/* the header's filter.events */
	bool attached[FL_HOOK__COUNT];	/* hooks the plan attached */
	bool may_run[FL_HOOK__COUNT];	/* and those dropped at attach, which may have run */
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

/* What a caller accepts that is otherwise exit 2 (gate's options). */
#define FL_ACCEPT_EMPTY		(1U << 0)	/* --allow-empty: a run that checked nothing */
#define FL_ACCEPT_UNVERIFIED	(1U << 1)	/* --unverified: a log without run id and digest */
#define FL_ACCEPT_WORKLOAD	(1U << 2)	/* --allow-workload-failure: a killed workload */

/*
 * The gate's verdict on one log: 0 complete and clean, 1 violations (they are
 * proof whatever else was lost), 2 unreadable or incomplete, a run that
 * checked nothing, an unverified log or a workload killed by a signal (each
 * unless @accept says so). @accept: FL_ACCEPT_*.
 */
int fl_log_verdict(const struct fl_log *log, unsigned int accept);
/* Why a log with no violation is not clean under @accept, or NULL if it is. */
const char *fl_log_not_clean(const struct fl_log *log, unsigned int accept);

/*
 * How far the run checked invariant @inv: the plan's status, lowered by what
 * the trailer says was observed (faultline(8), COVERAGE). "checked",
 * "partial" or "unchecked", with the reason in @why.
 */
const char *fl_log_coverage(const struct fl_log *log, int inv, const char **why);
/* Into @o: "verified" (and "unverified", why not) and the "workload"'s fate, as -j shows them. */
void fl_log_fate_json(const struct fl_log *log, json_t *o);
/* The same for every invariant: {"I1": {"status": ..., "why": ...}, ...} */
json_t *fl_log_invariants_json(const struct fl_log *log);

/* One line: "PATH:LINE: reason" or "PATH: reason" (line 0). */
void fl_log_error_line(const struct fl_log *log, char *buf, size_t len);

#endif
