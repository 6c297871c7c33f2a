// SPDX-License-Identifier: GPL-2.0
/*
 * faultline gate: the CI verdict on one or more violation logs.
 *   0  every log is complete, holds no violation (but waived ones), and checked something
 *   1  some log holds a violation that is not waived (and every log is readable)
 *   2  some log is unreadable, incomplete without a violation to show, or
 *      checked nothing at all (no DAX fault or teardown observed, or every
 *      lock read unknown) and --allow-empty was not given
 * --junit, --ktap and --kcidb write the same verdicts for CI systems;
 * --known waives violations by title (known.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "gate.h"
#include "names.h"
#include "outfile.h"
#include "text.h"

/* ---- judging one log ---- */

/* A trailer key: how many violations one (inode, kind, hook) had, and which title they bear. */
struct key {
	const char *dev, *hook;
	uint64_t ino, count, recorded;
	int kind;
	long title;		/* index into the titles, -1 none yet, -2 several */
};

static int find_key(struct key *keys, size_t n, json_t *v, int kind)
{
	bool fault_side = kind == FL_VIO_RACE || kind == FL_VIO_UNSERIALIZED_FAULT;
	const char *first, *second;
	json_t *side;

	/* the side whose hook keys it: the fault's for races and faults, else the second's */
	fl_violation_sides(kind, &first, &second);
	side = json_object_get(v, fault_side ? first : second);
	const char *dev = json_string_value(json_object_get(v, "dev"));
	const char *hook = json_string_value(json_object_get(side, "hook"));
	uint64_t ino = 0;

	fl_json_get_ino(json_object_get(v, "ino"), &ino);
	for (size_t i = 0; i < n; i++)
		if (keys[i].kind == kind && keys[i].ino == ino && dev && hook &&
		    !strcmp(keys[i].dev, dev) && !strcmp(keys[i].hook, hook))
			return (int)i;
	return -1;
}

static long find_title(struct fl_gate_log *g, const char *title)
{
	for (size_t i = 0; i < g->ntitles; i++)
		if (!strcmp(g->titles[i].title, title))
			return (long)i;
	return -1;
}

/* Group the recorded violations by title; attribute what keys only counted. */
static void group_titles(struct fl_gate_log *g)
{
	json_t *tkeys = json_object_get(g->log.trailer, "violation_keys"), *k, *v;
	size_t nkeys = json_array_size(tkeys), i;
	struct key *keys = calloc(nkeys ? nkeys : 1, sizeof(*keys));

	if (!keys)
		return;
	json_array_foreach(tkeys, i, k) {
		keys[i].dev = json_string_value(json_object_get(k, "dev"));
		keys[i].hook = json_string_value(json_object_get(k, "hook")) ?: "";
		keys[i].kind = fl_violation_from_name(json_string_value(json_object_get(k, "kind")));
		keys[i].count = json_integer_value(json_object_get(k, "count"));
		keys[i].title = -1;
		fl_json_get_ino(json_object_get(k, "ino"), &keys[i].ino);
	}
	g->titles = calloc(json_array_size(g->log.violations) + 1, sizeof(*g->titles));
	if (!g->titles)
		goto out;
	json_array_foreach(g->log.violations, i, v) {
		int kind = fl_violation_from_name(json_string_value(json_object_get(v, "kind")));
		char title[FL_TITLE_MAX];
		long t;
		int ki;

		fl_violation_title(v, title, sizeof(title));
		t = find_title(g, title);
		if (t < 0) {
			t = (long)g->ntitles++;
			snprintf(g->titles[t].title, sizeof(g->titles[t].title), "%s", title);
			g->titles[t].kind = kind;
			g->titles[t].example = v;
		}
		g->titles[t].recorded++;
		g->titles[t].total++;
		ki = find_key(keys, nkeys, v, kind);
		if (ki >= 0) {
			keys[ki].recorded++;
			keys[ki].title = keys[ki].title == -1 || keys[ki].title == t ? t : -2;
		}
	}
	/* a key whose records all bear one title: what it only counted is that title's too */
	for (i = 0; i < nkeys; i++)
		if (keys[i].title >= 0 && keys[i].count > keys[i].recorded)
			g->titles[keys[i].title].total += keys[i].count - keys[i].recorded;
out:
	free(keys);
}

