/*
 * gnuplot.c - the gnuplot process that draws the charts charts.c builds.
 * All of them go to ONE gnuplot process (posix_spawn, its stdin a pipe
 * carrying a `load` of each chart's script file), which writes one SVG per
 * chart into a private temp directory (or --charts DIR, with PNGs too).
 * gnuplot's exit is the synchronisation point: after it every file is
 * complete, and the markers gnuplot printed to its log say which charts it
 * finished.  Writing and waiting share one deadline (HVB_GNUPLOT_TIMEOUT,
 * default 120 s): a gnuplot that hangs, or stops reading, is stopped with
 * its whole process group and the report goes on without charts.  While it
 * runs, SIGINT, SIGTERM and SIGHUP are caught through common/catch.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "rint.h"
#include "../common/catch.h"

static int find_program(const char *prog)
{
	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/bin:/bin";
	char *dup = xstrdup(path), *save = NULL;
	int ok = 0;
	for (char *dir = strtok_r(dup, ":", &save); dir && !ok; dir = strtok_r(NULL, ":", &save)) {
		rbuf b = {0};
		rbuf_addf(&b, "%s/%s", *dir ? dir : ".", prog);
		ok = access(rbuf_str(&b), X_OK) == 0;
		rbuf_free(&b);
	}
	free(dup);
	return ok;
}

static void set_note(chart_set *cs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_note(chart_set *cs, const char *fmt, ...)
{
	va_list ap;
	free(cs->note);
	va_start(ap, fmt);
	cs->note = xvasprintf(fmt, ap);
	va_end(ap);
}

#define TERM_SVG "set terminal svg size %d,%d dynamic noenhanced font \"Sans,11\" background rgb \"white\"\n"
#define TERM_PNG "set terminal pngcairo size %d,%d noenhanced font \"Sans,10\" background rgb \"white\"\n"
#define CHART_W(c) ((c)->w > 0 ? (c)->w : 860)
#define CHART_H(c) ((c)->h > 0 ? (c)->h : 400)

static void out_path(rbuf *b, const char *dir, const char *name, const char *ext)
{
	rbuf p = {0};
	rbuf_addf(&p, "%s/%s.%s", dir, name, ext);
	esc_gnuplot(b, rbuf_str(&p));
	rbuf_free(&p);
}

/* ------------------------------------------------------------ the process
 * gnuplot runs in its own process group so that a stand-in script and
 * whatever it started can be stopped together.  The group no longer gets a
 * terminal's SIGINT, so while gnuplot runs the report catches SIGINT, SIGTERM
 * and SIGHUP (unless they are ignored), stops the group, and then dies of the
 * same signal as it would have without gnuplot. */

#define GP_TIMEOUT_DEFAULT_S 120
#define GP_TIMEOUT_MAX_S 86400
#define GP_KILL_GRACE_MS 2000

int charts_timeout_s(void)
{
	const char *v = getenv("HVB_GNUPLOT_TIMEOUT");
	if (!v || !*v)
		return GP_TIMEOUT_DEFAULT_S;
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno || end == v || *end || n < 1 || n > GP_TIMEOUT_MAX_S) {
		rlog("HVB_GNUPLOT_TIMEOUT: \"%.40s\" is not a whole number of seconds from 1 to %d "
		     "(how long gnuplot may take to draw the charts); unset it for the default, %d",
		     v, GP_TIMEOUT_MAX_S, GP_TIMEOUT_DEFAULT_S);
		return -1;
	}
	return (int)n;
}

static volatile sig_atomic_t gp_signal;
static void gp_on_signal(int sig) { gp_signal = sig; }
static const int gp_sigs[] = { SIGINT, SIGTERM, SIGHUP };
#define NGP_SIGS (sizeof gp_sigs / sizeof gp_sigs[0])

static void deadline_in(struct timespec *dl, long long ms)
{
	clock_gettime(CLOCK_MONOTONIC, dl);
	dl->tv_sec += (time_t)(ms / 1000);
	dl->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (dl->tv_nsec >= 1000000000L) {
		dl->tv_sec++;
		dl->tv_nsec -= 1000000000L;
	}
}

static int ms_left(const struct timespec *dl)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long ms = (long long)(dl->tv_sec - now.tv_sec) * 1000 + (dl->tv_nsec - now.tv_nsec) / 1000000;
	return ms <= 0 ? 0 : ms > 1000000000 ? 1000000000 : (int)ms;
}

enum { GP_OK = 0, GP_ERR = -1, GP_LATE = -2, GP_SIGNALLED = -3 };

