/*
 * netbench.c - network throughput as iperf3 measures it, without iperf3 in the guest.
 *
 * The binary links Debian's libiperf statically (with what it needs:
 * IPERF_LIBS in bench/bench.mk) and talks to a stock
 * `iperf3 -s` (normally on the host), so a guest only needs this one file.
 * It runs TCP send (client -> server) and receive (-R), optionally UDP at a
 * target bit rate, omitting the first --omit seconds (TCP slow start), and
 * reads every figure from iperf3's own JSON result: the receiver's bits/s,
 * the sender's retransmits, both ends' CPU use, and for UDP the receiver's
 * jitter and loss.  The numbers are therefore iperf3's, not a re-derivation.
 *
 * Each test runs in a forked child with a watchdog: libiperf blocks in
 * select/read and knows nothing of our deadlines, and a server that accepts
 * but never answers must not hang a guest run.  A server that cannot be
 * reached ends the benchmark at once with `fail` rows naming host and port.
 *
 * With no server given (no --server, no $HVB_IPERF_SERVER) netbench serves
 * itself: libiperf's server role in a forked child on an ephemeral loopback
 * port, stopped when the benchmark ends, so `hvbench run` measures the
 * machine's loopback out of the box.  The `iperf_server` info row says which
 * server was used ("self 127.0.0.1:PORT" or HOST:PORT).  It is deliberately
 * not a params key: the host's loopback and a guest's uplink to the host are
 * the same series, which is the comparison the suite exists for.
 * `--server none` writes skip rows instead (collectors use it for a guest
 * that has no way to the host, so that a guest's own loopback never enters
 * the uplink series).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <iperf_api.h>

#include "hvb.h"
#include "../common/io.h"
#include "../common/iperf3_json.h"

#define NB_DEFAULT_PORT 5201
#define NB_MAX_JSON (16u << 20) /* a 1-hour test with 128 streams stays far below */

/* ---- options (defaults here; the harness restores them between benchmarks) ---- */
static const char *opt_server;          /* NULL: $HVB_IPERF_SERVER, else self */
static long long opt_port;              /* 0: $HVB_IPERF_PORT, else 5201 */
static long long opt_time = 10;
static long long opt_omit = 1;
static int opt_udp;
static double opt_bitrate = 100;        /* Mbit/s, UDP only */
static long long opt_parallel = 1;
static const char *opt_dir = "both";
static long long opt_connect_ms = 2000;

static const hvb_opt netbench_opts[] = {
	{ "server", HVB_OPT_STR, &opt_server, 0, 0, 0, "HOST",
	  "iperf3 server address (default: $HVB_IPERF_SERVER, else self); "
	  "'self' = serve ourselves on loopback (libiperf's server in a child process, "
	  "ephemeral port: this machine's loopback figure); "
	  "'gateway' = this machine's default gateway, which is the host in NAT guests "
	  "(QEMU/VirtualBox 10.0.2.2, libvirt 192.168.122.1, docker 172.17.0.1); "
	  "'none' = no server, skip rows; "
	  "give a numeric address in guests: a static binary cannot use NSS" },
	{ "port", HVB_OPT_INT, &opt_port, 0, 65535, 0, "PORT",
	  "server port (0 = $HVB_IPERF_PORT, else 5201; ignored with server self)" },
	{ "time", HVB_OPT_INT, &opt_time, 1, 3600, 1, "S", "seconds measured per test, after --omit" },
	{ "omit", HVB_OPT_INT, &opt_omit, 0, 60, 0, "S", "seconds omitted at the start of each test (TCP slow start)" },
	{ "udp", HVB_OPT_FLAG, &opt_udp, 0, 0, 0, NULL, "also run UDP tests at --bitrate (jitter, loss)" },
	{ "bitrate", HVB_OPT_DOUBLE, &opt_bitrate, 0.001, 100000, 0, "MBIT", "UDP target rate per stream in Mbit/s (as iperf3 -b)" },
	{ "parallel", HVB_OPT_INT, &opt_parallel, 1, 128, 0, "N", "parallel streams per test" },
	{ "dir", HVB_OPT_ONEOF, &opt_dir, 0, 0, 0, "send|recv|both",
	  "send (client to server), recv (-R) or both" },
	{ "connect-timeout", HVB_OPT_INT, &opt_connect_ms, 100, 60000, 0, "MS",
	  "give up connecting to the server after MS milliseconds" },
	{ 0 },
};

