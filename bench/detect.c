/*
 * detect.c - virtualization and container detection (see detect.h).
 *
 * The tables below are the whole knowledge: CPUID leaf 0x40000000 vendor
 * signatures, DMI strings of the hypervisors' virtual firmware, and the
 * container runtimes' markers.  Sources: the vendors' documented signatures
 * (also used by systemd-detect-virt and virt-what).  Without CPUID (arm64),
 * virt_without_cpuid() below; tests/fixtures/detect/README.md cites the
 * source of each rule and fixture.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "detect.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

void hvb_cpuid_read(hvb_cpuid *out)
{
	memset(out, 0, sizeof *out);
#if !defined(__x86_64__) && !defined(__i386__)
	out->absent = 1;
#else
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d))
		return;
	out->hv_bit = (c >> 31) & 1;
	if (!out->hv_bit)
		return;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(out->signature, &b, 4);
	memcpy(out->signature + 4, &c, 4);
	memcpy(out->signature + 8, &d, 4);
	out->signature[12] = 0;
#endif
}

static const struct { const char *sig; const char *virt; } sigs[] = {
	{ "KVMKVMKVM", "kvm" },
	{ "TCGTCGTCGTCG", "qemu-tcg" },
	{ "VMwareVMware", "vmware" },
	{ "VBoxVBoxVBox", "virtualbox" },
	{ "Microsoft Hv", "hyperv" },
	{ "XenVMMXenVMM", "xen" },
	{ "bhyve bhyve ", "bhyve" },
	{ " lrpepyh  vr", "parallels" }, /* "prl hyperv  " byte-swapped, as Parallels exposes it */
	{ "prl hyperv  ", "parallels" },
};

const char *hvb_virt_from_signature(const char *sig)
{
	if (!sig || !*sig)
		return "none";
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (strncmp(sig, sigs[i].sig, strlen(sigs[i].sig)) == 0)
			return sigs[i].virt;
	return "other";
}

/* DMI strings that name a hypervisor.  "QEMU" firmware serves both KVM and
 * TCG guests, so it maps to "qemu" and CPUID tells which (see below). */
static const struct { const char *field, *match, *virt; } dmis[] = {
	{ "product", "VirtualBox", "virtualbox" },
	{ "vendor", "innotek GmbH", "virtualbox" },
	{ "vendor", "Oracle Corporation", NULL }, /* also Oracle hardware: product decides */
	{ "vendor", "VMware", "vmware" },
	{ "product", "VMware", "vmware" },
	{ "vendor", "QEMU", "qemu" },
	{ "product", "Standard PC (", "qemu" },
	{ "product", "KVM", "kvm" },
	{ "vendor", "Xen", "xen" },
	{ "product", "HVM domU", "xen" },
	{ "vendor", "Parallels", "parallels" },
	{ "product", "Parallels", "parallels" },
	{ "vendor", "BHYVE", "bhyve" },
	{ "bios", "BHYVE", "bhyve" },
	{ "product", "Virtual Machine", "hyperv" }, /* with vendor Microsoft, checked below */
	{ "product", "Apple Virtualization", "apple" }, /* Apple's Virtualization framework */
	{ "vendor", "Amazon EC2", "kvm" },  /* Nitro; a *.metal product is bare metal, below */
};

const char *hvb_virt_from_dmi(const char *vendor, const char *product, const char *bios)
{
	for (size_t i = 0; i < sizeof dmis / sizeof dmis[0]; i++) {
		const char *f = strcmp(dmis[i].field, "vendor") == 0 ? vendor
			: strcmp(dmis[i].field, "product") == 0 ? product : bios;
		if (!f || !dmis[i].virt || strncasecmp(f, dmis[i].match, strlen(dmis[i].match)) != 0)
			continue;
		if (strcmp(dmis[i].virt, "hyperv") == 0 &&
		    (!vendor || strncmp(vendor, "Microsoft", 9) != 0))
			continue;
		if (strcmp(dmis[i].match, "Amazon EC2") == 0 && product && strstr(product, ".metal"))
			return NULL; /* an EC2 bare-metal instance (m6g.metal, c5.metal) */
		return dmis[i].virt;
	}
	return NULL;
}

static void read_under(const char *root, const char *path, char *buf, size_t n)
{
	char full[1024];
	snprintf(full, sizeof full, "%s%s", root, path);
	buf[0] = 0;
	FILE *f = fopen(full, "r");
	if (!f)
		return;
	size_t r = fread(buf, 1, n - 1, f);
	buf[r] = 0;
	fclose(f);
	while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == ' ' || buf[r - 1] == '\r'))
		buf[--r] = 0;
}

static int exists_under(const char *root, const char *path)
{
	char full[1024];
	snprintf(full, sizeof full, "%s%s", root, path);
	FILE *f = fopen(full, "r");
	if (f) {
		fclose(f);
		return 1;
	}
	return 0;
}