void fl_gate_judge(struct fl_gate_log *g, const char *path, const struct fl_gate_opts *o)
{
	struct fl_log *log = &g->log;

	memset(g, 0, sizeof(*g));
	fl_log_read(path, log);
	if (log->unreadable) {
		g->code = FL_EXIT_ERROR;
		return;
	}
	g->accept = o->accept;
	group_titles(g);
	for (size_t i = 0; i < g->ntitles; i++) {
		g->titles[i].waiver = fl_known_match(o->known, g->titles[i].title, g->titles[i].total);
		if (g->titles[i].waiver)
			g->waived += g->titles[i].total;
	}
	if (g->waived > log->vio_all)
		g->waived = log->vio_all;
	g->unwaived = log->vio_all - g->waived;
	if (g->unwaived)
		g->code = FL_EXIT_VIOLATIONS;
	else if (fl_log_not_clean(log, o->accept))
		g->code = FL_EXIT_ERROR;
	else
		g->code = FL_EXIT_OK;
}

void fl_gate_free(struct fl_gate_log *g)
{
	free(g->titles);
	g->titles = NULL;
	fl_log_free(&g->log);
}

enum fl_inv_result fl_gate_inv_result(const struct fl_gate_log *g, enum fl_inv inv)
{
	for (int k = 0; k < FL_VIO__COUNT; k++) {
		uint64_t n = 0;

		if (fl_violation_inv(k) != inv || !g->log.vio_total[k])
			continue;
		/* the kind's violations, less those waived */
		n = g->log.vio_total[k];
		for (size_t t = 0; t < g->ntitles; t++)
			if (g->titles[t].kind == k && g->titles[t].waiver)
				n -= g->titles[t].total < n ? g->titles[t].total : n;
		if (n)
			return FL_INV_FAIL;
	}
	return g->log.cov[inv] == FL_COV_UNCHECKED ? FL_INV_SKIP : FL_INV_PASS;
}