/* ---- one iperf3 test in a child process ---- */
typedef struct nb_test {
	const char *host;
	int port;
	int udp, reverse, time, omit, streams, connect_ms;
	double bitrate;   /* bit/s, UDP */
	const char *tmpl; /* mkstemp template for libiperf's stream buffers */
} nb_test;

typedef struct nb_result {
	int ok;
	int ierr;           /* libiperf i_errno when the client failed, else 0 */
	int timed_out;
	char msg[256];
	double bps, retransmits, jitter_ms, lost_pct, cpu_client, cpu_server;
	int has_retr, has_udp, has_cpu;
} nb_result;

/* Child: run the client, write "J\n<json>" or "E <i_errno> <message>\n" to fd. */
static void nb_child(const nb_test *t, int fd)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the benchmark */
	signal(SIGPIPE, SIG_IGN);
	/* libiperf prints to stdout and stderr, which may be our CSV. */
	int dn = open("/dev/null", O_RDWR), dp[2];
	if (dn < 0 && pipe(dp) == 0) {
		/* No /dev/null (a bare initramfs): a pipe nobody reads; writes
		 * fail with EPIPE, which is ignored. */
		close(dp[0]);
		dn = dp[1];
	}
	if (dn >= 0) {
		dup2(dn, 1);
		dup2(dn, 2);
	}
	struct iperf_test *it = iperf_new_test();
	if (!it || iperf_defaults(it) < 0) {
		dprintf(fd, "E %d cannot create an iperf3 test: %s\n", i_errno, iperf_strerror(i_errno));
		_exit(0);
	}
	iperf_set_test_role(it, 'c');
	iperf_set_test_server_hostname(it, t->host);
	iperf_set_test_server_port(it, t->port);
	iperf_set_test_duration(it, t->time);
	iperf_set_test_omit(it, t->omit);
	iperf_set_test_reverse(it, t->reverse);
	iperf_set_test_num_streams(it, t->streams);
	iperf_set_test_connect_timeout(it, t->connect_ms);
	iperf_set_test_json_output(it, 1);
	/* libiperf backs each stream's buffer with a mkstemp() file, by default
	 * in /tmp, which a bare initramfs guest may not have. */
	iperf_set_test_template(it, t->tmpl);
	if (t->udp) {
		set_protocol(it, Pudp);
		/* 0 = the control connection's MSS, as the iperf3 command does. */
		iperf_set_test_blksize(it, 0);
		iperf_set_test_rate(it, (uint64_t)t->bitrate);
	}
	/* In JSON mode a failed test may still leave a document whose "error"
	 * key says why; i_errno goes first so the parent can tell a server that
	 * is not there (IECONNECT) from a test that failed. */
	i_errno = 0;
	int rc = iperf_run_client(it);
	int e = i_errno;
	const char *js = iperf_get_test_json_output_string(it);
	if (!js) {
		dprintf(fd, "E %d %s\n", e, rc < 0 ? iperf_strerror(e) : "iperf3 produced no JSON result");
		_exit(0);
	}
	if (dprintf(fd, "J %d\n", e) < 0)
		_exit(1);
	_exit(hvb_write_full(fd, js, strlen(js)) ? 1 : 0);
}

/* iperf3's JSON result through the one reader the importer shares
 * (common/iperf3_json.c). */
static void nb_parse(const char *js, size_t len, const nb_test *t, nb_result *r)
{
	hvb_iperf3 x;
	if (hvb_iperf3_parse(js, len, &x) < 0) {
		snprintf(r->msg, sizeof r->msg, "iperf3's result is not valid JSON: %.200s", x.error);
		return;
	}
	if (x.error[0]) {
		snprintf(r->msg, sizeof r->msg, "iperf3: %.200s", x.error);
		return;
	}
	if (!x.has_bps) {
		snprintf(r->msg, sizeof r->msg, "iperf3 JSON has no end.sum_received.bits_per_second");
		return;
	}
	r->bps = x.bps;
	if (t->udp) {
		r->has_udp = x.has_jitter && x.has_lost;
		r->jitter_ms = x.jitter_ms;
		r->lost_pct = x.lost_pct;
	} else {
		r->has_retr = x.has_retr;
		r->retransmits = x.retransmits;
	}
	r->has_cpu = x.has_cpu;
	r->cpu_client = x.cpu_host;
	r->cpu_server = x.cpu_remote;
	r->ok = 1;
}

