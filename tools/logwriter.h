/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing the violation log (log.h has its format and the reader): the
 * recorder's side, which needs the plan, the session and the kernel's
 * symbols. Every line is written whole; the header carries a run id and the
 * trailer the digest of every byte before it (faultline(8), INTEGRITY).
 */
#ifndef FAULTLINE_LOGWRITER_H
#define FAULTLINE_LOGWRITER_H

#include <nettle/sha2.h>
#include "plan.h"
#include "ksyms.h"
#include "log.h"
#include "session.h"

struct fl_log_writer {
	FILE *f;
	const struct fl_ksyms *ks;
	uint64_t violations;	/* violation lines written */
	uint64_t events;	/* event lines written */
	uint64_t lost;		/* lines not written, or not flushed, after a write error */
	uint64_t unflushed;	/* lines written since the last good flush */
	int error;		/* first write error (errno), 0 if none */
	struct sha256_ctx sha;	/* over every byte written */
	char run_id[FL_RUN_ID_LEN + 1];
	char path[4096];	/* the log's path, "" for stdout */
	char tmp[4096];		/* the temporary written until fl_log_place(), then "" */
	bool replace;		/* --force: the temporary may replace a regular file */
	bool placed;		/* renamed to @path */
};

/*
 * Start the log @path: a temporary beside it (mode 0600, O_EXCL), which
 * fl_log_place() renames to @path once the run has started, so that a setup
 * failure leaves what was there before. An existing @path is refused unless
 * @force, and even then a symbolic link or anything but a regular file is.
 * Nothing at @path is opened (never blocks on a FIFO or a device). "-" is
 * stdout. 0, or -errno with a one-line reason.
 */
int fl_log_open(struct fl_log_writer *w, const char *path, bool force, char *err, size_t len);
/*
 * Rename the temporary to the log's path: over a regular file with @force,
 * else only if nothing appeared there meanwhile. Not after a write error (the
 * previous log stays). A failure is the writer's error. 0 or -errno.
 */
int fl_log_place(struct fl_log_writer *w);
/* Flush and close; a log not placed yet is placed now, or removed after a write error. */
int fl_log_close(struct fl_log_writer *w);
/* Close and remove the log (setup failed before anything was recorded); a previous log stays. */
void fl_log_discard(struct fl_log_writer *w);
/* Write @obj (reference stolen) as one line; flush when @flush. */
int fl_log_write(struct fl_log_writer *w, json_t *obj, bool flush);
/* The first line: @hdr (stolen) with a new random run id, flushed. */
int fl_log_write_header(struct fl_log_writer *w, json_t *hdr);
/* The last line: @trailer (stolen) with the run id and the digest, flushed. */
int fl_log_write_trailer(struct fl_log_writer *w, json_t *trailer);
/* Flush what is buffered; a failure is the writer's error (and its lines are lost). */
int fl_log_flush(struct fl_log_writer *w);

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

struct fl_trailer_info {
	const char *status;		/* "complete", "interrupted", "duration" */
	uint64_t duration_ns;
	int workload_exit;		/* -1 if none or killed */
	int workload_signal;		/* 0 if none */
	bool workload_stopped;		/* the recorder ended it (--duration, SIGINT) */
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

#endif
