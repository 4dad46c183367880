/*
 * disturb.h - the harness's private view of bench/disturb.c: the canary, the
 * capacity probe and the counters read around each repetition (csv-format.md,
 * "Disturbance rows").  Benchmarks see only hvb.h (hvb_thread_begin/end and
 * the repetition iterator); the harness turns these snapshots into rows.
 */
#ifndef HVB_DISTURB_H
#define HVB_DISTURB_H

#include <stdint.h>
#include <sys/types.h>

typedef struct hvb_dtask {
	pid_t tid;
	uint64_t run, delay;   /* /proc/self/task/TID/schedstat: ns on a CPU, ns waiting for one */
} hvb_dtask;

/* What the counters said at one moment.  A have_* of 0: the machine lacks it. */
typedef struct hvb_dsnap {
	uint64_t t_ns;
	hvb_dtask *task;       /* the live threads; owned, grown as needed */
	int ntask, cap;
	int have_sched;
	uint64_t ended_run, ended_delay; /* by threads that called hvb_thread_end since the mark */
	int have_ru;
	long nivcsw;           /* self and waited-for children */
	int have_stat;
	unsigned long long steal, total; /* jiffies of all CPUs */
	int have_psi;
	unsigned long long psi_us;       /* /proc/pressure/cpu "some" total */
	int have_thr;
	unsigned long long throttled;    /* cgroup cpu.stat nr_throttled */
} hvb_dsnap;

/* One repetition's disturbance, the difference of two snapshots. */
typedef struct hvb_dist {
	double wall_s;
	int have_runq, have_nivcsw, have_steal, have_psi, have_thr;
	double runq_pct, nivcsw, steal_pct, psi_pct, throttled;
} hvb_dist;

/* Counters on or off (--no-disturbance); off, hvb_thread_begin/end do nothing. */
void hvb_disturb_enable(int on);
int hvb_disturb_enabled(void);
/* The start of a repetition: forget the ended threads of the last one, then read. */
void hvb_dsnap_mark(hvb_dsnap *s);
/* The end of a repetition: read, with what ended threads reported since the mark. */
void hvb_dsnap_take(hvb_dsnap *s);
void hvb_dsnap_diff(const hvb_dsnap *a, const hvb_dsnap *b, hvb_dist *d);
void hvb_dsnap_free(hvb_dsnap *s);

/*
 * The capacity probe: the canary repeated for phase_s seconds on one thread,
 * then on nthr threads at once.  *cap = nthr-thread throughput / one-thread
 * throughput, *ref_ns = the median one-thread canary.  0, or -1 when threads
 * could not be started (nothing set).
 */
int hvb_capacity_probe(int nthr, double phase_s, double *cap, double *ref_ns);

#endif
