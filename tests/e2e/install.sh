#!/bin/bash
# tests/e2e/install.sh - `make install` gives a whole tool: into a DESTDIR, the
# programs, the collectors with what they need at run time, and three man
# pages; then, from another directory and with only the installed files on
# PATH (no HVB_* pointing into the source tree), `hvbench collect local`
# files a run under ./data, `analyze` reads it, the installed Ansible
# playbook runs against localhost, and `hvbench collect` refuses bad names.
# The man pages render without groff warnings and name every option the
# programs' --help lists.
. "$(dirname "$0")/../lib.sh"

dest=$T_TMP/dest
P=/opt/hvb
# The test may run under `make check`: the sub-make must not inherit its
# flags (SAN=1, the jobserver).
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$HVB_TOP" install SAN=0 DESTDIR="$dest" PREFIX="$P" >"$T_TMP/make.out" 2>&1
rc=$?
if [ "$rc" = 0 ]; then pass install_exit_0; else fail install_exit_0 "make install exit $rc: $(tail -n 5 "$T_TMP/make.out")"; t_done; fi
root=$dest$P
missing=""
for f in bin/hvbench bin/analyze bin/forkbench bin/pipebench bin/netbench bin/membench bin/iobench \
	bin/cpubench bin/timebench bin/nullbench \
	libexec/hvbench/local libexec/hvbench/container libexec/hvbench/qemu libexec/hvbench/ssh \
	libexec/hvbench/vbox libexec/hvbench/vmware libexec/hvbench/libvirt libexec/hvbench/plan \
	libexec/hvbench/telemetry libexec/hvbench/fetch-kernel libexec/hvbench/lib.sh \
	libexec/hvbench/csv.awk libexec/hvbench/installed libexec/hvbench/guest/init \
	libexec/hvbench/guest/suite.sh libexec/hvbench/guest/container-init \
	libexec/hvbench/ansible/playbook.yml libexec/hvbench/ansible/inventory.example \
	share/man/man1/hvbench.1 share/man/man1/analyze.1 share/man/man1/hvbench-collect.1; do
	[ -s "$root/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then pass install_files; else fail install_files "missing under $root:$missing"; fi
notx=""
for f in bin/hvbench bin/analyze libexec/hvbench/local libexec/hvbench/plan libexec/hvbench/qemu libexec/hvbench/guest/container-init; do
	[ -x "$root/$f" ] || notx="$notx $f"
done
if [ -z "$notx" ]; then pass install_modes; else fail install_modes "not executable:$notx"; fi

# From another directory, only the installed tree: nothing of the source tree
# on PATH or in the environment.
work=$T_TMP/work
mkdir -p "$work"
ienv=(env -u HVB_TOP -u HVB_BIN -u HVB_STATIC_BIN -u HVB_BUILD_DIR -u HVB_DATA -u HVB_SAN
	PATH="$root/bin:/usr/sbin:/usr/bin:/sbin:/bin" HOME="$T_TMP")
(cd "$work" && "${ienv[@]}" hvbench collect local --quick --bench fork,time --env inst >"$T_TMP/c.out" 2>"$T_TMP/c.err")
rc=$?
# got_csv NAME RC DIR GLOB BENCHES WHY: GOT is the first CSV named GLOB under
# DIR; NAME passes when the run exited 0 and GOT holds exactly BENCHES.
got_csv() {
	GOT=$(find "$3" -name "$4" 2>/dev/null | head -n 1)
	if [ "$2" = 0 ] && [ -n "$GOT" ] && [ "$(bench_names "$GOT")" = "$5" ]; then
		pass "$1"
	else
		fail "$1" "exit $2, csv '$GOT': $6"
	fi
}
got_csv installed_collect_local "$rc" "$work/data/default/inst" '*_inst_*.csv' "forkbench timebench " "$(tail -n 5 "$T_TMP/c.err")"
csv=$GOT
# The run used the installed hvbench (its path is in the .meta), not bin/ of the tree.
if [ -n "$csv" ] && grep -qx "hvbench=$root/bin/hvbench" "${csv%.csv}.meta"; then
	pass installed_collect_uses_installed_hvbench
else
	fail installed_collect_uses_installed_hvbench "$(grep '^hvbench' "${csv%.csv}.meta" 2>/dev/null | head -n 3 | tr '\n' ' ')"
fi
(cd "$work" && "${ienv[@]}" analyze --text data >"$T_TMP/a.out" 2>"$T_TMP/a.err")
rc=$?
if [ "$rc" = 0 ] && grep -q 'forkbench' "$T_TMP/a.out" && grep -q ' inst ' "$T_TMP/a.out"; then
	pass installed_analyze
else
	fail installed_analyze "exit $rc: $(head -n 5 "$T_TMP/a.err")"
fi
(cd "$work" && "${ienv[@]}" analyze -o report.html data 2>"$T_TMP/h.err")
rc=$?
if [ "$rc" = 0 ] && grep -q '</html>' "$work/report.html"; then pass installed_analyze_html; else fail installed_analyze_html "exit $rc: $(head -n 3 "$T_TMP/h.err")"; fi

# hvbench collect: the list, an unknown collector (exit 4), a path (exit 2).
(cd "$work" && "${ienv[@]}" hvbench collect --help >"$T_TMP/l.out" 2>&1)
rc=$?
if [ "$rc" = 0 ] && grep -qx "Collectors in $root/bin/../libexec/hvbench:" "$T_TMP/l.out" &&
	grep -qx '  plan' "$T_TMP/l.out" && grep -qx '  qemu' "$T_TMP/l.out" && ! grep -qx '  lib.sh' "$T_TMP/l.out"; then
	pass collect_help_lists
else
	fail collect_help_lists "exit $rc: $(tr '\n' '|' <"$T_TMP/l.out")"
fi
"${ienv[@]}" hvbench collect nosuch >/dev/null 2>"$T_TMP/e.err"
rc=$?
if [ "$rc" = 4 ] && grep -q "no collector \"nosuch\" in $root/bin/../libexec/hvbench" "$T_TMP/e.err"; then pass collect_unknown_exit_4; else fail collect_unknown_exit_4 "exit $rc: $(cat "$T_TMP/e.err")"; fi
"${ienv[@]}" hvbench collect ../bin/hvbench >/dev/null 2>"$T_TMP/e.err"
rc=$?
if [ "$rc" = 2 ] && grep -q 'is not a collector name' "$T_TMP/e.err"; then pass collect_path_exit_2; else fail collect_path_exit_2 "exit $rc: $(cat "$T_TMP/e.err")"; fi
"${ienv[@]}" hvbench collect >/dev/null 2>"$T_TMP/e.err"
rc=$?
if [ "$rc" = 2 ] && grep -q '^usage: hvbench collect KIND' "$T_TMP/e.err"; then pass collect_no_kind_exit_2; else fail collect_no_kind_exit_2 "exit $rc"; fi
# In the source tree the same command finds collect/.
"$HVB_STATIC_BIN/hvbench" collect --help >"$T_TMP/l.out" 2>&1
if grep -qx "Collectors in $HVB_STATIC_BIN/../collect:" "$T_TMP/l.out"; then pass collect_in_tree; else fail collect_in_tree "$(head -n 8 "$T_TMP/l.out" | tr '\n' '|')"; fi

# The installed playbook: its suite runner and hvbench come from the tree it
# is in, its data dir is ./data.
if command -v ansible-playbook >/dev/null; then
	cat >"$T_TMP/inventory" <<EOI
localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3 hvb_env=ans
EOI
	(cd "$work" && "${ienv[@]}" ANSIBLE_NOCOLOR=1 ANSIBLE_LOCAL_TEMP="$T_TMP/al" ANSIBLE_REMOTE_TEMP="$T_TMP/ar" \
		ANSIBLE_RETRY_FILES_ENABLED=0 ansible-playbook -i "$T_TMP/inventory" "$root/libexec/hvbench/ansible/playbook.yml" \
		-e hvb_quick=true -e hvb_benches=time >"$T_TMP/ans.out" 2>&1)
	rc=$?
	got_csv installed_playbook "$rc" "$work/data/default/ans" 'localhost_ans_*.csv' "timebench " \
		"$(grep -E 'fatal|FAILED|ERROR' "$T_TMP/ans.out" | head -n 3)"
else
	fail installed_playbook "no ansible-playbook (Debian ansible; make deps)"
fi

# Man pages: render without warnings; every option of --help is in the page.
man_dir=$root/share/man/man1
for p in hvbench analyze hvbench-collect; do
	if LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$man_dir/$p.1" >"$T_TMP/g.err" 2>&1 && [ ! -s "$T_TMP/g.err" ]; then
		pass "man_${p}_renders"
	else
		fail "man_${p}_renders" "$(head -n 3 "$T_TMP/g.err")"
	fi
done
# opts_missing PAGE HELP-TEXT-FILE: the --options of the help not in the page.
opts_missing() {
	local page o miss=""
	page=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$1")
	for o in $(grep -oE -- '--[a-z][a-z0-9-]*' "$2" | sort -u); do
		printf '%s\n' "$page" | grep -qF -- "$o" || miss="$miss $o"
	done
	printf '%s' "$miss"
}
{ "$root/bin/hvbench" --help; "$root/bin/hvbench" run --help; "$root/bin/hvbench" detect --help; } >"$T_TMP/h1" 2>&1
m=$(opts_missing "$man_dir/hvbench.1" "$T_TMP/h1")
if [ -z "$m" ]; then pass man_hvbench_options; else fail man_hvbench_options "not in hvbench.1:$m"; fi
"$root/bin/analyze" --help >"$T_TMP/h2" 2>&1
m=$(opts_missing "$man_dir/analyze.1" "$T_TMP/h2")
if [ -z "$m" ]; then pass man_analyze_options; else fail man_analyze_options "not in analyze.1:$m"; fi
: >"$T_TMP/h3"
nomiss=""
for c in local container qemu ssh vbox vmware libvirt plan telemetry fetch-kernel; do
	"$root/libexec/hvbench/$c" --help >>"$T_TMP/h3" 2>&1
	grep -q "^\.B $(printf '%s' "$c" | sed 's/-/\\\\-/g')\$" "$man_dir/hvbench-collect.1" || nomiss="$nomiss $c"
done
if [ -z "$nomiss" ]; then pass man_collect_names; else fail man_collect_names "no '.B NAME' entry for:$nomiss"; fi
m=$(opts_missing "$man_dir/hvbench-collect.1" "$T_TMP/h3")
if [ -z "$m" ]; then pass man_collect_options; else fail man_collect_options "not in hvbench-collect.1:$m"; fi
t_done
