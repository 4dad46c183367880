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
 */
#ifndef HVB_DETECT_H
#define HVB_DETECT_H

typedef struct hvb_cpuid {
	int hv_bit;          /* CPUID.1:ECX bit 31 */
	char signature[13];  /* leaf 0x40000000 EBX,ECX,EDX; "" if none */
} hvb_cpuid;

typedef struct hvb_detect {
	const char *virt;       /* none kvm qemu-tcg vmware virtualbox hyperv xen parallels bhyve other */
	const char *container;  /* none docker podman lxc systemd-nspawn wsl other */
	hvb_cpuid cpuid;
	char dmi_sys_vendor[128];
	char dmi_product_name[128];
	char dmi_bios_vendor[128];
	char container_evidence[256]; /* e.g. "/.dockerenv exists" */
	char note[256];               /* e.g. "CPUID says kvm, DMI says virtualbox: DMI decides" */
} hvb_detect;

/* Read the real CPUID of this CPU (x86; elsewhere hv_bit 0 and ""). */
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

#endif
