#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, for trying `affectfuse cluster slurm ...` and for the tests.
#   scripts/slurm-local.sh start  [STATE_DIR]   installs slurm-wlm + munge if missing (root only), starts munged,
#                                               slurmctld and slurmd, waits until the node is idle, prints the client
#                                               environment and writes it to STATE_DIR/env
#   scripts/slurm-local.sh stop   [STATE_DIR]   cancels its jobs, stops every daemon it started, waits until none is left
#   scripts/slurm-local.sh status [STATE_DIR]   says which daemons run (exit 0: all three, 3: none, 1: some)
# STATE_DIR defaults to ${TMPDIR:-/tmp}/affectfuse-slurm. Every file (key, socket, conf, state, logs, pid files) lives
# there, so nothing system-wide is changed beyond the packages and several clusters can run side by side.
# Design choices, and why:
#  - a private munged (own key, socket, pid and log under STATE_DIR/munge) rather than the system one: containers have
#    no systemd to start /etc/munge's, and a private daemon can neither break nor be broken by a system setup. Slurm
#    reaches it through AuthInfo=socket=... in slurm.conf, which the client commands read too.
#  - free ports are picked at start (6817/6818 upward), so a second cluster (a test while a user's is up) does not
#    collide.
#  - every daemon is started with AFFECTFUSE_SLURM_STATE=STATE_DIR in its environment; slurmstepd inherits it from
#    slurmd, so `stop` finds leftover step daemons (which outlive slurmd) by that marker rather than by name.
# Environment: AFFECTFUSE_SLURM_CPUS overrides the node's CPU count (default: the machine's, at least 2, at most 8),
# AFFECTFUSE_SLURM_TIMEOUT the seconds `start` waits for the node (default 60).
set -euo pipefail

usage() { echo "usage: $0 start|stop|status [STATE_DIR]" >&2; exit 2; }
(($# >= 1 && $# <= 2)) || usage
action="$1"
state="${2:-${TMPDIR:-/tmp}/affectfuse-slurm}"
[[ "$state" != *[[:space:]\'\"\\]* ]] || { echo "slurm-local: STATE_DIR must not contain spaces, quotes or backslashes: $state" >&2; exit 2; }
mkdir -p "$state"
state="$(cd "$state" && pwd -P)"

conf="$state/slurm.conf"
munge_dir="$state/munge"
socket="$munge_dir/munge.socket"
node="$(hostname -s)"
daemons=(munged slurmctld slurmd)

pid_file() {
  case "$1" in
    munged) echo "$munge_dir/munged.pid" ;;
    *) echo "$state/run/$1.pid" ;;
  esac
}
log_file() {
  case "$1" in
    munged) echo "$munge_dir/munged.log" ;;
    *) echo "$state/log/$1.log" ;;
  esac
}
# The pid of a running daemon from its pid file, checked against /proc so a stale file (or a reused pid) is not taken
# for a live daemon: the process must carry this cluster's marker.
running_pid() {
  local f pid
  f="$(pid_file "$1")"
  [[ -s "$f" ]] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [[ -n "$pid" ]] && has_marker "$pid" || return 1
  echo "$pid"
}
has_marker() {
  # Kernel threads and other users' processes refuse the read; they are not ours either way.
  { tr '\0' '\n' <"/proc/$1/environ"; } 2>/dev/null | grep -qxF "AFFECTFUSE_SLURM_STATE=$state"
}
# Every daemon started for this cluster, whatever its pid files say.
marked_pids() {
  # One grep over every environment (-z: NUL-separated entries); unreadable ones are other users' or kernel threads.
  grep -lzxF "AFFECTFUSE_SLURM_STATE=$state" /proc/[0-9]*/environ 2>/dev/null | sed -e 's#^/proc/##' -e 's#/environ$##' |
    grep -vxF "$$" || true
}
# This cluster's step daemons. slurmstepd overwrites its environment with its title, so the marker is gone; it keeps
# slurmd's log open, which names this cluster.
stepd_pids() {
  local p f
  for p in /proc/[0-9]*; do
    [[ "$(cat "$p/comm" 2>/dev/null)" == slurmstepd ]] || continue
    for f in "$p"/fd/*; do
      if [[ "$(readlink "$f" 2>/dev/null)" == "$state/log/slurmd.log" ]]; then echo "${p#/proc/}"; break; fi
    done
  done
  return 0
}
# Process groups of jobs still running from this cluster's spool (a batch script runs as
# "/bin/sh STATE_DIR/spool/jobNNNNN/slurm_script" and slurmstepd makes it a process group of its own).
job_pgids() {
  local p own
  own="$(ps -o pgid= -p $$ | tr -d ' ')"
  # shellcheck disable=SC2013 # /proc paths hold no spaces
  for p in $(grep -lF "$state/spool/job" /proc/[0-9]*/cmdline 2>/dev/null); do
    p="${p#/proc/}"
    ps -o pgid= -p "${p%/cmdline}" 2>/dev/null | tr -d ' '
  done | sort -u | grep -vxF "$own" || true
}
# The last line a daemon wrote: its log, or what it printed at start (STATE_DIR/log/NAME.out) where that is newer,
# since errors before the log file opens (a bad slurm.conf) go there.
last_log_line() {
  local f out
  f="$(log_file "$1")"
  out="$state/log/$1.out"
  if [[ -s "$out" && (! -s "$f" || "$out" -nt "$f") ]]; then f="$out"; fi
  if [[ -s "$f" ]]; then tail -n 1 "$f"; else echo "no log at $f"; fi
}
client() { SLURM_CONF="$conf" "$@"; }

