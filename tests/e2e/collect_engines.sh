#!/bin/bash
# tests/e2e/collect_engines.sh - collect/container with the real engines:
# Docker (dockerd is started here when `docker info` fails, and stopped by
# its PID at the end) and Podman (daemonless).  For each: the image is built
# here from the static busybox (no registry), the suite runs in a container
# on the engine's default bridge, the CSV lands with container=docker or
# podman (what hvbench detected inside), the container's own hostname, the
# machine row naming this host, the engine's info rows, netbench ok rows
# through the bridge to the iperf3 -s the collector started on the bridge's
# host address; afterwards no container, image or staging dir of the run is
# left.  Kept short (nullbench and one TCP test each way, one repetition):
# the point is the path, not the figures.
. "$(dirname "$0")/../lib.sh"

if [ "$(id -u)" != 0 ]; then
	skip engines "needs root for dockerd and podman"
	t_done
fi
DOCKERD_PID=""
# stop_dockerd: the dockerd this test started, by its PID, bounded.
stop_dockerd() {
	[ -n "$DOCKERD_PID" ] || return 0
	kill "$DOCKERD_PID" 2>/dev/null
	for _ in $(seq 1 100); do
		kill -0 "$DOCKERD_PID" 2>/dev/null || break
		sleep 0.2
	done
	kill -0 "$DOCKERD_PID" 2>/dev/null && kill -KILL "$DOCKERD_PID" 2>/dev/null
	wait "$DOCKERD_PID" 2>/dev/null
	DOCKERD_PID=""
}
trap 'stop_dockerd; rm -rf "$T_TMP"' EXIT

data=$T_TMP/data
mkdir -p "$T_TMP/stage"
export TMPDIR=$T_TMP/stage
me=$(hostname)

# engine_run ENGINE: one collect; sets CSV and RC; prints the time taken.
engine_run() {
	local t0=$SECONDS
	"$HVB_TOP/collect/container" --engine "$1" --data "$data" --campaign e --hvbench "$HVB_STATIC_BIN/hvbench" \
		--bench null,net --quick --reps 1 --warmup 0 --no-telemetry >/dev/null 2>"$T_TMP/$1.err"
	RC=$?
	echo "$1 run: $((SECONDS - t0)) s, exit $RC"
	sed 's/^/  stderr: /' "$T_TMP/$1.err"
	CSV=$(find "$data/e/$1" -name "*_$1_*.csv" 2>/dev/null | head -n 1)
}

# engine_checks ENGINE ENG_CMD...: the CSV and the cleanup.
engine_checks() {
	local e=$1 v
	shift
	if [ "$RC" = 0 ]; then pass "${e}_exit_0"; else fail "${e}_exit_0" "exit $RC"; fi
	if [ -z "$CSV" ]; then
		fail "${e}_csv_landed" "no CSV under $data/e/$e"
		return
	fi
	pass "${e}_csv_landed"
	v=$(csv_col "$CSV" container | sort -u | tr '\n' ' ')
	if [ "$v" = "$e " ]; then pass "${e}_detected"; else fail "${e}_detected" "container column '$v', want '$e'"; fi
	v=$(csv_col "$CSV" host | sort -u)
	if [ -n "$v" ] && [ "$v" != "$me" ] && [ "$(printf '%s\n' "$v" | wc -l)" = 1 ]; then
		pass "${e}_own_hostname"
	else
		fail "${e}_own_hostname" "host column '$v' (this host: $me)"
	fi
	v=$(bench_names "$CSV")
	if [ "$v" = "netbench nullbench " ]; then pass "${e}_benches"; else fail "${e}_benches" "benches '$v'"; fi
	v=$(machine_rows "$CSV" | sort | uniq -c | awk '{ print $1 " " $2 }')
	if [ "$v" = "2 $me" ]; then pass "${e}_machine_row"; else fail "${e}_machine_row" "machine rows '$v', want 2 naming $me"; fi
	for k in engine engine_version engine_storage_driver engine_runtime engine_cgroup_manager; do
		v=$(grep -c ",hvbench,,$k,,,,,info,[^,]" "$CSV")
		if [ "$v" = 2 ]; then pass "${e}_info_$k"; else fail "${e}_info_$k" "$v rows, want one per run id (2)"; fi
	done
	if grep -q ",hvbench,,engine,,,,,info,$e\$" "$CSV"; then pass "${e}_info_engine_name"; else fail "${e}_info_engine_name" "no engine row naming $e"; fi
	v=$(csvq "$CSV" 'bench == "netbench" && metric == "bits_per_s" && status == "ok" { print value }' | tr '\n' ' ')
	if [ "$(echo "$v" | wc -w)" = 2 ]; then pass "${e}_net_over_bridge"; else fail "${e}_net_over_bridge" "ok bits_per_s rows: '$v' $(grep ',netbench,.*,fail,' "$CSV" | head -n 1)"; fi
	srv=$(csvq "$CSV" 'metric == "iperf_server" { print note }')
	echo "$e bridge: server $srv, bits/s $v"
	case $srv in 127.* | self* | "") fail "${e}_net_server_is_host" "iperf_server '$srv'" ;; *) pass "${e}_net_server_is_host" ;; esac
	# This run's container and image, by the names its .meta records (other
	# runs on the machine may have theirs meanwhile).
	local ctr img
	ctr=$(sed -n 's/^container=//p' "${CSV%.csv}.meta")
	img=$(sed -n 's/^image=//p' "${CSV%.csv}.meta")
	case $ctr:$img in hvbench-[0-9]*:localhost/hvbench-collect:*) pass "${e}_names_in_meta" ;; *) fail "${e}_names_in_meta" "container '$ctr', image '$img'" ;; esac
	v=$("$@" ps -a --format '{{.Names}}' 2>&1 | grep -x -- "$ctr")
	if [ -z "$v" ]; then pass "${e}_container_removed"; else fail "${e}_container_removed" "left: $v"; fi
	v=$("$@" images --format '{{.Repository}}:{{.Tag}}' 2>&1 | grep -x -- "$img")
	if [ -z "$v" ]; then pass "${e}_image_removed"; else fail "${e}_image_removed" "left: $v"; fi
}

