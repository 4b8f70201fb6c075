#!/usr/bin/env bash
# Starts the action server, Rasa (REST + socket.io) and the web app on loopback; Ctrl-C stops all.
set -euo pipefail
export SANIC_HOST=${SANIC_HOST:-127.0.0.1}  # the action server listens on loopback only
model=${1:-models/waardecoach.tar.gz}
actions_port=${ACTIONS_PORT:-5055} rasa_port=${RASA_PORT:-5005} web_port=${WEB_PORT:-8000}
logs=${WAARDECOACH_LOG_DIR:-var/log}
mkdir -p "$logs"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true' EXIT INT TERM

wait_for() {  # name url pid log
  for _ in $(seq 240); do
    if curl -fs "$2" >/dev/null; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then echo "$1 failed to start, see $4" >&2; tail -20 "$4" >&2; exit 1; fi
    sleep 0.5
  done
  echo "$1 did not start in 2 minutes, see $4" >&2
  exit 1
}

trainer_note="(accounts from WAARDECOACH_TRAINERS)"
trainer_args=()
if [ -z "${WAARDECOACH_TRAINERS:-}" ]; then
  # No trainer accounts configured: a one-off account for this run, printed below.
  password=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')
  hash=$(.venv/bin/python -c 'import sys; from werkzeug.security import generate_password_hash as h; print(h(sys.argv[1]))' "$password")
  trainer_args=(--trainer "trainer:$hash")
  trainer_note="(user: trainer, password for this run: $password)"
fi

echo "Starting the action server, Rasa and the web app (Rasa takes about 30-60 s)..."
.venv/bin/rasa run actions --actions actions --port "$actions_port" >"$logs/actions.log" 2>&1 &
pids+=($!)
wait_for "The action server" "http://127.0.0.1:$actions_port/health" "${pids[-1]}" "$logs/actions.log"
# Rasa's HTTP API (trackers, model upload) stays off unless WAARDECOACH_RASA_API_TOKEN is set; then
# every call needs that token. The launcher passes it to Rasa inside the process: not on the command
# line, where `ps` would show it (rasa_addons/launch.py).
.venv/bin/python -m rasa_addons.launch run --model "$model" --endpoints endpoints.yml \
  --credentials credentials.yml --interface 127.0.0.1 --port "$rasa_port" >"$logs/rasa.log" 2>&1 &
pids+=($!)
.venv/bin/python -m web serve --host 127.0.0.1 --port "$web_port" "${trainer_args[@]}" >"$logs/web.log" 2>&1 &
pids+=($!)
wait_for "The web app" "http://127.0.0.1:$web_port/health" "${pids[-1]}" "$logs/web.log"
wait_for "Rasa" "http://127.0.0.1:$rasa_port/" "${pids[1]}" "$logs/rasa.log"

cat <<INFO

Waardecoach is running:
  Chat page with the widget  http://127.0.0.1:$web_port/
  Trainer review page        http://127.0.0.1:$web_port/trainer/  $trainer_note
  Rasa (REST and socket.io)  http://127.0.0.1:$rasa_port/webhooks/rest/webhook
Transcripts: $WAARDECOACH_DATABASE_URL
Logs: $logs/. Press Ctrl-C to stop everything.
INFO
wait -n "${pids[@]}"
echo "A server stopped; see $logs/. Stopping the others." >&2