/* All of buf down the non-blocking fd by the deadline.  GP_ERR: the reader
 * went away (EPIPE: gnuplot exited; its status says why). */
static int write_by(int fd, const char *buf, size_t len, const struct timespec *dl)
{
	while (len) {
		if (gp_signal)
			return GP_SIGNALLED;
		ssize_t n = write(fd, buf, len);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return GP_ERR;
		int ms = ms_left(dl);
		if (ms == 0)
			return GP_LATE;
		/* At most 100 ms: a signal between the check above and poll()
		 * is seen that late, not at the deadline. */
		struct pollfd pf = { .fd = fd, .events = POLLOUT };
		poll(&pf, 1, ms < 100 ? ms : 100);
	}
	return GP_OK;
}

/* Reap pid by the deadline (naps of 1, 2, 4 .. 16 ms: gnuplot's run takes
 * tens of ms at least).  GP_SIGNALLED only when stop_on_signal. */
static int reap_by(pid_t pid, int *st, const struct timespec *dl, int stop_on_signal)
{
	for (int nap = 1;; nap = nap < 16 ? nap * 2 : 16) {
		pid_t r = waitpid(pid, st, WNOHANG);
		if (r == pid)
			return GP_OK;
		if (r < 0 && errno == ECHILD) {   /* SIGCHLD ignored: reaped already */
			*st = -1;
			return GP_OK;
		}
		if (stop_on_signal && gp_signal)
			return GP_SIGNALLED;
		int ms = ms_left(dl);
		if (ms == 0)
			return GP_LATE;
		poll(NULL, 0, nap < ms ? nap : ms);
	}
}

/* SIGTERM to gnuplot's process group, SIGKILL after the grace period if the
 * leader is still there, then SIGKILL to whatever else is left in the group
 * (the group id stays reserved while any member lives). */
static void gp_stop(pid_t pid, int *st)
{
	if (kill(-pid, SIGTERM) < 0)
		kill(pid, SIGTERM);
	struct timespec dl;
	deadline_in(&dl, GP_KILL_GRACE_MS);
	if (reap_by(pid, st, &dl, 0) != GP_OK) {
		if (kill(-pid, SIGKILL) < 0)
			kill(pid, SIGKILL);
		while (waitpid(pid, st, 0) < 0 && errno == EINTR)
			;
	}
	kill(-pid, SIGKILL);
}

/* Start prog with stdin the read end of a pipe (*wfd: the write end,
 * non-blocking) and stdout and stderr into errpath, in a new process group.
 * 0, or an errno value. */
static int gp_spawn(const char *prog, const char *errpath, pid_t *pid, int *wfd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return errno;
	/* Keep our ends off 0..2, where the file actions put the child's. */
	for (int i = 0; i < 2; i++) {
		if (p[i] > 2)
			continue;
		int fd = fcntl(p[i], F_DUPFD_CLOEXEC, 3);
		if (fd < 0) {
			int e = errno;
			close(p[0]);
			close(p[1]);
			return e;
		}
		close(p[i]);
		p[i] = fd;
	}
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t def;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[0], 0);
	posix_spawn_file_actions_addopen(&fa, 1, errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	posix_spawnattr_init(&at);
	/* We ignore SIGPIPE while writing; gnuplot gets the default back. */
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
	char *argv[] = { (char *)prog, NULL };
	int e = posix_spawnp(pid, prog, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(p[0]);
	if (e) {
		close(p[1]);
		return e;
	}
	fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK);
	*wfd = p[1];
	return 0;
}

/* With scripts_dir: each chart's script there, to redraw it by hand. */
static int write_scripts(const chart_set *cs, const char *scripts_dir)
{
	mkdir(scripts_dir, 0777);
	for (size_t i = 0; i < cs->n; i++) {
		rbuf p = {0};
		rbuf_addf(&p, "%s/%s.gp", scripts_dir, cs->c[i].name);
		FILE *f = fopen(rbuf_str(&p), "w");
		if (!f) {
			rlog("%s: cannot write gnuplot script: %s", rbuf_str(&p), strerror(errno));
			rbuf_free(&p);
			return -1;
		}
		fprintf(f, "# hvbench chart %s: run `gnuplot %s.gp` to redraw %s.svg\n"
			   "set encoding utf8\n" TERM_SVG "set output '%s.svg'\n%sunset output\n",
			cs->c[i].name, cs->c[i].name, cs->c[i].name, CHART_W(&cs->c[i]), CHART_H(&cs->c[i]),
			cs->c[i].name, cs->c[i].script);
		fclose(f);
		rbuf_free(&p);
	}
	return 0;
}