# ---- Docker
if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
	fail docker_installed "docker/dockerd not installed (collect/deps.txt: docker.io)"
else
	if ! timeout 20 docker info >/dev/null 2>&1; then
		# No systemd here: started by hand, with cgroupfs as the cgroup driver.
		t0=$SECONDS
		dockerd --exec-opt native.cgroupdriver=cgroupfs >"$T_TMP/dockerd.log" 2>&1 &
		DOCKERD_PID=$!
		for _ in $(seq 1 150); do
			timeout 5 docker info >/dev/null 2>&1 && break
			kill -0 "$DOCKERD_PID" 2>/dev/null || break
			sleep 0.2
		done
		echo "dockerd started by the test (pid $DOCKERD_PID) in $((SECONDS - t0)) s"
	fi
	if timeout 20 docker info >/dev/null 2>&1; then
		pass docker_engine_up
		# A collector killed with SIGKILL runs no cleanup: its container
		# and image stay with dockerd.  The next run removes them, named.
		mkdir -p "$T_TMP/killstage"
		TMPDIR=$T_TMP/killstage setsid "$HVB_TOP/collect/container" --engine docker --data "$T_TMP/killed" --campaign k \
			--hvbench "$HVB_STATIC_BIN/hvbench" --bench null --quick --no-telemetry >/dev/null 2>"$T_TMP/killed.err" &
		kp=$!
		for _ in $(seq 1 300); do
			docker ps --filter label=hvbench.collect=1 --format '{{.Names}}' 2>/dev/null | grep -qx "hvbench-$kp" && break
			sleep 0.1
		done
		kill -KILL "$kp"
		wait "$kp" 2>/dev/null
		left=$(docker ps -a --filter label=hvbench.collect=1 --format '{{.Names}}' | grep -x "hvbench-$kp")
		if [ "$left" = "hvbench-$kp" ]; then pass docker_killed_collector_leaves_container
		else fail docker_killed_collector_leaves_container "no container hvbench-$kp after kill -9: $(cat "$T_TMP/killed.err")"; fi
		engine_run docker
		engine_checks docker docker
		if grep -qx "collect/container: removed docker container hvbench-$kp, left by a collector that is gone (pid $kp)" "$T_TMP/docker.err" &&
			grep -q "^collect/container: removed docker image localhost/hvbench-collect:$kp-[0-9]*, left by a collector that is gone (pid $kp)\$" "$T_TMP/docker.err" &&
			[ -z "$(docker ps -a --format '{{.Names}}' | grep -x "hvbench-$kp")" ] &&
			[ -z "$(docker images --format '{{.Repository}}:{{.Tag}}' | grep "^localhost/hvbench-collect:$kp-")" ]; then
			pass docker_next_run_removes_what_a_killed_one_left
		else
			fail docker_next_run_removes_what_a_killed_one_left "$(grep removed "$T_TMP/docker.err"); left: $(docker ps -a --format '{{.Names}}' | grep hvbench)"
		fi
	else
		fail docker_engine_up "dockerd did not answer: $(tail -n 3 "$T_TMP/dockerd.log" 2>/dev/null)"
	fi
	if [ -n "$DOCKERD_PID" ]; then
		p=$DOCKERD_PID
		stop_dockerd
		if kill -0 "$p" 2>/dev/null; then fail docker_daemon_stopped "dockerd $p still runs"; else pass docker_daemon_stopped; fi
	fi
fi

# ---- Podman
if ! command -v podman >/dev/null; then
	fail podman_installed "podman not installed (collect/deps.txt: podman, runc)"
else
	engine_run podman
	# The same global flags the collector chose, to look for leftovers.
	pf=$(sed -n 's/^engine_command=//p' "${CSV%.csv}.meta" 2>/dev/null)
	# shellcheck disable=SC2086  # the flags are words
	engine_checks podman ${pf:-podman}
fi

if [ -z "$(ls -A "$T_TMP/stage")" ]; then pass engines_stage_cleaned; else fail engines_stage_cleaned "left: $(ls "$T_TMP/stage")"; fi
t_done
