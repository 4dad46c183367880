/*
 * main.c - the entry point of every benchmark program.
 *
 * Built with -DHVB_ONLY=NAME it is the standalone program bin/NAME and knows
 * only that benchmark (so the static binary carries only its own code).
 * Built without, it is the multi-call bin/hvbench:
 *   hvbench run [COMMON OPTIONS]   every benchmark with its defaults, one CSV
 *   hvbench NAME|ALIAS [OPTIONS]   one benchmark (hvbench fork --quick)
 *   hvbench list                   the benchmarks
 *   hvbench detect [--root DIR] [--cpuid BIT:SIGNATURE]   what detection sees
 *   hvbench collect KIND [ARG]...  run a collector (collect/KIND in the
 *                                  repository, PREFIX/libexec/hvbench/KIND installed)
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detect.h"
#include "hvb.h"

#define HVB_CAT_(a, b) a##b
#define HVB_CAT(a, b) HVB_CAT_(a, b)

#ifdef HVB_ONLY
extern const hvb_bench HVB_CAT(HVB_ONLY, _bench);
const hvb_bench *const hvb_benches[] = { &HVB_CAT(HVB_ONLY, _bench) };
const size_t hvb_nbenches = 1;

int main(int argc, char **argv)
{
	return hvb_main(hvb_benches[0], argc, argv);
}
#else
int hvb_run_all(int argc, char **argv);

static void usage(FILE *f)
{
	fprintf(f, "usage: hvbench COMMAND [OPTION]...\n"
		   "Measure this machine (bare metal, VM or container) for comparison with others.\n\n"
		   "Commands:\n"
		   "  run [--quick] [--env LABEL] [--out FILE] [--reps N] [--machine NAME]\n"
		   "      [--target-ci PCT] [--max-reps N] [--max-time S] [--no-disturbance]\n"
		   "                 run every benchmark with its defaults into one hvb1 CSV\n"
		   "  NAME [OPTION]  run one benchmark (see `hvbench list`; `hvbench NAME --help`)\n"
		   "  list           list the benchmarks\n"
		   "  detect [--root DIR] [--cpuid BIT:SIGNATURE]\n"
		   "                 print what virtualization detection sees (DIR: a fixture root)\n"
		   "  collect KIND [OPTION]...\n"
		   "                 run a collector on this host (local, container, qemu, ssh,\n"
		   "                 plan, ...: `hvbench collect --help` lists them)\n"
		   "  --help, --version\n\n"
		   "Environment: HVB_ENV (default --env), HVB_MACHINE (default --machine: the\n"
		   "physical machine this environment runs on, written as an info row).\n"
		   "Exit status: 0 ok, 1 a repetition failed, 2 usage error, 3 output error,\n"
		   "4 no such collector (collect), 130 interrupted; a collector's own status.\n");
}

static int detect_cmd(int argc, char **argv)
{
	const char *root = "";
	const char *inj = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
			root = argv[++i];
		else if (strcmp(argv[i], "--cpuid") == 0 && i + 1 < argc)
			inj = argv[++i];
		else if (strcmp(argv[i], "--help") == 0) {
			printf("usage: hvbench detect [--root DIR] [--cpuid BIT:SIGNATURE]\n"
			       "Print the detected virt and container and their evidence.\n"
			       "--root reads /sys, /proc and marker files under DIR (a fixture tree);\n"
			       "--cpuid replaces the CPU's answer, e.g. 1:KVMKVMKVM or 0:, or none\n"
			       "(a CPU without CPUID, as arm64: DMI, device tree, MIDR, virtio decide)\n");
			return HVB_EXIT_OK;
		} else {
			hvb_err("detect: unknown argument \"%s\" (see hvbench detect --help)", argv[i]);
			return HVB_EXIT_USAGE;
		}
	}
	hvb_cpuid cpu, *pc = NULL;
	if (inj && strcmp(inj, "none") == 0) {   /* a CPU without CPUID (arm64) */
		memset(&cpu, 0, sizeof cpu);
		cpu.absent = 1;
		pc = &cpu;
	} else if (inj) {
		if ((inj[0] != '0' && inj[0] != '1') || (inj[1] && inj[1] != ':')) {
			hvb_err("detect: --cpuid: expected BIT:SIGNATURE such as 1:KVMKVMKVM, got \"%s\"", inj);
			return HVB_EXIT_USAGE;
		}
		memset(&cpu, 0, sizeof cpu);
		cpu.hv_bit = inj[0] == '1';
		snprintf(cpu.signature, sizeof cpu.signature, "%s", inj[1] ? inj + 2 : "");
		pc = &cpu;
	}
	hvb_detect d;
	hvb_detect_run(root, pc, &d);
	printf("virt=%s\ncontainer=%s\ncpuid_hv_bit=%d\ncpuid_hv_signature=%s\n"
	       "dmi_sys_vendor=%s\ndmi_product_name=%s\ndmi_bios_vendor=%s\n"
	       "container_evidence=%s\nnote=%s\n",
	       d.virt, d.container, d.cpuid.hv_bit, d.cpuid.signature, d.dmi_sys_vendor,
	       d.dmi_product_name, d.dmi_bios_vendor, d.container_evidence, d.note);
	if (d.cpuid.absent) {
		printf("cpuid=none\ndt_hypervisor_compatible=%s\ndt_fw_cfg=%s\nsys_hypervisor_type=%s\n",
		       d.dt_hypervisor, d.dt_fw_cfg, d.sys_hypervisor);
		if (d.have_midr)
			printf("cpu_midr=implementer 0x%02x part 0x%03x\n", d.midr_implementer, d.midr_part);
		else
			printf("cpu_midr=\n");
		printf("virtio_devices=%d\n", d.virtio_devices);
	}
	return HVB_EXIT_OK;
}

