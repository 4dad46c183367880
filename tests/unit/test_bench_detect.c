/*
 * test_bench_detect.c - virtualization/container detection from fixture
 * trees (tests/fixtures/detect/<case>/: DMI strings, marker files, PID 1's
 * environment and cgroup, plus a CPUID file holding the injected
 * "BIT:SIGNATURE").  The expected answers are the table expected.txt.
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
		cpu.hv_bit = line[0] == '1';
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
	T_CHECK("fixture cases", cases >= 19, "only %d cases", cases);
	signatures();
	return t_exit();
}
