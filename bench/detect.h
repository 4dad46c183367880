/*
 * detect.h - which hypervisor and which container layer this process runs in.
 *
 * Evidence: the CPUID hypervisor bit and the leaf 0x40000000 vendor signature,
 * the DMI strings of /sys/class/dmi/id, and container markers (/.dockerenv,
 * /run/.containerenv, container= in PID 1's environment, /proc/1/cgroup,
 * WSL's kernel release).  All paths are read under `root` so tests point the
 * detector at a fixture tree (tests/fixtures/detect/<case>/), and the CPUID
 * result can be injected, so every hypervisor is covered without owning it.
 *
 * Rule: CPUID names the hypervisor; where DMI names a different one (VirtualBox
 * with KVM paravirtualization exposes KVMKVMKVM), DMI decides and `note` says so.
 *
 * Without CPUID (arm64 and every other non-x86 CPU) the evidence is, in this
 * order, as systemd-detect-virt reads it (src/basic/virt.c): DMI (UEFI guests),
 * /sys/hypervisor/type, the device tree's /proc/device-tree/hypervisor/
 * compatible and its fw-cfg node (QEMU), then the CPU's MIDR from /proc/cpuinfo
 * (QEMU's TCG "max" CPU has the software implementer 0x00) to tell QEMU's TCG
 * from KVM, and last the virtio devices of /sys/bus/virtio/devices
 * (tests/fixtures/detect/README.md names the sources of each rule).
 */
#ifndef HVB_DETECT_H
#define HVB_DETECT_H

#include <stddef.h>

typedef struct hvb_cpuid {
	int hv_bit;          /* CPUID.1:ECX bit 31 */
	char signature[13];  /* leaf 0x40000000 EBX,ECX,EDX; "" if none */
	int absent;          /* 1: this CPU has no CPUID instruction (not x86) */
} hvb_cpuid;

typedef struct hvb_detect {
	const char *virt;       /* none kvm qemu-tcg vmware virtualbox hyperv xen parallels bhyve apple other */
	const char *container;  /* none docker podman lxc systemd-nspawn wsl other */
	hvb_cpuid cpuid;
	char dmi_sys_vendor[128];
	char dmi_product_name[128];
	char dmi_bios_vendor[128];
	char container_evidence[256]; /* e.g. "/.dockerenv exists" */
	char note[256];               /* e.g. "CPUID says kvm, DMI says virtualbox: DMI decides" */
	/* Evidence read where there is no CPUID (read everywhere, used only then). */
	char dt_hypervisor[128];      /* /proc/device-tree/hypervisor/compatible, first string */
	char dt_fw_cfg[64];           /* the name of a /proc/device-tree/fw-cfg* node (QEMU), or "" */
	char sys_hypervisor[64];      /* /sys/hypervisor/type */
	int have_midr;                /* /proc/cpuinfo has "CPU implementer" and "CPU part" */
	unsigned midr_implementer, midr_part;
	int virtio_devices;           /* entries of /sys/bus/virtio/devices */
} hvb_detect;

/* Read the real CPUID of this CPU (x86; elsewhere absent 1, hv_bit 0 and ""). */
void hvb_cpuid_read(hvb_cpuid *out);
/*
 * Detect under root ("" or "/" for the live system).  cpuid: NULL reads the
 * real CPU.  Never fails; unreadable evidence counts as absent.
 */
void hvb_detect_run(const char *root, const hvb_cpuid *cpuid, hvb_detect *out);
/* Map a CPUID signature to a virt name ("other" for unknown, "none" for ""). */
const char *hvb_virt_from_signature(const char *sig);
/* Map DMI vendor/product to a virt name, or NULL when DMI names no hypervisor. */
const char *hvb_virt_from_dmi(const char *vendor, const char *product, const char *bios);

/*
 * arch.c: what differs between CPU architectures.
 * hvb_midr_read: the first CPU's "CPU implementer" and "CPU part" of
 * root/proc/cpuinfo (arm64); 1 when both were found.
 * hvb_midr_name: a readable CPU name for them from a small table (Neoverse,
 * Cortex, Apple, Ampere, QEMU's "max"), else "implementer 0x.. part 0x...";
 * always followed by the raw "(MIDR implementer 0x.. part 0x...)".
 * hvb_timer_freq_hz: the generic timer's frequency (CNTFRQ_EL0 read with mrs)
 * on aarch64; 0 elsewhere, where there is none to read.
 * HVB_ARCH_NAME: the architecture this program was built for ("x86_64",
 * "aarch64"), as uname -m names it.
 */
int hvb_midr_read(const char *root, unsigned *implementer, unsigned *part);
void hvb_midr_name(unsigned implementer, unsigned part, char *out, size_t n);
double hvb_timer_freq_hz(void);
#if defined(__x86_64__)
#define HVB_ARCH_NAME "x86_64"
#elif defined(__aarch64__)
#define HVB_ARCH_NAME "aarch64"
#elif defined(__i386__)
#define HVB_ARCH_NAME "i386"
#else
#define HVB_ARCH_NAME "other"
#endif

#endif
