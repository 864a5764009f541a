#!/bin/sh
# slurm-local.sh: a one-host Slurm cluster in a directory of its own, for
# trying pacer's --segment auto under srun and sbatch without a real cluster.
#
#   slurm-local.sh start DIR [TIMEOUT_S [LIFETIME_S]]
#                                start munged, slurmctld and slurmd
#   slurm-local.sh stop DIR      stop them (what DIR's pid files name)
#
# Everything lives under DIR: a fresh munge key and socket, slurm.conf,
# state, spool, pid files and logs.  The daemons listen on free loopback
# ports; the node is this host (its name as `hostname -s` gives it) at
# 127.0.0.1 with its CPUs, and no cgroups are needed (proctrack/linuxproc,
# task/none).  Run as root (SlurmUser=root).  After start, `export
# SLURM_CONF=DIR/slurm.conf` and srun, sbatch and sinfo use this cluster.
#
# start waits (at most TIMEOUT_S, default 30) for the node to be idle and
# prints "SLURM_CONF=DIR/slurm.conf".  When a daemon does not come up it
# says which, with the last line of its log, stops the others and exits 77
# (other failures: 1).  With LIFETIME_S, a watchdog stops the cluster that
# many seconds after the start unless stop came first (for tests, whose
# own stop may never run when they are killed).
set -u

die() { echo "slurm-local: $*" >&2; exit 1; }

# A free TCP port on 127.0.0.1.
free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Find a program in PATH or /usr/sbin.
prog() {
    command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } ||
        die "$1 not found (install slurm-wlm and munge)"
}

# The daemon that did not come up, with its log's last line: exit 77.
failed() {
    last=$(tail -n 1 "$2" 2>/dev/null)
    echo "slurm-local: $1 did not start: ${last:-no log}" >&2
    stop "$DIR"
    exit 77
}

write_conf() {
    node=$(hostname -s)
    cpus=$(nproc)
    cat > "$DIR/slurm.conf" <<EOF
# A one-host cluster written by slurm-local.sh
ClusterName=pacerlocal
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$1
SlurmdPort=$2
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$DIR/munge/munge.sock
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
}

# Wait up to $1 s for pid file $2 to name a live process.
wait_pid() {
    end=$(( $(date +%s) + $1 ))
    while [ "$(date +%s)" -le "$end" ]; do
        [ -s "$2" ] && kill -0 "$(cat "$2")" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

start() {
    timeout=${2:-30}
    mkdir -p "$DIR/munge" "$DIR/state" "$DIR/spool" "$DIR/log" || die "cannot make $DIR"
    DIR=$(cd "$DIR" && pwd)
    chmod 700 "$DIR/munge"
    dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 2>/dev/null
    chmod 400 "$DIR/munge/munge.key"
    "$(prog munged)" --force --key-file="$DIR/munge/munge.key" \
        --socket="$DIR/munge/munge.sock" --pid-file="$DIR/munge/munged.pid" \
        --log-file="$DIR/log/munged.log" --seed-file="$DIR/munge/munged.seed" \
        >> "$DIR/log/munged.log" 2>&1 || failed munged "$DIR/log/munged.log"
    wait_pid 10 "$DIR/munge/munged.pid" || failed munged "$DIR/log/munged.log"
    if [ "${3:-0}" -gt 0 ]; then
        (sleep "$3" && "$0" stop "$DIR") </dev/null >/dev/null 2>&1 &
        echo $! > "$DIR/watchdog.pid"
    fi
    write_conf "$(free_port)" "$(free_port)"
    export SLURM_CONF="$DIR/slurm.conf"
    # -i: ignore state a previous run may have left; both fork into the background
    "$(prog slurmctld)" -i >> "$DIR/log/slurmctld.log" 2>&1 ||
        failed slurmctld "$DIR/log/slurmctld.log"
    wait_pid 15 "$DIR/slurmctld.pid" || failed slurmctld "$DIR/log/slurmctld.log"
    "$(prog slurmd)" >> "$DIR/log/slurmd.log" 2>&1 || failed slurmd "$DIR/log/slurmd.log"
    wait_pid 15 "$DIR/slurmd.pid" || failed slurmd "$DIR/log/slurmd.log"
    end=$(( $(date +%s) + timeout ))
    while [ "$(date +%s)" -le "$end" ]; do
        st=$(timeout 5 sinfo -h -o %t 2>/dev/null)
        [ "$st" = idle ] && { echo "SLURM_CONF=$SLURM_CONF"; return 0; }
        kill -0 "$(cat "$DIR/slurmd.pid")" 2>/dev/null || failed slurmd "$DIR/log/slurmd.log"
        kill -0 "$(cat "$DIR/slurmctld.pid")" 2>/dev/null ||
            failed slurmctld "$DIR/log/slurmctld.log"
        sleep 0.2
    done
    echo "slurm-local: the node is not idle after ${timeout}s (state '${st:-none}')" >&2
    failed slurmd "$DIR/log/slurmd.log"
}

# Stop what the pid files name: TERM to all, up to 5 s, then KILL.
stop() {
    pids=
    for f in "$1/slurmd.pid" "$1/slurmctld.pid" "$1/munge/munged.pid"; do
        [ -s "$f" ] || continue
        pid=$(cat "$f")
        rm -f "$f"
        kill "$pid" 2>/dev/null && pids="$pids $pid"
    done
    n=0
    for pid in $pids; do
        while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
        kill -9 "$pid" 2>/dev/null
    done
    # the watchdog's sleep first (its parent shell would then run stop)
    if [ -s "$1/watchdog.pid" ]; then
        pkill -P "$(cat "$1/watchdog.pid")" sleep 2>/dev/null
        kill "$(cat "$1/watchdog.pid")" 2>/dev/null
        rm -f "$1/watchdog.pid"
    fi
    return 0
}

[ $# -ge 2 ] || die "usage: slurm-local.sh start DIR [TIMEOUT_S [LIFETIME_S]] | stop DIR"
DIR=$2
case $1 in
start) start "$DIR" "${3:-30}" "${4:-0}" ;;
stop) stop "$DIR" ;;
*) die "usage: slurm-local.sh start DIR [TIMEOUT_S [LIFETIME_S]] | stop DIR" ;;
esac
