#!/bin/sh
set -e
python -m pytest \
  tests/
cat <<EOF
x
EOF