/* One drawing: the private temp directory, where the charts go, gnuplot's
 * log (the markers) and its stdout and stderr there. */
typedef struct gp_run {
	const char *gnuplot, *charts_dir, *outdir;
	char *tmp;
	rbuf logp, errp;
} gp_run;

/* Each chart's commands go to a file of its own in the private temp
 * directory, and down the pipe only "load" lines: gnuplot reads its stdin
 * one byte per read(2) (strace: 300,793 reads for a 300,698-byte script), a
 * loaded file through stdio.  A command gnuplot rejects ends that chart's
 * file, not the run: the chart is left out (its marker, the file's last
 * line, never printed) and the note says so.  GP_OK or how writing ended. */
static int send_charts(const chart_set *cs, gp_run *g, int wfd, const struct timespec *dl)
{
	int how = GP_OK;
	rbuf s = {0}, f = {0};
	rbuf_add(&s, "set encoding utf8\nset print ");
	esc_gnuplot(&s, rbuf_str(&g->logp));
	rbuf_add(&s, "\nprint sprintf(\"HVB-GNUPLOT %g patchlevel %s\", GPVAL_VERSION, GPVAL_PATCHLEVEL)\n");
	for (size_t i = 0; i <= cs->n && how == GP_OK; i++) {
		if (i == cs->n) {
			rbuf_add(&s, "print \"HVB-END\"\nexit\n");
		} else {
			f.len = 0;
			rbuf_addf(&f, "reset\n" TERM_SVG "set output ", CHART_W(&cs->c[i]), CHART_H(&cs->c[i]));
			out_path(&f, g->outdir, cs->c[i].name, "svg");
			rbuf_addc(&f, '\n');
			rbuf_add(&f, cs->c[i].script);
			rbuf_add(&f, "unset output\n");
			if (g->charts_dir) {
				rbuf_addf(&f, TERM_PNG "set output ", CHART_W(&cs->c[i]), CHART_H(&cs->c[i]));
				out_path(&f, g->outdir, cs->c[i].name, "png");
				rbuf_add(&f, "\nreplot\nunset output\n");
			}
			rbuf_addf(&f, "print \"HVB-CHART-DONE %zu\"\n", i);
			rbuf p = {0};
			rbuf_addf(&p, "%s/c%zu.gp", g->tmp, i);
			FILE *fp = fopen(rbuf_str(&p), "w");
			int ok = fp && fwrite(f.s, 1, f.len, fp) == f.len;
			if (fp && fclose(fp) != 0)
				ok = 0;
			if (ok) {   /* else the chart is missing, and the note says so */
				rbuf_add(&s, "load ");
				esc_gnuplot(&s, rbuf_str(&p));
				rbuf_addc(&s, '\n');
			}
			rbuf_free(&p);
		}
		how = write_by(wfd, s.s, s.len, dl);
		s.len = 0;
	}
	rbuf_free(&f);
	rbuf_free(&s);
	return how;
}

/* After gnuplot exited with status st: its version from the log, the SVG
 * of each chart whose marker it printed.  0 when every chart is there. */
static int read_charts(chart_set *cs, gp_run *g, int st)
{
	int rc = -1;
	char *log = rfile_read(rbuf_str(&g->logp));
	char *err = rfile_read(rbuf_str(&g->errp));
	if (log) {
		char *v = strstr(log, "HVB-GNUPLOT ");
		if (v) {
			v += 12;
			size_t n = strcspn(v, "\n");
			cs->gnuplot_version = xmalloc(n + 1);
			memcpy(cs->gnuplot_version, v, n);
			cs->gnuplot_version[n] = 0;
		}
	}
	size_t ok = 0;
	for (size_t i = 0; i < cs->n; i++) {
		char mark[48];
		snprintf(mark, sizeof mark, "HVB-CHART-DONE %zu\n", i);
		if (!log || !strstr(log, mark))
			continue;
		rbuf p = {0};
		rbuf_addf(&p, "%s/%s.svg", g->outdir, cs->c[i].name);
		char *raw = rfile_read(rbuf_str(&p));
		rbuf_free(&p);
		if (raw)
			cs->c[i].svg = report_inline_svg(raw, i);
		ok += cs->c[i].svg != NULL;
		free(raw);
	}
	if (ok < cs->n) {
		const char *e = err && *err ? err : "no message";
		set_note(cs, "Some charts are left out: gnuplot (\"%s\") drew %zu of %zu charts, exit status %d; it said: %.300s",
			 g->gnuplot, ok, cs->n, WIFEXITED(st) ? WEXITSTATUS(st) : -1, e);
	} else {
		rc = 0;
	}
	free(log);
	free(err);
	return rc;
}

