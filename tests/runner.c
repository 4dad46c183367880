/*
 * runner.c - the test runner of `make check`.
 *
 * Runs each program or script named on the command line (scripts through
 * bash), with a time limit each, and reads its stdout line by line:
 *   "PASS <name>"            one passed check
 *   "FAIL <name>: <why>"     one failed check
 *   "SKIP <name>: <why>"     not runnable here (counted, reported, not failed)
 * Other lines are shown indented.  A test program that exits non-zero, is
 * killed, or prints no PASS/FAIL line at all counts as one more failure, so
 * a crashing or silent test can never pass.  The closing line is
 * "N passed, N failed" (", N skipped" when any), and the exit status is 0
 * only when nothing failed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int passed, failed, skipped;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run_one(const char *path, int timeout_s)
{
	int fd[2];
	if (pipe(fd) < 0) { perror("runner: pipe"); exit(2); }
	size_t len = strlen(path);
	int script = len > 3 && strcmp(path + len - 3, ".sh") == 0;
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) { perror("runner: fork"); exit(2); }
	if (pid == 0) {
		setpgid(0, 0);
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		alarm(timeout_s);
		if (script)
			execlp("bash", "bash", path, (char *)NULL);
		else
			execl(path, path, (char *)NULL);
		fprintf(stderr, "runner: cannot run %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	FILE *f = fdopen(fd[0], "r");
	char line[4096];
	int p = 0, fl = 0, sk = 0;
	printf("== %s\n", path);
	fflush(stdout);
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "PASS ", 5) == 0) { p++; printf("  %s", line); }
		else if (strncmp(line, "FAIL ", 5) == 0) { fl++; printf("  %s", line); }
		else if (strncmp(line, "SKIP ", 5) == 0) { skipped++; sk++; printf("  %s", line); }
		else printf("    | %s", line);
		if (line[strlen(line) - 1] != '\n')
			putchar('\n');
		fflush(stdout);
	}
	fclose(f);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	/* Kill anything the test left behind in its process group. */
	kill(-pid, SIGKILL);
	passed += p;
	failed += fl;
	if (WIFSIGNALED(st)) {
		printf("  FAIL %s: killed by signal %d%s\n", path, WTERMSIG(st),
		       WTERMSIG(st) == SIGALRM ? " (time limit)" : "");
		failed++;
	} else if (WEXITSTATUS(st) != 0 && fl == 0) {
		printf("  FAIL %s: exit status %d\n", path, WEXITSTATUS(st));
		failed++;
	} else if (p == 0 && fl == 0 && sk == 0) {
		/* no check at all (one that only skipped is counted as skipped, not failed) */
		printf("  FAIL %s: ran no check\n", path);
		failed++;
	}
	printf("   (%.1f s)\n", now() - t0);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int timeout_s = 300; /* per test program; HVB_TEST_TIMEOUT overrides */
	const char *t = getenv("HVB_TEST_TIMEOUT");
	if (t) {
		char *end;
		long v = strtol(t, &end, 10);
		if (*t && !*end && v > 0 && v < 86400)
			timeout_s = (int)v;
	}
	signal(SIGPIPE, SIG_IGN);
	for (int i = 1; i < argc; i++)
		run_one(argv[i], timeout_s);
	if (skipped)
		printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	else
		printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