/* PID 1's "container=" environment variable (set by systemd-nspawn, lxc, podman). */
static void pid1_container(const char *root, char *out, size_t n)
{
	char full[1024], buf[8192];
	snprintf(full, sizeof full, "%s/proc/1/environ", root);
	out[0] = 0;
	FILE *f = fopen(full, "r");
	if (!f)
		return;
	size_t r = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[r] = 0;
	for (size_t i = 0; i < r; i += strlen(buf + i) + 1)
		if (strncmp(buf + i, "container=", 10) == 0) {
			snprintf(out, n, "%s", buf + i + 10);
			return;
		}
}

static const char *container_from_name(const char *v)
{
	static const char *known[] = { "docker", "podman", "lxc", "systemd-nspawn", "wsl" };
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(v, known[i]) == 0)
			return known[i];
	if (strcmp(v, "lxc-libvirt") == 0)
		return "lxc";
	if (strcmp(v, "oci") == 0)
		return "podman";
	return "other";
}

static void detect_container(const char *root, hvb_detect *d)
{
	char buf[4096], env[128];
	d->container = "none";
	pid1_container(root, env, sizeof env);
	if (exists_under(root, "/.dockerenv")) {
		d->container = "docker";
		snprintf(d->container_evidence, sizeof d->container_evidence, "/.dockerenv exists");
		return;
	}
	if (exists_under(root, "/run/.containerenv")) {
		d->container = "podman";
		snprintf(d->container_evidence, sizeof d->container_evidence,
			 "/run/.containerenv exists");
		return;
	}
	if (env[0]) {
		d->container = container_from_name(env);
		snprintf(d->container_evidence, sizeof d->container_evidence,
			 "PID 1 environment container=%s", env);
		return;
	}
	read_under(root, "/proc/1/cgroup", buf, sizeof buf);
	static const struct { const char *m, *c; } cg[] = {
		{ "/docker/", "docker" }, { "docker-", "docker" }, { "libpod", "podman" },
		{ "/lxc/", "lxc" }, { "lxc.payload", "lxc" }, { "machine.slice/machine-", "systemd-nspawn" },
		{ "kubepods", "other" },
	};
	for (size_t i = 0; i < sizeof cg / sizeof cg[0]; i++)
		if (strstr(buf, cg[i].m)) {
			d->container = cg[i].c;
			snprintf(d->container_evidence, sizeof d->container_evidence,
				 "/proc/1/cgroup contains \"%s\"", cg[i].m);
			return;
		}
	read_under(root, "/proc/sys/kernel/osrelease", buf, sizeof buf);
	if (strcasestr(buf, "microsoft") || strcasestr(buf, "WSL")) {
		d->container = "wsl";
		snprintf(d->container_evidence, sizeof d->container_evidence,
			 "kernel release \"%.200s\" is WSL's", buf);
	}
}

/* The arm64 (and any non-x86) evidence: device tree, /sys/hypervisor, MIDR, virtio. */
static void read_nocpuid_evidence(const char *root, hvb_detect *d)
{
	char full[1024];
	read_under(root, "/proc/device-tree/hypervisor/compatible", d->dt_hypervisor,
		   sizeof d->dt_hypervisor);
	read_under(root, "/sys/hypervisor/type", d->sys_hypervisor, sizeof d->sys_hypervisor);
	snprintf(full, sizeof full, "%s/proc/device-tree", root);
	DIR *dir = opendir(full);
	for (struct dirent *e; dir && (e = readdir(dir));)
		if (strstr(e->d_name, "fw-cfg")) {
			snprintf(d->dt_fw_cfg, sizeof d->dt_fw_cfg, "%.63s", e->d_name);
			break;
		}
	if (dir)
		closedir(dir);
	snprintf(full, sizeof full, "%s/sys/bus/virtio/devices", root);
	dir = opendir(full);
	for (struct dirent *e; dir && (e = readdir(dir));)
		d->virtio_devices += e->d_name[0] != '.';
	if (dir)
		closedir(dir);
	d->have_midr = hvb_midr_read(root, &d->midr_implementer, &d->midr_part);
}

/* QEMU (DMI or the device tree's fw-cfg said so) without CPUID: the accelerator.
 * QEMU's own SMBIOS names KVM ("KVM Virtual Machine"); its TCG "max" CPU has the
 * software implementer 0x00; a real CPU's MIDR without "KVM" in DMI is KVM when
 * only the device tree spoke (no firmware tables), else QEMU without KVM on a
 * real CPU (Apple's HVF) or TCG emulating a named CPU: "other". */