/* Remove our temp files; --charts DIR keeps its own. */
static void remove_temp(const chart_set *cs, gp_run *g)
{
	for (size_t i = 0; i < cs->n && !g->charts_dir; i++) {
		rbuf p = {0};
		rbuf_addf(&p, "%s/%s.svg", g->tmp, cs->c[i].name);
		unlink(rbuf_str(&p));
		rbuf_free(&p);
	}
	for (size_t i = 0; i < cs->n; i++) {
		rbuf p = {0};
		rbuf_addf(&p, "%s/c%zu.gp", g->tmp, i);
		unlink(rbuf_str(&p));
		rbuf_free(&p);
	}
	unlink(rbuf_str(&g->logp));
	unlink(rbuf_str(&g->errp));
	rmdir(g->tmp);
	free(g->tmp);
	rbuf_free(&g->logp);
	rbuf_free(&g->errp);
}

int charts_run(chart_set *cs, const char *gnuplot, int timeout_s, const char *charts_dir,
	       const char *scripts_dir)
{
	if (!gnuplot || !*gnuplot)
		gnuplot = "gnuplot";
	if (cs->n == 0)
		return 0;
	if (scripts_dir && write_scripts(cs, scripts_dir) < 0)
		return -1;
	if (!find_program(gnuplot)) {
		set_note(cs, "Charts are left out: gnuplot was not found (tried \"%s\"; install Debian gnuplot-nox or set HVB_GNUPLOT).", gnuplot);
		return -1;
	}
	if (charts_dir && mkdir(charts_dir, 0777) < 0 && errno != EEXIST) {
		rlog("%s: cannot create charts directory: %s", charts_dir, strerror(errno));
		return -1;
	}
	const char *tmpbase = getenv("TMPDIR");
	gp_run g = { .gnuplot = gnuplot, .charts_dir = charts_dir };
	rbuf tmpl = {0};
	rbuf_addf(&tmpl, "%s/hvbreport.XXXXXX", tmpbase && *tmpbase ? tmpbase : "/tmp");
	g.tmp = rbuf_take(&tmpl);
	if (!mkdtemp(g.tmp)) {
		rlog("%s: cannot create temp directory: %s", g.tmp, strerror(errno));
		free(g.tmp);
		return -1;
	}
	g.outdir = charts_dir ? charts_dir : g.tmp;
	rbuf_addf(&g.logp, "%s/gp.log", g.tmp);
	rbuf_addf(&g.errp, "%s/gp.err", g.tmp);

	/* A gnuplot that dies early must not kill us with SIGPIPE. */
	static const int pipe_sig[] = { SIGPIPE };
	struct sigaction old, olds[NGP_SIGS];
	hvb_catch_save(SIG_IGN, pipe_sig, 1, &old);
	gp_signal = 0;
	hvb_catch_save(gp_on_signal, gp_sigs, NGP_SIGS, olds);
	fflush(NULL);
	struct timespec dl;
	deadline_in(&dl, (long long)timeout_s * 1000);
	pid_t pid = -1;
	int wfd = -1, rc = -1, st = -1, how;
	int e = gp_spawn(gnuplot, rbuf_str(&g.errp), &pid, &wfd);
	if (e) {
		set_note(cs, "Charts are left out: gnuplot (\"%s\") could not be run: %s.", gnuplot, strerror(e));
		goto out;
	}
	how = send_charts(cs, &g, wfd, &dl);
	close(wfd);
	/* GP_ERR (gnuplot stopped reading by exiting): its status tells. */
	if (how == GP_OK || how == GP_ERR)
		how = reap_by(pid, &st, &dl, 1);
	if (how != GP_OK) {
		gp_stop(pid, &st);
		if (how == GP_LATE)
			set_note(cs, "gnuplot (\"%s\") did not finish within %d s; charts left out "
				     "(it was stopped; HVB_GNUPLOT_TIMEOUT=SECONDS allows longer).", gnuplot, timeout_s);
		else
			set_note(cs, "Charts are left out: interrupted while gnuplot was drawing them.");
		goto out;
	}
	rc = read_charts(cs, &g, st);
out:
	hvb_catch_restore(pipe_sig, 1, &old);
	hvb_catch_restore(gp_sigs, NGP_SIGS, olds);
	remove_temp(cs, &g);
	/* Die of the signal that stopped gnuplot, as we would have without it. */
	if (gp_signal)
		raise(gp_signal);
	return rc;
}
