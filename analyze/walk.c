/*
 * walk.c - az_ingest_path: a file, or every *.csv / *.csv.gz under a
 * directory in name order, each read once whatever links or paths lead to
 * it (by device and inode: ingest.c's az_seen_before), through ingest.c's
 * az_ingest_file.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "analyze.h"
#include "internal.h"

static int is_csv_name(const char *n)
{
	size_t l = strlen(n);
	return (l > 4 && strcmp(n + l - 4, ".csv") == 0) ||
	       (l > 7 && strcmp(n + l - 7, ".csv.gz") == 0);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walk dir in name order.  A directory reached a second time (a symlink to
 * an ancestor or to one already walked) is named and skipped, so links never
 * loop or read a file twice; the depth bound is a last resort. */
static int walk(hvb_model *m, const char *dir, int depth)
{
	if (depth > 32) {
		az_err("%s: directories nested deeper than 32 levels; not read", dir);
		return 0;
	}
	DIR *d = opendir(dir);
	if (!d) {
		az_bad(m, az_intern(az_priv_of(m)->pool, dir, strlen(dir)), 0,
		       "cannot read directory: %s", strerror(errno));
		return 0;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;   /* ., .., hidden files and editor droppings */
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = xasprintf("%s%s%s", dir,
					  dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	int files = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st, lst;
		int link = lstat(names[i], &lst) == 0 && S_ISLNK(lst.st_mode);
		if (stat(names[i], &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				const char *before = az_seen_before(m, &st, names[i]);
				if (before)
					az_note("%s: skipped: %s %s, which is read already "
						"(a symlink loop or a second path)", names[i],
						link ? "a link to" : "the same directory as", before);
				else
					files += walk(m, names[i], depth + 1);
			} else if (is_csv_name(names[i])) {
				files += az_ingest_file(m, names[i], 0) > 0;
			}
		} else if (link && is_csv_name(names[i])) {
			az_note("%s: skipped: a dangling or looping symlink (%s)", names[i],
				strerror(errno));
		}
		free(names[i]);
	}
	free(names);
	return files;
}

int az_ingest_path(hvb_model *m, const char *path)
{
	struct stat st;
	const char *ipath = az_intern(az_priv_of(m)->pool, path, strlen(path));
	if (stat(path, &st) < 0) {
		az_bad(m, ipath, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		const char *before = az_seen_before(m, &st, path);
		if (before) {
			az_note("%s: skipped: the same directory as %s, read already", path, before);
			return 0;
		}
		int n = walk(m, path, 0);
		if (n == 0)
			az_bad(m, ipath, 0, "no *.csv or *.csv.gz file in this directory");
		return n;
	}
	return az_ingest_file(m, path, 1);
}