static void nb_run_one(const nb_test *t, nb_result *r)
{
	memset(r, 0, sizeof *r);
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(r->msg, sizeof r->msg, "pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(r->msg, sizeof r->msg, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		nb_child(t, fds[1]);
	}
	close(fds[1]);
	/* Connect, omit, measure, then the results exchange: allow generous slack. */
	double deadline = hvb_now() + t->connect_ms / 1000.0 + t->omit + t->time + 10.0;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int eof = 0;
	while (buf && !eof) {
		double left = deadline - hvb_now();
		if (left <= 0 || hvb_interrupted()) {
			r->timed_out = 1;
			break;
		}
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		int n = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			continue;
		if (len + 1 >= cap) {
			char *nb = cap >= NB_MAX_JSON ? NULL : realloc(buf, cap * 2);
			if (!nb) {
				snprintf(r->msg, sizeof r->msg, "iperf3 result larger than %u bytes",
					 NB_MAX_JSON);
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t got = read(fds[0], buf + len, cap - 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			eof = 1;
		else
			len += (size_t)got;
	}
	close(fds[0]);
	if (!eof)
		kill(pid, SIGKILL);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (r->timed_out) {
		snprintf(r->msg, sizeof r->msg, "no result within %.0f s; iperf3 client stopped",
			 t->connect_ms / 1000.0 + t->omit + t->time + 10.0);
	} else if (buf) {
		buf[len] = 0;
		char *nl = strchr(buf, '\n');
		if (len >= 3 && buf[0] == 'J' && buf[1] == ' ' && nl) {
			long e = strtol(buf + 2, NULL, 10);
			nb_parse(nl + 1, len - (size_t)(nl + 1 - buf), t, r);
			if (!r->ok)
				r->ierr = (e > 0 && e < 100000) ? (int)e : -1;
		} else if (len >= 2 && buf[0] == 'E') {
			char *end;
			long e = strtol(buf + 2, &end, 10);
			r->ierr = (e > 0 && e < 100000) ? (int)e : -1;
			while (*end == ' ')
				end++;
			end[strcspn(end, "\n")] = 0;
			snprintf(r->msg, sizeof r->msg, "%s", end);
		} else if (WIFSIGNALED(st)) {
			snprintf(r->msg, sizeof r->msg, "iperf3 client died of signal %d", WTERMSIG(st));
		} else {
			snprintf(r->msg, sizeof r->msg, "iperf3 client exited with status %d without a result",
				 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		}
	}
	free(buf);
}

/* ---- where the server is ---- */
/* The default route's gateway from /proc/net/route, as text; 0 or -1. */
static int nb_gateway(char *buf, size_t n)
{
	FILE *f = fopen("/proc/net/route", "r");
	if (!f)
		return -1;
	char line[512];
	int found = -1;
	while (fgets(line, sizeof line, f)) {
		char ifc[64];
		unsigned long dst, gw, flags;
		if (sscanf(line, "%63s %lx %lx %lx", ifc, &dst, &gw, &flags) != 4)
			continue;
		if (dst == 0 && (flags & 2) && gw != 0) { /* RTF_GATEWAY */
			struct in_addr a = { .s_addr = (uint32_t)gw }; /* already network order */
			if (inet_ntop(AF_INET, &a, buf, (socklen_t)n))
				found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

/* A writable directory for libiperf's buffer files: $TMPDIR, /tmp,
 * /dev/shm, else the current directory. */
static void nb_template(char *buf, size_t n)
{
	const char *cand[] = { getenv("TMPDIR"), "/tmp", "/dev/shm", "." };
	for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++) {
		if (cand[i] && *cand[i] && access(cand[i], W_OK | X_OK) == 0) {
			snprintf(buf, n, "%s/netbench.XXXXXX", cand[i]);
			return;
		}
	}
	snprintf(buf, n, "netbench.XXXXXX");
}

/* Non-zero when host is a numeric IPv4 or IPv6 address. */
static int nb_numeric(const char *host)
{
	unsigned char a[16];
	return inet_pton(AF_INET, host, a) == 1 || inet_pton(AF_INET6, host, a) == 1;
}

/* ---- serving ourselves on loopback ---- */
/* A free loopback TCP port from the kernel (bind to port 0); 0 on failure.
 * The socket is closed before the server binds the port: another program
 * could take it in between, which the caller sees as a server that does not
 * come up. */
static int nb_ephemeral_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	int port = 0;
	if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &al) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* Non-zero when something listens on 127.0.0.1:port (/proc/net/tcp, state
 * 0A).  Read instead of connecting: a probe connection would be taken by the
 * iperf3 server as a test that then fails. */
static int nb_listening(int port)
{
	FILE *f = fopen("/proc/net/tcp", "r");
	if (!f)
		return -1;
	char line[512];
	int found = 0;
	while (!found && fgets(line, sizeof line, f)) {
		unsigned addr, lport, st;
		if (sscanf(line, " %*d: %8X:%4X %*8X:%*4X %2X", &addr, &lport, &st) == 3 &&
		    (int)lport == port && st == 0x0A &&
		    (addr == 0 || addr == htonl(INADDR_LOOPBACK)))
			found = 1;
	}
	fclose(f);
	return found;
}

/* Child: libiperf's server role on 127.0.0.1:port, one test after another,
 * as `iperf3 -s` runs, until the parent kills it (or dies). */
static void nb_server_child(int port, const char *tmpl)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGPIPE, SIG_IGN);
	int dn = open("/dev/null", O_RDWR);
	if (dn >= 0) {
		dup2(dn, 0);
		dup2(dn, 1);
		dup2(dn, 2);
	}
	struct iperf_test *it = iperf_new_test();
	if (!it || iperf_defaults(it) < 0)
		_exit(2);
	iperf_set_test_role(it, 's');
	iperf_set_test_bind_address(it, "127.0.0.1");
	iperf_set_test_server_port(it, port);
	iperf_set_test_template(it, tmpl);
	for (;;) {
		int rc = iperf_run_server(it);
		if (rc < -1) /* cannot listen: nothing to retry */
			_exit(3);
		iperf_reset_test(it);
	}
}

/* Starts the server child and waits until it listens; its pid, or -1 with
 * why[] set.  Tries a few ports: one may be taken between choice and bind. */
static pid_t nb_self_start(const char *tmpl, int *port, char *why, size_t wn)
{
	for (int attempt = 0; attempt < 3; attempt++) {
		int p = nb_ephemeral_port();
		if (!p) {
			snprintf(why, wn, "no free loopback port: %s", strerror(errno));
			return -1;
		}
		pid_t pid = fork();
		if (pid < 0) {
			snprintf(why, wn, "fork: %s", strerror(errno));
			return -1;
		}
		if (pid == 0)
			nb_server_child(p, tmpl);
		double until = hvb_now() + 5.0;
		int st, up = 0, dead = 0;
		while (hvb_now() < until && !hvb_interrupted()) {
			int l = nb_listening(p);
			if (l != 0) { /* listening, or no /proc/net/tcp to tell */
				up = 1;
				if (l < 0)
					usleep(200000);
				break;
			}
			if (waitpid(pid, &st, WNOHANG) == pid) {
				dead = 1;
				break;
			}
			usleep(10000);
		}
		if (up) {
			*port = p;
			return pid;
		}
		if (!dead) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
		}
		snprintf(why, wn, "the loopback iperf3 server (libiperf) did not listen on port %d%s", p,
			 dead ? ": it exited" : " within 5 s");
		if (hvb_interrupted())
			break;
	}
	return -1;
}

static void nb_self_stop(pid_t pid)
{
	int st;
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* ---- the benchmark ---- */
static void nb_params(char *buf, size_t n, const nb_test *t)
{
	char rate[64] = "";
	if (t->udp)
		snprintf(rate, sizeof rate, "bitrate_mbit=%.17g;", t->bitrate / 1e6);
	snprintf(buf, n, "%sdir=%s;omit=%d;proto=%s;streams=%d;time=%d", rate,
		 t->reverse ? "recv" : "send", t->omit, t->udp ? "udp" : "tcp", t->streams, t->time);
}

static void nb_rows(hvb_ctx *ctx, const char *params, int rep, const nb_result *r)
{
	hvb_ok(ctx, params, "bits_per_s", "bit/s", "higher", rep, r->bps);
	if (r->has_retr)
		hvb_ok(ctx, params, "retransmits", "count", "lower", rep, r->retransmits);
	if (r->has_udp) {
		hvb_ok(ctx, params, "jitter_ms", "ms", "lower", rep, r->jitter_ms);
		hvb_ok(ctx, params, "lost_pct", "%", "lower", rep, r->lost_pct);
	}
	if (r->has_cpu) {
		hvb_ok(ctx, params, "cpu_client_pct", "%", "lower", rep, r->cpu_client);
		hvb_ok(ctx, params, "cpu_server_pct", "%", "lower", rep, r->cpu_server);
	}
}

/* In self mode, wait (bounded) until the server listens again: between two
 * tests libiperf closes and reopens its listening socket. */
static void nb_wait_listen(int self, int port)
{
	if (!self)
		return;
	for (int i = 0; i < 200 && nb_listening(port) == 0 && !hvb_interrupted(); i++)
		usleep(10000);
}

/* An iperf3 -s closes and reopens its listening socket between two tests
 * (above), so a server that answered a moment ago may refuse the next
 * connection: both sample campaigns lost the host's first receive test so
 * ("Connection refused" right after the last send on loopback).  Once the
 * server has answered in this run, a refusal is retried every 0.2 s for up
 * to 3 s before it counts as unreachable; a server never reached fails at
 * once, as before. */
#define NB_REFUSED_TRIES 15
static int nb_refused_again(const nb_result *r, int reached, int tries)
{
	return reached && !r->ok && r->ierr == IECONNECT && !r->timed_out && tries < NB_REFUSED_TRIES;
}

static int netbench_run(hvb_ctx *ctx)
{
	const struct hvb_common *c = hvb_common(ctx);
	char gw[64], host[256];
	const char *server = opt_server;
	if (!server || !*server)
		server = getenv("HVB_IPERF_SERVER");
	if (!server || !*server)
		server = "self";
	int self = strcmp(server, "self") == 0, none = strcmp(server, "none") == 0;
	if (strcmp(server, "gateway") == 0) {
		if (nb_gateway(gw, sizeof gw) < 0) {
			hvb_fail(ctx, "", "bits_per_s", "bit/s", "higher", 1,
				 "--server gateway: no default route in /proc/net/route");
			return 0;
		}
		server = gw;
	}
	snprintf(host, sizeof host, "%s", self ? "127.0.0.1" : server);
	int port = (int)opt_port;
	if (port == 0 && !self) {
		const char *ep = getenv("HVB_IPERF_PORT");
		port = NB_DEFAULT_PORT;
		if (ep && *ep) {
			char *end;
			errno = 0;
			long v = strtol(ep, &end, 10);
			if (errno || *end || v < 1 || v > 65535) {
				hvb_err("HVB_IPERF_PORT=\"%s\": expected a port number 1..65535", ep);
				return 1;
			}
			port = (int)v;
		}
	}
	int dsend = 1, drecv = 1;
	if (strcmp(opt_dir, "send") == 0)
		drecv = 0;
	else if (strcmp(opt_dir, "recv") == 0)
		dsend = 0;
	else if (strcmp(opt_dir, "both") != 0) {
		hvb_err("--dir \"%s\": expected send, recv or both", opt_dir);
		return 1;
	}

	char tmpl[512];
	nb_template(tmpl, sizeof tmpl);
	/* The plan: TCP then UDP, each send then receive. */
	nb_test plan[4];
	int np = 0;
	for (int udp = 0; udp <= opt_udp; udp++)
		for (int rev = 0; rev <= 1; rev++) {
			if ((rev && !drecv) || (!rev && !dsend))
				continue;
			plan[np++] = (nb_test){ .host = host, .port = port, .udp = udp, .reverse = rev,
						.time = (int)opt_time, .omit = (int)opt_omit,
						.streams = (int)opt_parallel,
						.connect_ms = (int)opt_connect_ms,
						.bitrate = opt_bitrate * 1e6, .tmpl = tmpl };
		}
	char params[160];
	if (none) {
		hvb_info_str(ctx, "", "iperf_server", "none");
		for (int i = 0; i < np; i++) {
			nb_params(params, sizeof params, &plan[i]);
			hvb_skip(ctx, params, "bits_per_s", "bit/s", "higher",
				 "no iperf3 server for this environment (--server none or "
				 "HVB_IPERF_SERVER=none; a collector's --iperf gives one)");
		}
		return 0;
	}
	/* libiperf reads its cookie from /dev/urandom and exits the process
	 * when it cannot: say so here rather than as an unexplained exit. */
	if (access("/dev/urandom", R_OK) != 0) {
		hvb_info_str(ctx, "", "iperf_server", "%s%s:%d", self ? "self " : "", host, port);
		hvb_fail(ctx, "", "bits_per_s", "bit/s", "higher", 1,
			 "libiperf needs /dev/urandom: %s (mount devtmpfs in the guest)", strerror(errno));
		return 0;
	}
	pid_t srv = -1;
	if (self) {
		char why[200];
		srv = nb_self_start(tmpl, &port, why, sizeof why);
		if (srv < 0) {
			hvb_info_str(ctx, "", "iperf_server", "self 127.0.0.1");
			for (int i = 0; i < np; i++) {
				nb_params(params, sizeof params, &plan[i]);
				hvb_fail(ctx, params, "bits_per_s", "bit/s", "higher", 1, "%s", why);
			}
			return 0;
		}
		for (int i = 0; i < np; i++)
			plan[i].port = port;
	}
	hvb_info_str(ctx, "", "iperf_server", "%s%s:%d", self ? "self " : "", host, port);
	hvb_info_str(ctx, "", "libiperf_version", "%s", iperf_get_iperf_version());

	int reached = 0;   /* the server answered a test of this run */
	for (int i = 0; i < np; i++) {
		const nb_test *t = &plan[i];
		nb_params(params, sizeof params, t);
		int unreachable = 0;
		char why[300] = "";
		hvb_rep it;
		hvb_reps_begin(ctx, &it, params);
		hvb_reps_share_cpu(ctx); /* client, server and the stack's softirqs on the same CPUs */
		while (!unreachable && hvb_rep_next(ctx, &it)) {
			nb_result r;
			if (it.warmup) {
				/* Warm-up: a short test without omit; its numbers are not written. */
				nb_test wt = *t;
				wt.time = 1;
				wt.omit = 0;
				hvb_progress("netbench %s warm-up", params);
				for (int tries = 0;; tries++) {
					nb_wait_listen(self, port);
					nb_run_one(&wt, &r);
					if (!nb_refused_again(&r, reached, tries) || hvb_interrupted())
						break;
					usleep(200000);
				}
				reached |= r.ok;
				if (!r.ok && (r.ierr == IECONNECT || r.timed_out)) {
					unreachable = 1;
					snprintf(why, sizeof why, "%s", r.msg);
				}
				continue;
			}
			hvb_progress("netbench %s rep %d/%lld", params, it.rep, c->reps);
			/* An iperf3 server runs one test at a time: wait while it is
			 * busy; and while it reopens its socket (nb_refused_again). */
			for (int tries = 0;; tries++) {
				nb_wait_listen(self, port);
				nb_run_one(t, &r);
				if (r.ok || hvb_interrupted())
					break;
				if (r.ierr == IEACCESSDENIED && tries < 5) {
					sleep(1);
					continue;
				}
				if (!nb_refused_again(&r, reached, tries))
					break;
				usleep(200000);
			}
			reached |= r.ok;
			if (r.ok) {
				nb_rows(ctx, params, it.rep, &r);
			} else if (r.ierr == IECONNECT || r.timed_out) {
				unreachable = 1;
				snprintf(why, sizeof why, "%s", r.msg);
			} else {
				hvb_fail(ctx, params, "bits_per_s", "bit/s", "higher", it.rep,
					 "iperf3 server %s port %d: %s", host, port, r.msg);
			}
		}
		if (unreachable)
			hvb_reps_end(ctx, &it, "the iperf3 server at %s port %d cannot be used: %s", host,
				     port, why);
		if (unreachable) {
			/* One fail row per series that cannot run, and no more waiting. */
			for (int j = i; j < np; j++) {
				nb_params(params, sizeof params, &plan[j]);
				hvb_fail(ctx, params, "bits_per_s", "bit/s", "higher", 1,
					 "cannot use iperf3 server at %s port %d: %s (%s)", host, port, why,
					 self ? "netbench's own loopback server stopped answering"
					 : nb_numeric(host)
					 ? "start `iperf3 -s` there, or give --server HOST / HVB_IPERF_SERVER; "
					   "in a NAT guest try --server gateway"
					 : "a static binary resolves names only with the host's NSS "
					   "libraries: give a numeric address");
			}
			break;
		}
		if (hvb_interrupted())
			break;
	}
	nb_self_stop(srv);
	return 0;
}

const hvb_bench netbench_bench = {
	.name = "netbench",
	.alias = "net",
	.summary = "Network: iperf3 TCP send/receive (optional UDP) against a stock iperf3 -s; "
		   "libiperf linked in.",
	.opts = netbench_opts,
	.run = netbench_run,
};
