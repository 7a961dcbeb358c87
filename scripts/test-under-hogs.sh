#!/bin/sh
# npm run test:stress: the whole `npm test` with two CPU hogs beside it
# (stress-ng --cpu 2), as on a busy shared machine; the hogs stop when the
# run ends, however it ends. docs/contributing.md says why.
if ! command -v stress-ng >/dev/null 2>&1; then
  echo 'test:stress needs stress-ng, which is not installed: sudo apt-get install stress-ng' >&2
  exit 1
fi
stress-ng --cpu 2 --quiet &
hogs=$!
stop_hogs() { kill "$hogs" 2>/dev/null; wait "$hogs" 2>/dev/null; }
trap stop_hogs EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
npm test
