#!/usr/bin/env bash
# The namespace test network by hand (the tests, the demo and the benchmark
# use scripts/testnet/lib.sh directly). Needs root.
#
#   scripts/testnet.sh up [--name NAME] [--gateway KIND] [--build-dir DIR] [--wan-mtu N]
#                         [--forward PROTO/PORT=ADDR:PORT]... [--static INTERNAL=EXTERNAL]...
#                         [--pool ENTRY]...
#        creates the network and its servers, starts the gateway if asked
#        (KIND: kernel-nft, masqd-af_packet, masqd-af_xdp) and prints NAME
#   scripts/testnet.sh exec NAME NODE CMD...   run CMD in node lan1|lan2|sw|gw|inet|srv
#   scripts/testnet.sh down NAME               stop everything and remove it all
#   scripts/testnet.sh list                    the networks that exist
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/testnet/lib.sh"

usage() {
  sed -n '2,13s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

cmd_up() {
  local name="mqe$$" kind=""
  while [ $# -gt 0 ]; do
    case $1 in
    --name) name=$2; shift ;;
    --gateway) kind=$2; shift ;;
    --build-dir) BUILD_DIR=$2; shift ;;
    --wan-mtu) WAN_MTU=$2; shift ;;
    --forward) GW_FORWARDS+=("$2"); shift ;;
    --static) GW_STATICS+=("$2"); shift ;;
    --pool) GW_POOL+=("$2"); shift ;;
    *) usage ;;
    esac
    shift
  done
  mq_set_net "$name"
  if net_exists; then
    mq_log "network $name already exists"
    exit 1
  fi
  trap 'mq_log "failed; removing $name"; net_down' ERR
  net_up
  net_services
  if [ -n "$kind" ]; then
    gw_start "$kind"
    echo "$kind" >"$MQ_DIR/gateway"
  fi
  trap - ERR
  mq_log "network $name is up (files in $MQ_DIR); remove it with: $0 down $name"
  echo "$name"
}

cmd_down() {
  [ $# -eq 1 ] || usage
  mq_set_net "$1"
  if [ -f "$MQ_DIR/gateway" ]; then
    GW_KIND=$(cat "$MQ_DIR/gateway")
    gw_stop || true
  fi
  net_down
}

cmd_exec() {
  [ $# -ge 3 ] || usage
  mq_set_net "$1"
  shift
  nsx "$@"
}

cmd_list() {
  ip netns list 2>/dev/null | sed -n 's/^\(mqe[0-9A-Za-z_]*\)-gw\b.*/\1/p'
}

[ $# -ge 1 ] || usage
sub=$1
shift
case $sub in
up) cmd_up "$@" ;;
down) cmd_down "$@" ;;
exec) cmd_exec "$@" ;;
list) cmd_list ;;
*) usage ;;
esac
