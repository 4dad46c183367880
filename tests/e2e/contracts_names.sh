#!/bin/bash
# tests/e2e/contracts_names.sh - names that become paths (--campaign '' too):
# a campaign or environment name becomes one directory under the data dir,
# so '.', '..', '' and names with '/' are refused by every collector that
# turns one into a path (collect/lib.sh for local and the others,
# collect/ssh's TARGET=ENV and hosts file, collect/plan's labels, the Ansible
# playbook), exit 2 with a message naming the option and the value, and
# nothing written.  An ssh target that starts with '-' is refused (it would
# reach ssh/scp as an option), and every ssh/scp call passes '--' before the
# destination (a logging ssh/scp on PATH shows the argument vectors).
. "$(dirname "$0")/../lib.sh"

BIN=$HVB_STATIC_BIN/hvbench
C=$HVB_TOP/collect

# refused NAME WANT_MSG CMD...: exit 2, nothing on stdout, exactly WANT_MSG as
# the first line of stderr, and nothing created next to or under $T_TMP/w/data.
refused() {
	local n=$1 want=$2 rc out err
	shift 2
	rm -rf "$T_TMP/w"
	mkdir -p "$T_TMP/w/data/sub"
	(cd "$T_TMP/w/data/sub" && "$@") >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	out=$(cat "$T_TMP/out")
	err=$(head -n 1 "$T_TMP/err")
	left=$(cd "$T_TMP/w" && find . -mindepth 1 | sort | tr '\n' ' ')
	if [ "$rc" = 2 ] && [ -z "$out" ] && [ "$err" = "$want" ] && [ "$left" = "./data ./data/sub " ]; then
		pass "$n"
	else
		fail "$n" "exit $rc (want 2), stdout '$out', stderr '$err' (want '$want'), files: $left"
	fi
}
D=(--data "$T_TMP/w/data/sub" --hvbench "$BIN" --quick --bench time)
L="$C/local"
refused names_local_campaign_dotdot "collect/local: --campaign: '..' is not a name (it would write outside the data dir)" \
	"$L" "${D[@]}" --campaign .. --env x
refused names_local_env_dotdot "collect/local: --env: '..' is not a name (it would write outside the data dir)" \
	"$L" "${D[@]}" --campaign c --env ..
refused names_local_campaign_dot "collect/local: --campaign: '.' is not a name (it would write outside the data dir)" \
	"$L" "${D[@]}" --campaign . --env x
refused names_local_env_dot "collect/local: --env: '.' is not a name (it would write outside the data dir)" \
	"$L" "${D[@]}" --campaign c --env .
refused names_local_campaign_empty "collect/local: --campaign: the name is empty" \
	"$L" "${D[@]}" --campaign '' --env x
refused names_local_env_empty "collect/local: --env: the name is empty" \
	"$L" "${D[@]}" --campaign c --env ''
refused names_local_campaign_slash "collect/local: --campaign: 'a/../..' may hold only letters, digits, '.', '_' and '-'" \
	"$L" "${D[@]}" --campaign a/../.. --env x
# The same options through the shared library in another collector.
refused names_container_campaign_dotdot "collect/container: --campaign: '..' is not a name (it would write outside the data dir)" \
	"$C/container" "${D[@]}" --campaign .. --env x

# collect/ssh: the ENV of TARGET=ENV, of a hosts file, and the default
# taken from the target's own name.
S="$C/ssh"
refused names_ssh_target_env_dotdot "collect/ssh: target '127.0.0.1': ENV: '..' is not a name (it would write outside the data dir)" \
	"$S" "${D[@]}" --campaign c 127.0.0.1=..
refused names_ssh_target_env_empty "collect/ssh: target '127.0.0.1': ENV: the name is empty" \
	"$S" "${D[@]}" --campaign c 127.0.0.1=
refused names_ssh_target_name_dotdot "collect/ssh: target '..': ENV (from the target's name): '..' is not a name (it would write outside the data dir)" \
	"$S" "${D[@]}" --campaign c ..
printf 'localhost ..\n' >"$T_TMP/hosts.dotdot"
refused names_ssh_hosts_env_dotdot "collect/ssh: target 'localhost': ENV: '..' is not a name (it would write outside the data dir)" \
	"$S" "${D[@]}" --campaign c --hosts "$T_TMP/hosts.dotdot"
refused names_ssh_campaign_empty "collect/ssh: --campaign: the name is empty" \
	"$S" "${D[@]}" --campaign '' localhost=x

# collect/plan: a label, and the campaign.
refused names_plan_label_dotdot "collect/plan: '..=local': the label: '..' is not a name (it would write outside the data dir)" \
	"$C/plan" "${D[@]}" --campaign c ..=local
refused names_plan_label_empty "collect/plan: '=local': the label: the name is empty" \
	"$C/plan" "${D[@]}" --campaign c =local