static const char *qemu_accel(hvb_detect *d, const char *why)
{
	if (strncmp(d->dmi_product_name, "KVM", 3) == 0)
		return "kvm";
	if (!d->have_midr) {
		snprintf(d->note, sizeof d->note, "%s and /proc/cpuinfo has no MIDR: taken as qemu-tcg", why);
		return "qemu-tcg";
	}
	if (d->midr_implementer == 0)
		return "qemu-tcg";
	if (d->dmi_sys_vendor[0]) {
		snprintf(d->note, sizeof d->note, "%s, DMI product \"%.60s\" is not KVM's and the CPU is a "
			 "real one (MIDR implementer 0x%02x): QEMU with HVF, or TCG emulating a named "
			 "CPU: other", why, d->dmi_product_name, d->midr_implementer);
		return "other";
	}
	snprintf(d->note, sizeof d->note, "%s and the CPU is a real one (MIDR implementer 0x%02x "
		 "part 0x%03x): taken as kvm (TCG emulating a named CPU looks the same)", why,
		 d->midr_implementer, d->midr_part);
	return "kvm";
}

/* No CPUID (arm64): systemd-detect-virt's order (src/basic/virt.c detect_vm):
 * DMI, /sys/hypervisor/type, the device tree, then the virtio devices. */
static const char *virt_without_cpuid(hvb_detect *d, const char *by_dmi)
{
	if (by_dmi && strcmp(by_dmi, "qemu") == 0)
		return qemu_accel(d, "DMI says QEMU");
	if (by_dmi)
		return by_dmi;
	if (d->sys_hypervisor[0])
		return strcmp(d->sys_hypervisor, "xen") == 0 ? "xen" : "other";
	if (d->dt_hypervisor[0]) {
		if (strcmp(d->dt_hypervisor, "linux,kvm") == 0)
			return "kvm";
		if (strstr(d->dt_hypervisor, "xen"))
			return "xen";
		if (strstr(d->dt_hypervisor, "vmware"))
			return "vmware";
		return "other";
	}
	if (d->dt_fw_cfg[0])
		return qemu_accel(d, "the device tree has QEMU's fw-cfg node");
	if (d->virtio_devices) {
		snprintf(d->note, sizeof d->note, "no DMI, /sys/hypervisor or device-tree evidence, but "
			 "%d virtio devices: a virtual machine of an unnamed hypervisor", d->virtio_devices);
		return "other";
	}
	return "none";
}

void hvb_detect_run(const char *root, const hvb_cpuid *cpuid, hvb_detect *d)
{
	memset(d, 0, sizeof *d);
	if (!root || strcmp(root, "/") == 0)
		root = "";
	if (cpuid)
		d->cpuid = *cpuid;
	else
		hvb_cpuid_read(&d->cpuid);
	read_under(root, "/sys/class/dmi/id/sys_vendor", d->dmi_sys_vendor, sizeof d->dmi_sys_vendor);
	read_under(root, "/sys/class/dmi/id/product_name", d->dmi_product_name,
		   sizeof d->dmi_product_name);
	read_under(root, "/sys/class/dmi/id/bios_vendor", d->dmi_bios_vendor,
		   sizeof d->dmi_bios_vendor);
	read_nocpuid_evidence(root, d);
	if (d->cpuid.absent) {
		d->virt = virt_without_cpuid(d, hvb_virt_from_dmi(d->dmi_sys_vendor, d->dmi_product_name,
								 d->dmi_bios_vendor));
		detect_container(root, d);
		return;
	}

	const char *by_cpuid = d->cpuid.hv_bit ? hvb_virt_from_signature(d->cpuid.signature) : "none";
	if (d->cpuid.hv_bit && strcmp(by_cpuid, "none") == 0)
		by_cpuid = "other"; /* hypervisor bit without a signature */
	const char *by_dmi = hvb_virt_from_dmi(d->dmi_sys_vendor, d->dmi_product_name,
					       d->dmi_bios_vendor);
	d->virt = by_cpuid;
	if (by_dmi && strcmp(by_dmi, "qemu") == 0) {
		/* QEMU firmware: KVM or TCG, CPUID tells; no hypervisor bit is TCG without it. */
		if (strcmp(by_cpuid, "kvm") != 0 && strcmp(by_cpuid, "qemu-tcg") != 0) {
			d->virt = strcmp(by_cpuid, "none") == 0 || strcmp(by_cpuid, "other") == 0
				? "qemu-tcg" : by_cpuid;
			if (strcmp(d->virt, "qemu-tcg") == 0)
				snprintf(d->note, sizeof d->note,
					 "DMI says QEMU and CPUID names no accelerator (%s): taken as qemu-tcg",
					 d->cpuid.signature[0] ? d->cpuid.signature : "no signature");
		}
	} else if (by_dmi && strcmp(by_dmi, by_cpuid) != 0) {
		/* VirtualBox/Parallels with KVM or Hyper-V paravirtualization expose the
		 * other hypervisor's signature; the firmware tells the product. */
		snprintf(d->note, sizeof d->note,
			 "CPUID says %s (\"%s\"), DMI says %s (\"%.60s\" / \"%.60s\"): DMI decides",
			 by_cpuid, d->cpuid.signature, by_dmi, d->dmi_sys_vendor, d->dmi_product_name);
		d->virt = by_dmi;
	}
	detect_container(root, d);
}
