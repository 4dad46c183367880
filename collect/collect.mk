# collect/collect.mk - build rules of the collectors (included by the Makefile).
# The collectors are scripts; what `make` owes them is the static bin/hvbench
# they copy into guests, the Debian kernel collect/qemu boots (fetched by
# `make deps` through DEPS_HOOKS), and `make demo`, which analyzes the sample
# campaign that ships in data/sample/.

DEPS_HOOKS += collect/fetch-kernel

COLLECT_SCRIPTS := collect/local collect/ssh collect/qemu collect/container \
	collect/vbox collect/vmware collect/libvirt collect/telemetry collect/fetch-kernel \
	collect/plan

.PHONY: demo collect-lint kernel
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
