/*
 * arch.c - what differs between the CPU architectures hvbench is built for
 * (see detect.h): the arm64 CPU's name from its MIDR as /proc/cpuinfo shows it
 * (arm64 Linux has no "model name" line), and the generic timer's frequency.
 *
 * The MIDR table is a small one of common parts, with the numbers of Linux's
 * arch/arm64/include/asm/cputype.h; QEMU's TCG "max" CPU has MIDR 0x000f0510
 * (implementer 0x00, "reserved for software use", part 0x051 'Q').  An
 * unknown part is named by its numbers, never guessed.  A cloud CPU is named
 * by its core (AWS Graviton2 is a Neoverse-N1, Graviton3 a Neoverse-V1,
 * Graviton4 a Neoverse-V2); the MIDR cannot tell whose chip the core is in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"

int hvb_midr_read(const char *root, unsigned *implementer, unsigned *part)
{
	char path[1024], line[256];
	int have_imp = 0, have_part = 0;
	snprintf(path, sizeof path, "%s/proc/cpuinfo", root ? root : "");
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	/* The first processor's block: up to its first empty line. */
	while (fgets(line, sizeof line, f) && !(have_imp && have_part)) {
		char *colon = strchr(line, ':');
		if (line[0] == '\n' && (have_imp || have_part))
			break;
		if (!colon)
			continue;
		if (strncmp(line, "CPU implementer", 15) == 0) {
			*implementer = (unsigned)strtoul(colon + 1, NULL, 0);
			have_imp = 1;
		} else if (strncmp(line, "CPU part", 8) == 0) {
			*part = (unsigned)strtoul(colon + 1, NULL, 0);
			have_part = 1;
		}
	}
	fclose(f);
	return have_imp && have_part;
}

static const struct { unsigned imp; const char *name; } implementers[] = {
	{ 0x00, "software (an emulator)" }, { 0x41, "ARM" }, { 0x42, "Broadcom" },
	{ 0x43, "Cavium" }, { 0x46, "Fujitsu" }, { 0x48, "HiSilicon" }, { 0x4e, "NVIDIA" },
	{ 0x50, "APM" }, { 0x51, "Qualcomm" }, { 0x61, "Apple" }, { 0x6d, "Microsoft" },
	{ 0xc0, "Ampere" },
};

static const struct { unsigned imp, part; const char *name; } parts[] = {
	{ 0x00, 0x051, "QEMU TCG 'max' CPU" },
	{ 0x41, 0xd03, "ARM Cortex-A53" },
	{ 0x41, 0xd05, "ARM Cortex-A55" },
	{ 0x41, 0xd07, "ARM Cortex-A57" },
	{ 0x41, 0xd08, "ARM Cortex-A72" },
	{ 0x41, 0xd0b, "ARM Cortex-A76" },
	{ 0x41, 0xd0c, "ARM Neoverse-N1" },
	{ 0x41, 0xd40, "ARM Neoverse-V1" },
	{ 0x41, 0xd41, "ARM Cortex-A78" },
	{ 0x41, 0xd49, "ARM Neoverse-N2" },
	{ 0x41, 0xd4f, "ARM Neoverse-V2" },
	{ 0x41, 0xd84, "ARM Neoverse-V3" },
	{ 0x41, 0xd8e, "ARM Neoverse-N3" },
	{ 0x43, 0x0af, "Cavium ThunderX2" },
	{ 0x46, 0x001, "Fujitsu A64FX" },
	{ 0x61, 0x022, "Apple M1 Icestorm" },
	{ 0x61, 0x023, "Apple M1 Firestorm" },
	{ 0x61, 0x024, "Apple M1 Pro Icestorm" },
	{ 0x61, 0x025, "Apple M1 Pro Firestorm" },
	{ 0x61, 0x028, "Apple M1 Max Icestorm" },
	{ 0x61, 0x029, "Apple M1 Max Firestorm" },
	{ 0x61, 0x032, "Apple M2 Blizzard" },
	{ 0x61, 0x033, "Apple M2 Avalanche" },
	{ 0x6d, 0xd49, "Microsoft Azure Cobalt 100" },
	{ 0xc0, 0xac3, "Ampere AmpereOne" },
	{ 0xc0, 0xac4, "Ampere AmpereOne A" },
};

void hvb_midr_name(unsigned implementer, unsigned part, char *out, size_t n)
{
	const char *name = NULL, *vendor = NULL;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (parts[i].imp == implementer && parts[i].part == part)
			name = parts[i].name;
	for (size_t i = 0; i < sizeof implementers / sizeof implementers[0]; i++)
		if (implementers[i].imp == implementer)
			vendor = implementers[i].name;
	if (name)
		snprintf(out, n, "%s (MIDR implementer 0x%02x part 0x%03x)", name, implementer, part);
	else
		snprintf(out, n, "%s, unknown part (MIDR implementer 0x%02x part 0x%03x)",
			 vendor ? vendor : "unknown implementer", implementer, part);
}

double hvb_timer_freq_hz(void)
{
#if defined(__aarch64__)
	unsigned long f;
	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(f));
	return (double)f;
#else
	return 0;
#endif
}
