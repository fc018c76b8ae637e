#!/usr/bin/env bash
# A 50 MB HTTP download from the server to lan1 through the gateway, its
# sha256 checked against the file served: TCP with real offloads (TSO/GSO,
# checksum offload on the veths) must arrive intact.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/common.sh"
e2e_setup
net_blob 50

want=$(cat "$MQ_DIR/www/blob.sha256")
if out=$(nsx lan1 curl -sS --max-time 120 -o - -w '' "http://$SRV1:$HTTP_PORT/blob.bin" |
  sha256sum | cut -d' ' -f1); then
  expect_eq "sha256 of the 50 MB download" "$out" "$want"
else
  not_ok "curl from lan1 failed"
fi
stats=$(nsx lan2 curl -sS --max-time 120 -o /dev/null -w '%{size_download} %{speed_download}' \
  "http://$SRV1:$HTTP_PORT/blob.bin") || stats="0 0"
read -r size speed <<<"$stats"
expect_eq "bytes lan2 downloaded" "$size" $((50 * 1024 * 1024))
echo "# lan2 download speed: $((${speed%.*} / 1000000)) MB/s"
