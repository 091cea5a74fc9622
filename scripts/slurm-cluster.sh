#!/usr/bin/env bash
# A real single-node Slurm cluster under one directory, for the tests, the benchmark and trying
# `opencompass CONFIG --slurm -p PARTITION` on one machine.
#
#   scripts/slurm-cluster.sh up DIR [PARTITION]   # install (apt) when missing, start, wait until idle
#   scripts/slurm-cluster.sh down DIR             # cancel its jobs, stop its daemons
#   scripts/slurm-cluster.sh status DIR
#
# `up` prints `export SLURM_CONF=DIR/slurm.conf` (also written to DIR/env); the Slurm commands
# (srun, sinfo, scancel) talk to this cluster when SLURM_CONF points at it. Everything lives
# under DIR: the controller's state, slurmd's spool, pid and log files, and (through the link
# DIR/munge) its own munge key, socket and daemon. munged insists that every directory above
# its socket be reachable by all, which a private DIR (pytest's, mktemp's) is not, so the
# munge files are in a directory of their own in /tmp that `down` removes. Ports are free ones above 20000, not Slurm's defaults, so several clusters
# (other users' too) can run on one machine. Needs root: the packages (Debian's slurm-wlm and
# munge) are installed with apt-get when missing, and the daemons run as root (munged as the
# munge user). Exit codes: 0 ok, 1 failure, 3 Slurm is missing and apt-get is not available.
#
# slurmd logs one "launch task StepId=<job>.<step>" line per job step it runs
# (DIR/log/slurmd.log): how the tests tell that a task really ran as a Slurm step.
set -euo pipefail

die() { echo "slurm-cluster: $*" >&2; exit "${2:-1}"; }

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

need_root() {
    [ "$(id -u)" = 0 ] || die "run as root: the daemons run as root and the packages install with apt-get"
}

install_packages() {
    local missing=()
    for tool in slurmctld slurmd srun sinfo scancel munged mungekey; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    [ ${#missing[@]} = 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 ||
        die "missing ${missing[*]} and apt-get is not available: install Slurm (slurm-wlm) and munge" 3
    echo "slurm-cluster: installing slurm-wlm and munge with apt-get (missing: ${missing[*]})" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends slurm-wlm munge >&2
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
    local port
    for _ in $(seq 50); do
        port=$(( 20000 + RANDOM % 40000 ))
        port_in_use "$port" || { echo "$port"; return 0; }
    done
    die "no free TCP port found"
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
    local seconds=$1 what=$2; shift 2
    for _ in $(seq $(( seconds * 5 ))); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    return 1
}

start_munge() {
    local dir
    dir=$(mktemp -d /tmp/llmp-munge.XXXXXX)
    ln -sfn "$dir" "$1/munge"
    mungekey --create --keyfile="$dir/munge.key" --force >/dev/null 2>&1 ||
        dd if=/dev/urandom of="$dir/munge.key" bs=1 count=1024 status=none
    chown -R munge:munge "$dir"
    chmod 755 "$dir"  # munged wants its socket directory reachable by all (the key stays 0400)
    chmod 400 "$dir/munge.key"
    su -s /bin/sh munge -c "munged --socket='$dir/munge.socket' --key-file='$dir/munge.key' \
        --pid-file='$dir/munged.pid' --log-file='$dir/munged.log' --seed-file='$dir/munged.seed'" ||
        die "munged did not start; see $dir/munged.log"
    wait_for 10 munge sh -c "munge -S '$dir/munge.socket' -n | unmunge -S '$dir/munge.socket'" ||
        die "munge does not answer on $dir/munge.socket; see $dir/munged.log"
}

write_conf() {  # write_conf DIR PARTITION
    local dir=$1 partition=$2 host cpus memory ctld_port slurmd_port
    ctld_port=$(free_port)
    slurmd_port=$(free_port)
    while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done
    host=$(hostname -s)
    cpus=$(nproc)
    memory=$(awk '/MemAvailable/ { printf "%d", $2 / 1024 / 2 }' /proc/meminfo)
    cat >"$dir/slurm.conf" <<EOF
# written by scripts/slurm-cluster.sh; everything of this cluster is under $dir
ClusterName=llmp$(( RANDOM % 100000 ))
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$(readlink -f "$dir/munge")/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=$partition Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
EOF
}

up() {
    local dir=$1 partition=${2:-llmp}
    need_root
    install_packages
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ -f "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null &&
        die "a cluster is already running in $dir (scripts/slurm-cluster.sh down $dir)"
    mkdir -p "$dir/state" "$dir/spool" "$dir/log"
    start_munge "$dir"
    write_conf "$dir" "$partition"
    export SLURM_CONF=$dir/slurm.conf
    slurmctld -f "$SLURM_CONF" || die "slurmctld did not start; see $dir/log/slurmctld.log"
    slurmd -f "$SLURM_CONF" || die "slurmd did not start; see $dir/log/slurmd.log"
    wait_for 60 "partition $partition idle" sh -c "sinfo -h -p '$partition' -o %t | grep -qx idle" ||
        die "partition $partition is not idle after 60 s: $(sinfo -p "$partition" 2>&1 | tail -2); see $dir/log"
    echo "export SLURM_CONF=$SLURM_CONF" | tee "$dir/env"
}

stop_pid_file() {  # stop_pid_file FILE: TERM, then KILL after 10 s
    local file=$1 pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        wait_for 10 "pid $pid to exit" sh -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

down() {
    local dir=$1
    [ -d "$dir" ] || die "no cluster directory $dir"
    dir=$(cd "$dir" && pwd)
    if [ -f "$dir/slurm.conf" ] && [ -f "$dir/slurmctld.pid" ]; then
        SLURM_CONF=$dir/slurm.conf scancel --full --quiet --partition="$(awk -F'[= ]' \
            '/^PartitionName=/ { print $2 }' "$dir/slurm.conf")" 2>/dev/null || true
    fi
    stop_pid_file "$dir/slurmd.pid"
    stop_pid_file "$dir/slurmctld.pid"
    if [ -L "$dir/munge" ]; then
        stop_pid_file "$dir/munge/munged.pid"
        rm -rf "$(readlink -f "$dir/munge")" "$dir/munge"
    fi
}

status() {
    local dir=$1
    SLURM_CONF=$(cd "$dir" && pwd)/slurm.conf sinfo
}

[ $# -ge 2 ] || usage
case $1 in
    up) up "$2" "${3:-}" ;;
    down) down "$2" ;;
    status) status "$2" ;;
    *) usage ;;
esac
