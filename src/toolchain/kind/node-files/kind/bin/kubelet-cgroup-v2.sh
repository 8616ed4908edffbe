#!/bin/sh
# cgroup v2: create /kubelet (the kubelet's cgroupRoot) with every controller the node has enabled.
set -eu
root=/sys/fs/cgroup
mkdir -p "$root/kubelet" "$root/kubelet.slice"
for c in $(cat "$root/cgroup.subtree_control"); do
  echo "+$c" >"$root/kubelet/cgroup.subtree_control" 2>/dev/null || true
done
