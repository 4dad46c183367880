/*
 * test_bench_detect.c - virtualization/container detection from fixture
 * trees (tests/fixtures/detect/<case>/: DMI strings, marker files, PID 1's
 * environment and cgroup, plus a CPUID file holding the injected
 * "BIT:SIGNATURE", or "-" for a CPU without CPUID: arm64, where DMI, the
 * device tree, the MIDR and virtio decide).  The expected answers are the
 * table expected.txt; the sources of the arm64 cases are in README.md there.
 */
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "t.h"

static void check_case(const char *dir, const char *name, const char *virt,
		       const char *container, const char *note)
{
	char root[1024], path[1100], line[64], tn[256];
	snprintf(root, sizeof root, "%s/%s", dir, name);
	snprintf(path, sizeof path, "%s/CPUID", root);
	hvb_cpuid cpu;
	memset(&cpu, 0, sizeof cpu);
	FILE *f = fopen(path, "r");
	T_CHECK(name, f != NULL, "missing %s", path);
	if (!f)
		return;
	if (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (strcmp(line, "-") == 0)
			cpu.absent = 1;
		cpu.hv_bit = line[0] == '1';
		if (!cpu.absent)
			snprintf(cpu.signature, sizeof cpu.signature, "%.12s", line + 2);
	}
	fclose(f);
	hvb_detect d;
	hvb_detect_run(root, &cpu, &d);
	snprintf(tn, sizeof tn, "detect %s: virt", name);
	T_STREQ(tn, d.virt, virt);
	snprintf(tn, sizeof tn, "detect %s: container", name);
	T_STREQ(tn, d.container, container);
	if (strcmp(note, "-") != 0) {
		snprintf(tn, sizeof tn, "detect %s: note", name);
		T_CHECK(tn, strstr(d.note, note) != NULL, "note \"%s\" lacks \"%s\"", d.note, note);
	} else {
		snprintf(tn, sizeof tn, "detect %s: no disagreement note", name);
		T_CHECK(tn, d.note[0] == 0, "unexpected note \"%s\"", d.note);
	}
	if (strcmp(container, "none") != 0) {
		snprintf(tn, sizeof tn, "detect %s: container evidence", name);
		T_CHECK(tn, d.container_evidence[0] != 0, "no evidence for %s", container);
	}
}

static void signatures(void)
{
	static const struct { const char *sig, *virt; } t[] = {
		{ "KVMKVMKVM", "kvm" }, { "TCGTCGTCGTCG", "qemu-tcg" }, { "VMwareVMware", "vmware" },
		{ "VBoxVBoxVBox", "virtualbox" }, { "Microsoft Hv", "hyperv" },
		{ "XenVMMXenVMM", "xen" }, { "bhyve bhyve ", "bhyve" }, { " lrpepyh  vr", "parallels" },
		{ "", "none" }, { "ACRNACRNACRN", "other" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char n[64];
		snprintf(n, sizeof n, "signature \"%s\"", t[i].sig);
		T_STREQ(n, hvb_virt_from_signature(t[i].sig), t[i].virt);
	}
	T_CHECK("dmi: plain hardware names no hypervisor",
		hvb_virt_from_dmi("Dell Inc.", "PowerEdge R640", "Dell Inc.") == NULL, "not NULL");
	T_CHECK("dmi: Microsoft Surface is not Hyper-V",
		hvb_virt_from_dmi("Microsoft Corporation", "Surface Laptop", "Microsoft") == NULL, "not NULL");
	T_CHECK("dmi: an EC2 .metal instance is bare metal",
		hvb_virt_from_dmi("Amazon EC2", "m6g.metal", "Amazon EC2") == NULL, "not NULL");
	T_STREQ("dmi: Amazon EC2 is kvm (Nitro)", hvb_virt_from_dmi("Amazon EC2", "c6g.large", "Amazon EC2"), "kvm");
	T_STREQ("dmi: Apple's Virtualization framework",
		hvb_virt_from_dmi("Apple Inc.", "Apple Virtualization Generic Platform", "Apple Inc."), "apple");
}

/* The MIDR's names (bench/arch.c), exactly, and the raw numbers always. */
static void midr_names(const char *dir)
{
	static const struct { unsigned imp, part; const char *name; } t[] = {
		{ 0x41, 0xd0c, "ARM Neoverse-N1 (MIDR implementer 0x41 part 0xd0c)" },
		{ 0x41, 0xd40, "ARM Neoverse-V1 (MIDR implementer 0x41 part 0xd40)" },
		{ 0x41, 0xd49, "ARM Neoverse-N2 (MIDR implementer 0x41 part 0xd49)" },
		{ 0x41, 0xd08, "ARM Cortex-A72 (MIDR implementer 0x41 part 0xd08)" },
		{ 0x41, 0xd0b, "ARM Cortex-A76 (MIDR implementer 0x41 part 0xd0b)" },
		{ 0x61, 0x023, "Apple M1 Firestorm (MIDR implementer 0x61 part 0x023)" },
		{ 0x61, 0x000, "Apple, unknown part (MIDR implementer 0x61 part 0x000)" },
		{ 0x00, 0x051, "QEMU TCG 'max' CPU (MIDR implementer 0x00 part 0x051)" },
		{ 0x99, 0x123, "unknown implementer, unknown part (MIDR implementer 0x99 part 0x123)" },
	};
	char buf[128], n[64], root[1000];
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		hvb_midr_name(t[i].imp, t[i].part, buf, sizeof buf);
		snprintf(n, sizeof n, "midr name 0x%02x/0x%03x", t[i].imp, t[i].part);
		T_STREQ(n, buf, t[i].name);
	}
	unsigned imp = 1, part = 1;
	snprintf(root, sizeof root, "%s/arm64-qemu-tcg", dir);
	T_CHECK("midr read: QEMU's max CPU", hvb_midr_read(root, &imp, &part) == 1 && imp == 0 &&
		part == 0x51, "read %u 0x%x", imp, part);
	snprintf(root, sizeof root, "%s/arm64-graviton", dir);
	T_CHECK("midr read: Neoverse-N1", hvb_midr_read(root, &imp, &part) == 1 && imp == 0x41 &&
		part == 0xd0c, "read 0x%x 0x%x", imp, part);
	snprintf(root, sizeof root, "%s/kvm", dir);
	T_CHECK("midr read: an x86 fixture has none", hvb_midr_read(root, &imp, &part) == 0, "found one");
}

int main(void)
{
	const char *top = getenv("HVB_TOP");
	char dir[900], path[1000], line[256];
	snprintf(dir, sizeof dir, "%s/tests/fixtures/detect", top ? top : ".");
	snprintf(path, sizeof path, "%s/expected.txt", dir);
	FILE *f = fopen(path, "r");
	T_CHECK("fixture table readable", f != NULL, "cannot open %s", path);
	int cases = 0;
	while (f && fgets(line, sizeof line, f)) {
		char name[64], virt[32], cont[32], note[64];
		if (line[0] == '#' || sscanf(line, "%63s %31s %31s %63[^\n]", name, virt, cont, note) != 4)
			continue;
		check_case(dir, name, virt, cont, note);
		cases++;
	}
	if (f)
		fclose(f);
	T_CHECK("fixture cases", cases >= 31, "only %d cases", cases);
	signatures();
	midr_names(dir);
	return t_exit();
}
