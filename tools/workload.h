/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workload record and trace run: forked held before exec, released once
 * the hooks are attached, so nothing it does happens unobserved.
 */
#ifndef FAULTLINE_WORKLOAD_H
#define FAULTLINE_WORKLOAD_H

#include <stdbool.h>
#include <sys/types.h>

struct workload {
	pid_t pid;
	int go_fd;		/* write end: release the child */
	int exec_fd;		/* read end: errno if exec failed, EOF if it succeeded */
	int status;		/* wait status, once reaped */
	bool reaped;
	bool stopped;		/* workload_stop() had to signal it */
};

/* Fork @argv held before exec. 0 or -errno. */
int workload_spawn(struct workload *w, char **argv);
/* Release it; 0 once it has exec'd, else -errno of the failed exec (then it is reaped). */
int workload_release(struct workload *w);
/* Has it exited (reaped now if so)? */
bool workload_done(struct workload *w);
/* SIGTERM, SIGKILL 5 s later if it is still there; reaps it. */
void workload_stop(struct workload *w);

#endif
