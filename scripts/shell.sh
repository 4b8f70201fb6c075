#!/usr/bin/env bash
# Terminal chat: the action server in the background, `rasa shell` in the foreground.
set -euo pipefail
export SANIC_HOST=${SANIC_HOST:-127.0.0.1}  # the action server listens on loopback only
model=${1:-models/waardecoach.tar.gz}
port=${ACTIONS_PORT:-5055}
log=$(mktemp -t waardecoach-actions.XXXX.log)
mkdir -p var

PYTHONWARNINGS=ignore .venv/bin/rasa run actions --actions actions --port "$port" >"$log" 2>&1 &
actions_pid=$!
trap 'kill "$actions_pid" 2>/dev/null || true' EXIT

for _ in $(seq 60); do
  if curl -fs "http://127.0.0.1:$port/health" >/dev/null; then break; fi
  if ! kill -0 "$actions_pid" 2>/dev/null; then echo "Action server failed, see $log"; exit 1; fi
  sleep 0.5
done
echo "Action server on port $port (log: $log). Rasa is starting; typ 'hallo' of 'start' zodra je de prompt ziet, '/stop' sluit af."
PYTHONWARNINGS=ignore .venv/bin/rasa shell --model "$model" --endpoints endpoints.yml \
  --credentials credentials.yml --interface 127.0.0.1 --port "${RASA_PORT:-5005}"