unsigned long long fl_gate_run_id(const struct fl_gate_log *g)
{
	json_t *both = json_pack("[O, O]", g->log.header, g->log.trailer);
	char *h = both ? json_dumps(both, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	unsigned long long id = fl_hash(h ?: g->log.path);

	free(h);
	json_decref(both);
	return id;
}

/* ---- saying it ---- */

static size_t inodes_with_violations(const struct fl_log *log)
{
	json_t *keys = json_object_get(log->trailer, "violation_keys"), *k;
	json_t *seen = json_object();	/* a set of "dev:ino" */
	size_t i, n;

	json_array_foreach(keys, i, k) {
		char id[48];
		uint64_t ino = 0;

		fl_json_get_ino(json_object_get(k, "ino"), &ino);
		snprintf(id, sizeof(id), "%s:%llu", json_string_value(json_object_get(k, "dev")) ?: "",
			 (unsigned long long)ino);
		json_object_set_new(seen, id, json_true());
	}
	n = json_object_size(seen);
	json_decref(seen);
	return n;
}

/* Titles, reasons and paths escaped (text.h): a log's strings must not paint the terminal. */
static void print_titles(const struct fl_gate_log *g)
{
	uint64_t named = 0;

	for (size_t i = 0; i < g->ntitles; i++) {
		const struct fl_title_group *t = &g->titles[i];
		char title[FL_ESCAPED_MAX(FL_TITLE_MAX)];

		FL_ESC(t->title, title);
		if (t->waiver) {
			printf("  waived: %s: %llu (", title, (unsigned long long)t->total);
			fl_fputs_escaped(t->waiver->reason, stdout);
			fputs("; ", stdout);
			fl_fputs_escaped(t->waiver->file, stdout);
			printf(":%u)\n", t->waiver->line);
		} else {
			printf("  %s: %llu (%llu recorded)\n", title, (unsigned long long)t->total,
			       (unsigned long long)t->recorded);
		}
		named += t->total;
	}
	if (g->ntitles && g->log.vio_all > named)
		printf("  and %llu only counted, under keys whose records bear more than one title\n",
		       (unsigned long long)(g->log.vio_all - named));
}

static void print_summary(const struct fl_gate_log *g, const struct fl_gate_opts *o)
{
	const struct fl_log *log = &g->log;
	char line[1024], esc[FL_ESCAPED_MAX(sizeof(line))], path[FL_ESCAPED_MAX(sizeof(log->path))];

	if (log->unreadable) {
		fl_log_error_line(log, line, sizeof(line));
		fl_err("%s", FL_ESC(line, esc));
		return;
	}
	FL_ESC(log->path, path);
	if (g->code == FL_EXIT_VIOLATIONS) {
		printf("%s: VIOLATIONS: %llu (", path, (unsigned long long)g->unwaived);
		for (int k = 0, first = 1; k < FL_VIO__COUNT; k++) {
			if (!log->vio_total[k])
				continue;
			printf("%s%s %llu", first ? "" : ", ", fl_violation_name(k),
			       (unsigned long long)log->vio_total[k]);
			first = 0;
		}
		printf(") on %zu inode(s)", inodes_with_violations(log));
		if (g->waived)
			printf(", %llu of them waived", (unsigned long long)g->waived);
		printf("%s%s\n", log->incomplete ? "; evidence also incomplete: " : "",
		       log->incomplete ? FL_ESC(log->incomplete_reason, esc) : "");
	} else if (log->incomplete) {
		printf("%s: INCOMPLETE: %s\n", path, FL_ESC(log->incomplete_reason, esc));
	} else if (!log->verified && !(g->accept & FL_ACCEPT_UNVERIFIED)) {
		printf("%s: UNVERIFIED: %s (--unverified accepts a log that cannot show it is whole)\n",
		       path, FL_ESC(log->unverified, esc));
	} else if (log->workload_killed && !(g->accept & FL_ACCEPT_WORKLOAD)) {
		printf("%s: WORKLOAD FAILED: the workload was %s: the run may have stopped short "
		       "(--allow-workload-failure accepts it)\n", path, log->workload_fate);
	} else if (log->checked_nothing) {
		printf("%s: %s: %s%s\n", path, g->code ? "NOTHING CHECKED" :
		       "empty, accepted (--allow-empty)", FL_ESC(log->nothing_reason, esc),
		       g->code ? " (--allow-empty accepts a run that checked nothing)" : "");
	} else {
		printf("%s: clean: %llu faults, %llu operations, 0 violations", path,
		       (unsigned long long)log->counters[FL_CTR_FAULTS],
		       (unsigned long long)log->counters[FL_CTR_OPS]);
		if (g->waived)
			printf(" (%llu waived as known issues)", (unsigned long long)g->waived);
		printf(", evidence complete%s (", log->verified ? "" : ", UNVERIFIED log");
		for (int i = 0; i < FL_INV__COUNT; i++)
			printf("%s%s %s", i ? ", " : "", fl_inv_name(i), fl_coverage_name(log->cov[i]));
		printf(")\n");
		/* what was not checked in full, and why */
		for (int i = 0; i < FL_INV__COUNT; i++)
			if (log->cov[i] != FL_COV_CHECKED)
				printf("  %s %s: %s\n", fl_inv_name(i), fl_coverage_name(log->cov[i]),
				       FL_ESC(log->cov_why[i], esc));
	}
	print_titles(g);
	/* the workload's fate when it did not simply succeed (gate -j always has it) */
	if (log->workload_fate[0] && strcmp(log->workload_fate, "exited 0"))
		printf("  workload: %s\n", log->workload_fate);
	if (log->dropped[0])
		printf("  hooks dropped: %s\n", FL_ESC(log->dropped, esc));
}

static json_t *summary_json(const struct fl_gate_log *g)
{
	const struct fl_log *log = &g->log;
	char line[1024], path[PATH_MAX];
	json_t *o, *titles;

	/* a path is any bytes; JSON strings are UTF-8 */
	snprintf(path, sizeof(path), "%s", log->path);
	fl_text_printable(path);
	o = json_pack("{s:s, s:i}", "file", path, "exit", g->code);

	if (log->unreadable) {
		fl_log_error_line(log, line, sizeof(line));
		fl_text_printable(line);	/* it quotes the path */
		json_object_set_new(o, "error", json_string(line));
		return o;
	}
	json_object_set(o, "violations", json_object_get(log->trailer, "violations"));
	json_object_set_new(o, "waived", json_integer(g->waived));
	titles = json_array();
	for (size_t i = 0; i < g->ntitles; i++) {
		const struct fl_title_group *t = &g->titles[i];
		json_t *to = json_pack("{s:s, s:s, s:I, s:I}", "title", t->title,
				       "kind", fl_violation_name(t->kind),
				       "total", (json_int_t)t->total, "recorded", (json_int_t)t->recorded);

		if (t->waiver) {
			snprintf(path, sizeof(path), "%s", t->waiver->file);
			fl_text_printable(path);
			json_object_set_new(to, "waived", json_pack("{s:s, s:s, s:i}", "reason",
					    t->waiver->reason, "file", path,
					    "line", t->waiver->line));
		}
		json_array_append_new(titles, to);
	}
	json_object_set_new(o, "titles", titles);
	json_object_set_new(o, "complete", json_boolean(!log->incomplete));
	fl_log_fate_json(log, o);
	if (log->incomplete)
		json_object_set_new(o, "incomplete", json_string(log->incomplete_reason));
	json_object_set_new(o, "faults", json_integer(log->counters[FL_CTR_FAULTS]));
	json_object_set_new(o, "operations", json_integer(log->counters[FL_CTR_OPS]));
	json_object_set_new(o, "invariants", fl_log_invariants_json(log));
	json_object_set_new(o, "checked_nothing", json_boolean(log->checked_nothing));
	if (log->checked_nothing)
		json_object_set_new(o, "nothing_checked", json_string(log->nothing_reason));
	if (log->dropped[0])
		json_object_set_new(o, "dropped", json_string(log->dropped));
	return o;
}

void gate_usage(FILE *f)
{
	fprintf(f, "usage: %s gate [-j] [--allow-empty] [--unverified] [--allow-workload-failure]\n"
		"                [--known FILE]... [--junit OUT] [--ktap OUT] [--kcidb OUT] LOG...\n"
		"exit: 0 clean, 1 violations, 2 incomplete or unreadable evidence, or nothing checked\n",
		fl_prog);
}

/* The CI outputs, each written only when asked for: their options' values index them. */
enum gate_output { OUT_JUNIT, OUT_KTAP, OUT_KCIDB, NOUTPUTS };

static const struct {
	const char *option;
	int (*write)(const char *path, const struct fl_gate_log *logs, int n,
		     const struct fl_gate_opts *o, char *err, size_t errlen);
} outputs[NOUTPUTS] = {
	[OUT_JUNIT] = { "--junit", fl_junit_write },
	[OUT_KTAP] = { "--ktap", fl_ktap_write },
	[OUT_KCIDB] = { "--kcidb", fl_kcidb_write },
};

/*
 * Before any log is read: an output is never an input (a LOG, a --known file),
 * an existing log, a link or a special file, nor another output (outfile.h).
 */
static int check_outputs(const char *const *out, char *const *logs, int n,
			 const struct fl_known_list *known)
{
	char err[512];

	for (size_t i = 0; i < NOUTPUTS; i++) {
		const char *why = NULL;

		if (!out[i])
			continue;
		for (int l = 0; l < n && !why; l++)
			if (fl_out_same(out[i], logs[l]))
				why = "is also a LOG argument; refusing to overwrite it";
		for (size_t k = 0; k < known->nfiles && !why; k++)
			if (fl_out_same(out[i], known->files[k]))
				why = "is a --known file; refusing to overwrite it";
		for (size_t j = 0; j < i && !why; j++)
			if (out[j] && fl_out_same(out[i], out[j])) {
				snprintf(err, sizeof(err), "is also the %s output; refusing to write both to one file",
					 outputs[j].option);
				why = err;
			}
		if (!why && fl_out_check(out[i], err, sizeof(err)))
			why = err;
		if (why) {
			fl_err("%s %s: %s", outputs[i].option, out[i], why);
			return -1;
		}
	}
	return 0;
}

/* What gate was asked: the logs, the outputs, what it accepts and waives. */
struct gate_args {
	char *const *logs;
	int n;
	const char *out[NOUTPUTS];
	struct fl_known_list known;
	struct fl_gate_opts go;
};

/* The options and operands: 0, or the exit code when gate must stop here. */
static int gate_parse(int argc, char **argv, struct gate_args *a, int *code)
{
	static const struct option longopts[] = {
		{ "junit", required_argument, NULL, OUT_JUNIT },
		{ "ktap", required_argument, NULL, OUT_KTAP },
		{ "kcidb", required_argument, NULL, OUT_KCIDB },
		{ "allow-empty", no_argument, NULL, 'E' },
		{ "unverified", no_argument, NULL, 'U' },
		{ "allow-workload-failure", no_argument, NULL, 'W' },
		{ "known", required_argument, NULL, 'K' },
		{}
	};
	static const struct fl_cmd_opts opts = { .longopts = longopts, .usage = gate_usage };
	char err[1024];
	int opt;

	while ((opt = fl_next_opt(argc, argv, &opts, code)) != -1) {
		switch (opt) {
		case FL_OPT_EXIT:
			return -1;
		case OUT_JUNIT:
		case OUT_KTAP:
		case OUT_KCIDB:
			a->out[opt] = optarg;
			break;
		case 'E':
			a->go.accept |= FL_ACCEPT_EMPTY;
			break;
		case 'U':
			a->go.accept |= FL_ACCEPT_UNVERIFIED;
			break;
		case 'W':
			a->go.accept |= FL_ACCEPT_WORKLOAD;
			break;
		case 'K':
			/* several files merge: the first one's waivers match first */
			if (fl_known_load(optarg, &a->known, err, sizeof(err))) {
				fl_err("--known %s", err);
				*code = FL_EXIT_ERROR;
				return -1;
			}
			a->go.known = &a->known;
			break;
		}
	}
	a->logs = argv + optind;
	a->n = argc - optind;
	if (a->n <= 0) {
		fl_err("gate: no log given");
		gate_usage(stderr);
		*code = FL_EXIT_ERROR;
		return -1;
	}
	if (check_outputs(a->out, a->logs, a->n, &a->known)) {
		*code = FL_EXIT_ERROR;
		return -1;
	}
	return 0;
}

/*
 * Judge every log into @gs, printing each one's summary (or collecting it in
 * @all under -j): the worst verdict, an unreadable log outranking violations
 * elsewhere (it might hide anything).
 */
static int gate_judge(struct gate_args *a, struct fl_gate_log *gs, json_t *all)
{
	int worst = FL_EXIT_OK;
	bool unreadable = false;

	for (int i = 0; i < a->n; i++) {
		fl_gate_judge(&gs[i], a->logs[i], &a->go);
		unreadable |= gs[i].log.unreadable;
		if (gs[i].code > worst)
			worst = gs[i].code;
		if (all)
			json_array_append_new(all, summary_json(&gs[i]));
		else
			print_summary(&gs[i], &a->go);
	}
	if (unreadable)
		worst = FL_EXIT_ERROR;
	else if (worst == FL_EXIT_ERROR)
		for (int i = 0; i < a->n; i++)
			if (gs[i].code == FL_EXIT_VIOLATIONS)
				worst = FL_EXIT_VIOLATIONS;
	return worst;
}

/* Stale waivers, the -j document and the CI outputs: the exit code, worse on a failed output. */
static int gate_emit(struct gate_args *a, const struct fl_gate_log *gs, json_t *all, int worst)
{
	char err[1024];

	/* stale waivers, so that they get cleaned up: each with its own file */
	for (size_t i = 0; i < a->known.n; i++) {
		char file[1024], pattern[1024];

		if (!a->known.v[i].matched)
			fl_warn("--known %s:%u: '%s' matched no violation (stale?)",
				FL_ESC(a->known.v[i].file, file), a->known.v[i].line,
				FL_ESC(a->known.v[i].pattern, pattern));
	}
	if (all) {
		json_t *o = json_pack("{s:i, s:O}", "exit", worst, "logs", all);

		json_dumpf(o, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(o);
	}
	for (size_t i = 0; i < NOUTPUTS; i++) {
		if (a->out[i] && outputs[i].write(a->out[i], gs, a->n, &a->go, err, sizeof(err))) {
			fl_err("%s %s: %s", outputs[i].option, a->out[i], err);
			worst = FL_EXIT_ERROR;
		}
	}
	return worst;
}

int do_gate(int argc, char **argv)
{
	struct gate_args a = { 0 };
	struct fl_gate_log *gs;
	json_t *all = NULL;
	int code = FL_EXIT_OK, worst;

	if (gate_parse(argc, argv, &a, &code)) {
		fl_known_free(&a.known);
		return code;
	}
	gs = calloc(a.n, sizeof(*gs));
	if (!gs) {
		fl_err("out of memory");
		fl_known_free(&a.known);
		return FL_EXIT_ERROR;
	}
	if (fl_json)
		all = json_array();
	worst = gate_judge(&a, gs, all);
	worst = gate_emit(&a, gs, all, worst);
	json_decref(all);
	for (int i = 0; i < a.n; i++)
		fl_gate_free(&gs[i]);
	free(gs);
	fl_known_free(&a.known);
	return worst;
}