refused names_plan_campaign_dotdot "collect/plan: --campaign: '..' is not a name (it would write outside the data dir)" \
	"$C/plan" "${D[@]}" --campaign .. h=local

# The Ansible playbook (Debian ansible, localhost over the local connection):
# the failed assert names the variable and the value, ansible exits 2 (a
# host failed), nothing is written under hvb_data's parent.
ans() { # ans NAME VAR VALUE WANT_MSG
	local rc m left
	rm -rf "$T_TMP/w"
	mkdir -p "$T_TMP/w/data/sub"
	ansible-playbook -i "$T_TMP/inv" "$C/ansible/playbook.yml" -e "hvb_data=$T_TMP/w/data/sub" \
		-e "{\"$2\": \"$3\"}" -e "hvb_bin=$BIN" -e hvb_benches=time -e hvb_quick=true >"$T_TMP/aout" 2>&1
	rc=$?
	m=$(sed -n 's/^fatal: \[localhost\]: FAILED! => .*"msg": "\(.*\)"}$/\1/p' "$T_TMP/aout")
	left=$(cd "$T_TMP/w" && find . -mindepth 1 | sort | tr '\n' ' ')
	if [ "$rc" = 2 ] && [ "$m" = "$4" ] && [ "$left" = "./data ./data/sub " ]; then
		pass "$1"
	else
		fail "$1" "exit $rc (want 2), message '$m' (want '$4'), files: $left"
	fi
}
if ! command -v ansible-playbook >/dev/null; then
	fail ansible_installed "no ansible-playbook (Debian ansible; make deps)"
else
	export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_LOCAL_TEMP=$T_TMP/ansible-local \
		ANSIBLE_REMOTE_TEMP=$T_TMP/ansible-remote
	echo 'localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3' >"$T_TMP/inv"
	tail="is not a name: it must be non-empty, not '.' or '..', and hold only letters, digits, '.', '_' and '-'"
	ans names_ansible_campaign_dotdot hvb_campaign .. "hvb_campaign: '..' $tail"
	ans names_ansible_campaign_empty hvb_campaign '' "hvb_campaign: '' $tail"
	ans names_ansible_env_dotdot hvb_env .. "hvb_env: '..' $tail"
	ans names_ansible_env_dot hvb_env . "hvb_env: '.' $tail"
fi

# ---- item 10: ssh option injection.
printf -- '-F/tmp/evil ok\n' >"$T_TMP/hosts.evil"
refused ssh_target_dash_hosts_file "collect/ssh: target '-F/tmp/evil': a destination may not start with '-'" \
	"$S" "${D[@]}" --campaign c --hosts "$T_TMP/hosts.evil"
# (a '-' argument is an option on the command line; the '=ENV' form is not:)
refused ssh_target_dash_with_env "collect/ssh: unknown option '-oProxyCommand=x=e'" \
	"$S" "${D[@]}" --campaign c -oProxyCommand=x=e

# Every ssh and scp call puts '--' right before the destination: fake ssh and
# scp log their arguments; ssh "connects", answers the architecture probe and
# the run, scp fails the copy (so the run ends after the clean-up calls).
mkdir -p "$T_TMP/fake"
cat >"$T_TMP/fake/ssh" <<'FAKE'
#!/bin/bash
printf 'ssh' >>"$FAKE_LOG"; printf ' [%s]' "$@" >>"$FAKE_LOG"; echo >>"$FAKE_LOG"
case " $* " in *" uname -m; mktemp"*) printf 'x86_64\n/tmp/hvbench.fake\n' ;; esac
exit 0
FAKE
cat >"$T_TMP/fake/scp" <<'FAKE'
#!/bin/bash
printf 'scp' >>"$FAKE_LOG"; printf ' [%s]' "$@" >>"$FAKE_LOG"; echo >>"$FAKE_LOG"
exit 1
FAKE
chmod +x "$T_TMP/fake/ssh" "$T_TMP/fake/scp"
export FAKE_LOG=$T_TMP/fake.log
: >"$FAKE_LOG"
PATH=$T_TMP/fake:$PATH "$S" --data "$T_TMP/fakedata" --hvbench "$BIN" --no-telemetry --iperf none --quick --bench time --campaign c tgt=e >/dev/null 2>"$T_TMP/err"
rc=$?
calls=$(wc -l <"$FAKE_LOG")
# The destination follows '--' in every call: ssh [..] -- [tgt] ..., scp [..] -- [src] [tgt:..].
bad=$(grep -v -e ' \[--\] \[tgt\]' -e '^scp .* \[--\] \[[^]]*\] \[[^]]*\] \[tgt:' "$FAKE_LOG")
if [ "$rc" = 1 ] && [ "$calls" -ge 3 ] && [ -z "$bad" ] && grep -q '^scp ' "$FAKE_LOG"; then
	pass ssh_scp_double_dash_before_destination
else
	fail ssh_scp_double_dash_before_destination "exit $rc (want 1), $calls calls, without '--' before the destination: $bad"
fi
t_done
