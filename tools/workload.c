// SPDX-License-Identifier: GPL-2.0
/* The workload of record and trace: held before exec until the hooks are attached. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "workload.h"

/* Fork the workload stopped before exec, so nothing runs before we attach. */
int workload_spawn(struct workload *w, char **argv)
{
	int go[2], ex[2];
	char c;

	if (pipe2(go, O_CLOEXEC) || pipe2(ex, O_CLOEXEC))
		return -errno;
	w->pid = fork();
	if (w->pid < 0)
		return -errno;
	if (w->pid == 0) {
		int e;

		close(go[1]);
		close(ex[0]);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execvp(argv[0], argv);
		e = errno;
		if (write(ex[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(ex[1]);
	w->go_fd = go[1];
	w->exec_fd = ex[0];
	return 0;
}

/* Release the child; 0 once it has exec'd, else -errno of the failed exec. */
int workload_release(struct workload *w)
{
	int e = 0;
	ssize_t n;

	if (write(w->go_fd, "g", 1) != 1)
		return -errno;
	close(w->go_fd);
	n = read(w->exec_fd, &e, sizeof(e));
	close(w->exec_fd);
	if (n != sizeof(e))
		return 0;
	/* the child's exec failed: it exits 127 */
	if (waitpid(w->pid, &w->status, 0) == w->pid)
		w->reaped = true;
	return -e;
}

bool workload_done(struct workload *w)
{
	if (w->reaped)
		return true;
	if (waitpid(w->pid, &w->status, WNOHANG) == w->pid)
		w->reaped = true;
	return w->reaped;
}

void workload_stop(struct workload *w)
{
	if (w->reaped)
		return;
	w->stopped = true;
	kill(w->pid, SIGTERM);
	for (int i = 0; i < 50 && !workload_done(w); i++)
		usleep(100000);
	if (!w->reaped) {
		kill(w->pid, SIGKILL);
		if (waitpid(w->pid, &w->status, 0) == w->pid)
			w->reaped = true;
	}
}
