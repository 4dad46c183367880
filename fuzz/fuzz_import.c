/*
 * fuzz_import.c - libFuzzer target for `analyze import`: the first byte
 * picks the tool (fio, iperf3, sysbench), the rest is the file given to it
 * (through a memfd), the converted CSV goes to /dev/null.  Run by
 * `make fuzz-analyze` after the ingest target.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../analyze/analyze.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tools[] = { "fio", "iperf3", "sysbench" };
	if (size < 1)
		return 0;
	int fd = memfd_create("fuzz-import", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	char *argv[] = { "import", (char *)tools[data[0] % 3], path, "--env", "fuzz",
			 "-o", "/dev/null", NULL };
	az_quiet = 2;
	az_import_main(7, argv);
	close(fd);
	return 0;
}
