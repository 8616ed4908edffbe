#!/bin/sh
# OCI runtime wrapper for dockerd on hosts whose capability bounding set lacks CAP_SYS_RESOURCE.
# Docker < 23 asks runc for every capability the kernel knows when --privileged is given, and runc
# fails with "unable to apply caps: operation not permitted". This removes CAP_SYS_RESOURCE from
# the bundle's config.json (create/run) or the process spec (exec), then runs the real runc.
# REAL_RUNC is replaced with the real runc's path when rollcall installs this file.
set -eu
REAL_RUNC='@REAL_RUNC@'

drop_cap() {
  [ -f "$1" ] || return 0
  jq 'def drop: if type == "array" then map(select(. != "CAP_SYS_RESOURCE")) else . end;
      if has("process") then (if .process.capabilities then .process.capabilities |= map_values(drop) else . end)
      elif .capabilities then .capabilities |= map_values(drop) else . end' "$1" >"$1.rollcall-tmp"
  mv "$1.rollcall-tmp" "$1"
}

cmd=''
bundle='.'
process=''
prev=''
for arg in "$@"; do
  case "$prev" in
    --bundle | -b) bundle="$arg" ;;
    --process | -p) process="$arg" ;;
  esac
  case "$arg" in
    --bundle=*) bundle="${arg#--bundle=}" ;;
    --process=*) process="${arg#--process=}" ;;
    create | run | exec) [ -n "$cmd" ] || cmd="$arg" ;;
  esac
  prev="$arg"
done

case "$cmd" in
  create | run) drop_cap "$bundle/config.json" ;;
  exec) [ -z "$process" ] || drop_cap "$process" ;;
esac
exec "$REAL_RUNC" "$@"