# ss comes with iproute2, which a bare container may lack; a connect attempt tells the same (a daemon listens there).
port_free() {
  if command -v ss >/dev/null; then
    if ss -Htln "sport = :$1" 2>/dev/null | grep -q .; then return 1; fi
  else
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 1; fi
  fi
  return 0
}
pick_ports() {
  local p
  for ((p = 6817; p < 7817; p += 2)); do
    if port_free "$p" && port_free $((p + 1)); then echo "$p"; return 0; fi
  done
  echo "slurm-local: no two free ports between 6817 and 7817" >&2
  return 1
}

install_packages() {
  local missing=() p
  for p in slurm-wlm munge; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null && ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "slurm-local: not root and slurm-wlm/munge not installed (as root: apt-get install slurm-wlm munge)" >&2
    exit 1
  fi
  echo "slurm-local: installing Debian packages: ${missing[*]:-slurm-wlm munge}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
}

write_conf() {
  local port cpus mem user
  port="$(pick_ports)"
  cpus="${AFFECTFUSE_SLURM_CPUS:-$(nproc)}"
  # At least 2 so array tasks can overlap even on a 1-core machine (config_overrides lets the node claim it); at most
  # 8 by default so a big build host is not handed over whole.
  [[ -n "${AFFECTFUSE_SLURM_CPUS:-}" ]] || { ((cpus < 2)) && cpus=2; ((cpus > 8)) && cpus=8; }
  mem=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024))
  user="$(id -un)"
  mkdir -p "$state/ctld" "$state/spool" "$state/log" "$state/run"
  cat >"$conf.tmp" <<EOF
# Written by scripts/slurm-local.sh; rewritten at each start with no daemon running.
ClusterName=affectfuse-local
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$(pid_file slurmctld)
SlurmdPidFile=$(pid_file slurmd)
SlurmctldLogFile=$(log_file slurmctld)
SlurmdLogFile=$(log_file slurmd)
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
MpiDefault=none
SwitchType=switch/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# No slurmdbd, so sacct has nothing to read; finished jobs go to this file (one line each, with JobState and
# ExitCode) as the record that outlives MinJobAge.
JobCompType=jobcomp/filetxt
JobCompLoc=$state/log/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# The main scheduler runs every 2 s (not 60) and batch jobs start at once, so dependent jobs follow in seconds.
SchedulerParameters=sched_interval=2,batch_sched_delay=0,bf_interval=2,defer_batch=0
# Finished jobs stay visible to squeue/scontrol for 10 minutes.
MinJobAge=600
ReturnToService=2
SlurmdParameters=config_overrides
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
Waittime=0
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$conf.tmp" "$conf"
}

