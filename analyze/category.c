/*
 * category.c - the table mapping benchmarks to the categories the scores
 * are grouped by.  A benchmark not listed (a new one, an imported tool not
 * listed, nullbench) is "other": adding a benchmark never needs this file,
 * it only decides which category score it counts in.
 */
#include <string.h>
#include "analyze.h"

const char *const az_categories[] = { "cpu", "memory", "disk", "network", "process", "other" };
const size_t az_ncategories = sizeof az_categories / sizeof az_categories[0];

static const struct { const char *bench, *category; } table[] = {
	{ "cpubench",  "cpu" },
	{ "membench",  "memory" },
	{ "iobench",   "disk" },
	{ "netbench",  "network" },
	{ "forkbench", "process" },
	{ "pipebench", "process" },
	{ "timebench", "process" },
	/* imported tools (analyze import) */
	{ "fio",       "disk" },
	{ "iperf3",    "network" },
	{ "sysbench-cpu",    "cpu" },
	{ "sysbench-memory", "memory" },
};

const char *az_category(const char *bench)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(table[i].bench, bench) == 0)
			return table[i].category;
	return "other";
}