/*
 * The collectors are scripts.  In the repository they are collect/KIND beside
 * bin/; installed (make install) they are PREFIX/libexec/hvbench/KIND beside
 * PREFIX/bin/hvbench.  Both are found from this program's own path, so an
 * installed tree works from any directory and under any DESTDIR.
 * collect_dir fills dir with the first of the two that holds lib.sh.
 */
static int collect_dir(char *dir, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return -1;
	self[n] = 0;
	char *slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = 0;
	static const char *const rel[] = { "../libexec/hvbench", "../collect" };
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		char lib[PATH_MAX + 64];
		snprintf(lib, sizeof lib, "%s/%s/lib.sh", self, rel[i]);
		if (access(lib, R_OK) == 0) {
			snprintf(dir, size, "%s/%s", self, rel[i]);
			return 0;
		}
	}
	snprintf(dir, size, "%s", self);
	return -1;
}

/* A collector's name: letters, digits and '-' only (never a path). */
static int collector_name_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

static int collect_cmd(int argc, char **argv)
{
	char dir[PATH_MAX + 32];
	int found = collect_dir(dir, sizeof dir) == 0;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		FILE *f = argc < 2 ? stderr : stdout;
		fprintf(f, "usage: hvbench collect KIND [OPTION]...\n"
			   "Run the collector KIND on this host: it runs the suite in an environment\n"
			   "(this host, a container, a QEMU guest, an ssh target, a vendor VM) and\n"
			   "files the CSV under DATA/CAMPAIGN/ENV/.  `hvbench collect KIND --help`\n"
			   "gives its options; man hvbench-collect.\n\n");
		if (!found) {
			fprintf(f, "No collectors found beside this program (looked for %s/../libexec/hvbench\n"
				   "and %s/../collect): install with `make install`.\n", dir, dir);
			return argc < 2 ? HVB_EXIT_USAGE : HVB_EXIT_MISSING;
		}
		fprintf(f, "Collectors in %s:\n", dir);
		DIR *d = opendir(dir);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			char p[PATH_MAX * 2];
			struct stat st;
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			if (collector_name_ok(e->d_name) && stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
			    access(p, X_OK) == 0)
				fprintf(f, "  %s\n", e->d_name);
		}
		if (d)
			closedir(d);
		return argc < 2 ? HVB_EXIT_USAGE : HVB_EXIT_OK;
	}
	if (!collector_name_ok(argv[1])) {
		hvb_err("collect: \"%s\" is not a collector name (letters, digits and '-'; see hvbench collect --help)", argv[1]);
		return HVB_EXIT_USAGE;
	}
	if (!found) {
		hvb_err("collect: no collectors found beside this program (looked in %s/../libexec/hvbench and %s/../collect; install with make install)", dir, dir);
		return HVB_EXIT_MISSING;
	}
	char path[PATH_MAX * 2];
	snprintf(path, sizeof path, "%s/%s", dir, argv[1]);
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, X_OK) != 0) {
		hvb_err("collect: no collector \"%s\" in %s (see hvbench collect --help)", argv[1], dir);
		return HVB_EXIT_MISSING;
	}
	argv[1] = path;
	execv(path, argv + 1);
	hvb_err("collect: cannot run %s: %s", path, strerror(errno));
	return HVB_EXIT_MISSING;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return HVB_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return HVB_EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("hvbench %s\n", HVB_VERSION);
		return HVB_EXIT_OK;
	}
	if (strcmp(cmd, "run") == 0)
		return hvb_run_all(argc - 1, argv + 1);
	if (strcmp(cmd, "detect") == 0)
		return detect_cmd(argc - 1, argv + 1);
	if (strcmp(cmd, "collect") == 0)
		return collect_cmd(argc - 1, argv + 1);
	if (strcmp(cmd, "list") == 0) {
		for (size_t i = 0; i < hvb_nbenches; i++)
			printf("%-10s %-6s %s%s\n", hvb_benches[i]->name,
			       hvb_benches[i]->alias ? hvb_benches[i]->alias : "",
			       hvb_benches[i]->not_in_run ? "(not in `hvbench run`) " : "",
			       hvb_benches[i]->summary);
		return HVB_EXIT_OK;
	}
	for (size_t i = 0; i < hvb_nbenches; i++) {
		const hvb_bench *b = hvb_benches[i];
		if (strcmp(cmd, b->name) == 0 || (b->alias && strcmp(cmd, b->alias) == 0))
			return hvb_main(b, argc - 1, argv + 1);
	}
	hvb_err("unknown command \"%s\" (try: hvbench list, hvbench --help)", cmd);
	return HVB_EXIT_USAGE;
}
#endif