start_munged() {
  running_pid munged >/dev/null && return 0
  mkdir -p "$munge_dir"
  chmod 700 "$munge_dir"
  if [[ ! -s "$munge_dir/munge.key" ]]; then
    if command -v mungekey >/dev/null; then
      mungekey --create --keyfile="$munge_dir/munge.key" >/dev/null
    else
      dd if=/dev/urandom of="$munge_dir/munge.key" bs=1024 count=1 status=none
    fi
  fi
  chmod 400 "$munge_dir/munge.key"
  if ((${#socket} > 100)); then
    echo "slurm-local: munged did not start: socket path too long for a unix socket (${#socket} chars): $socket" >&2
    return 1
  fi
  rm -f "$socket" "$socket.lock"
  # --force: munged refuses a socket left by a killed daemon and, as root, some directory checks it cannot satisfy in
  # a temp folder; the folder is private (0700) so the checks guard nothing here.
  AFFECTFUSE_SLURM_STATE="$state" munged --force --socket="$socket" --key-file="$munge_dir/munge.key" \
    --pid-file="$(pid_file munged)" --log-file="$(log_file munged)" --seed-file="$munge_dir/munged.seed" \
    || { echo "slurm-local: munged did not start: $(last_log_line munged)" >&2; return 1; }
  wait_for "munged" 10 munge_ok
}
munge_ok() { munge -n --socket="$socket" 2>/dev/null | unmunge --socket="$socket" >/dev/null 2>&1; }

# start_slurmctld [-c]: -c clears the saved jobs. A cluster started from nothing gets it: the processes of any job
# left from before were ended by the sweep, and a recovered "running" job would hold a CPU until slurmctld noticed.
start_slurmctld() {
  running_pid slurmctld >/dev/null && return 0
  AFFECTFUSE_SLURM_STATE="$state" slurmctld -f "$conf" -i "$@" >>"$state/log/slurmctld.out" 2>&1 \
    || { echo "slurm-local: slurmctld did not start: $(last_log_line slurmctld)" >&2; return 1; }
}
start_slurmd() {
  running_pid slurmd >/dev/null && return 0
  AFFECTFUSE_SLURM_STATE="$state" slurmd -f "$conf" -N "$node" >>"$state/log/slurmd.out" 2>&1 \
    || { echo "slurm-local: slurmd did not start: $(last_log_line slurmd)" >&2; return 1; }
}

# wait_for NAME SECONDS COMMAND...: polls COMMAND every 0.5 s; on timeout says which daemon is at fault.
wait_for() {
  local name="$1" seconds="$2" i
  shift 2
  for ((i = 0; i < seconds * 2; i++)); do
    "$@" && return 0
    sleep 0.5
  done
  echo "slurm-local: $name did not start: $(last_log_line "$name")" >&2
  return 1
}
node_state() { client sinfo -h -n "$node" -o %t 2>/dev/null | head -n 1; }
node_idle() {
  local s
  s="$(node_state)"
  # A daemon that died after forking shows up here rather than as a failed start.
  running_pid slurmctld >/dev/null || return 1
  running_pid slurmd >/dev/null || return 1
  [[ "$s" == idle || "$s" == mix || "$s" == alloc ]]
}

print_env() {
  printf "export SLURM_CONF='%s'\n" "$conf" >"$state/env.tmp"
  mv "$state/env.tmp" "$state/env"
  cat "$state/env"
}

start() {
  install_packages
  local any=0 d clear=()
  for d in slurmctld slurmd; do running_pid "$d" >/dev/null && any=1; done
  if ((any == 0)); then
    clear=(-c)
    # Leftovers from a cluster killed uncleanly (munged, step daemons, job processes) are cleared first, so the new
    # cluster starts from its own processes only.
    sweep
    write_conf
  fi
  start_munged || { stop_all; exit 1; }
  start_slurmctld "${clear[@]}" || { stop_all; exit 1; }
  wait_for slurmctld 30 ctld_up || { stop_all; exit 1; }
  start_slurmd || { stop_all; exit 1; }
  local timeout="${AFFECTFUSE_SLURM_TIMEOUT:-60}"
  if ! wait_for_node "$timeout"; then
    stop_all
    exit 1
  fi
  echo "slurm-local: node $node idle (state in $state)" >&2
  print_env
}
ctld_up() { running_pid slurmctld >/dev/null && client scontrol ping 2>/dev/null | grep -q 'UP'; }
wait_for_node() {
  local i
  for ((i = 0; i < $1 * 2; i++)); do
    node_idle && return 0
    running_pid slurmctld >/dev/null || { echo "slurm-local: slurmctld did not start: $(last_log_line slurmctld)" >&2; return 1; }
    running_pid slurmd >/dev/null || { echo "slurm-local: slurmd did not start: $(last_log_line slurmd)" >&2; return 1; }
    sleep 0.5
  done
  echo "slurm-local: node $node not idle after $1 s (state '$(node_state)'): $(last_log_line slurmd)" >&2
  return 1
}

# stop_pid PID [GRACE]: TERM, then KILL after GRACE seconds (15); returns when the process is gone.
stop_pid() {
  local pid="$1" grace="${2:-15}" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < grace * 2; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
}
stop_marked() {
  local pid
  for pid in $(marked_pids); do stop_pid "$pid"; done
}
# What scancel could not reach (slurmctld gone, or a cluster killed uncleanly): daemons left without pid files, the
# jobs' own processes, then their step daemons. A step daemon whose slurmd is gone only retries to report, so it gets
# 1 s rather than 15.
sweep() {
  local pid
  stop_marked
  for pid in $(job_pgids); do kill -KILL -- "-$pid" 2>/dev/null || true; done
  for pid in $(stepd_pids); do stop_pid "$pid" 1; done
}
stop_all() {
  local pid d
  # Cancel this cluster's jobs while slurmctld still runs, so their step daemons end their processes themselves;
  # slurmstepd outlives slurmd otherwise.
  if running_pid slurmctld >/dev/null && [[ -f "$conf" ]]; then
    client scancel --quiet --user="$(id -un)" 2>/dev/null || true
    local i
    for ((i = 0; i < 20; i++)); do
      [[ -z "$(client squeue -h -t running,completing -o %i 2>/dev/null)" ]] && break
      sleep 0.5
    done
  fi
  for d in slurmd slurmctld; do
    if pid="$(running_pid "$d")"; then stop_pid "$pid"; fi
  done
  sweep
  if pid="$(running_pid munged)"; then stop_pid "$pid"; fi
  stop_marked
  rm -f "$(pid_file slurmd)" "$(pid_file slurmctld)" "$(pid_file munged)"
}

status() {
  local up=0 d pid
  for d in "${daemons[@]}"; do
    if pid="$(running_pid "$d")"; then
      echo "$d: running (pid $pid)"
      up=$((up + 1))
    else
      echo "$d: stopped"
    fi
  done
  if ((up == ${#daemons[@]})); then
    [[ -f "$conf" ]] && echo "node $node: $(node_state)"
    return 0
  fi
  ((up == 0)) && return 3
  return 1
}

case "$action" in
  start) start ;;
  stop) stop_all; echo "slurm-local: stopped (state kept in $state)" >&2 ;;
  status) status ;;
  *) usage ;;
esac
