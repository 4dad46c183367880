# collect/collect.mk - build rules of the collectors (included by the Makefile).
# The collectors are scripts; what `make` owes them is the static bin/hvbench
# they copy into guests, the Debian kernel collect/qemu boots (fetched by
# `make deps` through DEPS_HOOKS), and `make demo`, which analyzes the sample
# campaign that ships in data/sample/.

DEPS_HOOKS += collect/fetch-kernel

COLLECT_SCRIPTS := collect/local collect/ssh collect/qemu collect/container \
	collect/vbox collect/vmware collect/libvirt collect/telemetry collect/fetch-kernel \
	collect/plan

.PHONY: demo collect-lint kernel install-collect install-man

# ---- make install: the collectors and what they need at run time ----
# PREFIX/libexec/hvbench holds them, as the source tree's collect/ does, plus
# csv.awk and the marker 'installed' that tells lib.sh the layout (programs in
# ../../bin, data in ./data).  `hvbench collect KIND` finds them beside
# PREFIX/bin/hvbench, so the directory is fixed relative to PREFIX.
LIBEXECDIR := $(PREFIX)/libexec/hvbench
MANDIR     ?= $(PREFIX)/share/man
MAN_PAGES  := docs/man/hvbench.1 docs/man/analyze.1 docs/man/hvbench-collect.1
install: install-collect install-man
install-collect:
	install -d $(DESTDIR)$(LIBEXECDIR)/guest $(DESTDIR)$(LIBEXECDIR)/ansible
	install -m 755 $(COLLECT_SCRIPTS) $(DESTDIR)$(LIBEXECDIR)/
	install -m 644 collect/lib.sh bench/csv.awk $(DESTDIR)$(LIBEXECDIR)/
	install -m 755 collect/guest/container-init $(DESTDIR)$(LIBEXECDIR)/guest/
	install -m 644 collect/guest/init collect/guest/suite.sh $(DESTDIR)$(LIBEXECDIR)/guest/
	install -m 644 collect/ansible/playbook.yml collect/ansible/inventory.example $(DESTDIR)$(LIBEXECDIR)/ansible/
	printf 'hvbench installed layout: programs in ../../bin, collectors here\n' > $(DESTDIR)$(LIBEXECDIR)/installed
install-man:
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man1/
# The sample campaign's host is itself a KVM guest in a Docker container, so
# no environment there has virt=none and container=none: the baseline is
# named (data/sample/README.md).
demo: bench bin/analyze
	bin/analyze --baseline host -o report.html --xlsx report.xlsx data/sample
	@test -s report.html && test -s report.xlsx || { echo "demo: report.html or report.xlsx is empty" >&2; exit 1; }
	@echo "demo: wrote report.html and report.xlsx from data/sample"

kernel:
	collect/fetch-kernel

collect-lint:
	shellcheck -x $(wildcard $(COLLECT_SCRIPTS)) collect/lib.sh collect/guest/*.sh

# ---- make bench-telemetry: what the collectors' own sampling costs ----
# The workload (bin/hvbench cpu --quick) without and with each sampler, in
# pairs; wall times, medians, ratio and the sampler's own CPU
# (docs/collect.md, "What telemetry costs").  TELEMETRY_PAIRS=N for more.
TELEMETRY_PAIRS ?= 3
.PHONY: bench-telemetry
bench-telemetry: static-bins
	collect/bench-telemetry.sh --pairs $(TELEMETRY_PAIRS)
