# Sourced by the reliability scripts: start `feltsense serve` and talk to it
# with curl as the browser would (the printed link, its cookie, the CSRF
# token of a form). Needs curl.

# web_start BIN WORKDIR: starts the server on a free port and signs in.
web_start() {
  local bin=$1 work=$2
  jar=$work/cookies
  "$bin" serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
  server=$!
  for _ in $(seq 1 100); do
    link=$(grep -o 'http://[^ ]*token=[0-9a-f]*' "$work/serve.out" || true)
    [ -n "$link" ] && break
    sleep 0.1
  done
  [ -n "$link" ] || { echo "feltsense serve printed no link:"; cat "$work/serve.err"; return 1; }
  origin=${link%%/\?*}
  local hostport=${origin#http://}
  resolve=(--resolve "${hostport%:*}:${hostport##*:}:127.0.0.1")
  curl -s "${resolve[@]}" -c "$jar" -b "$jar" -o /dev/null -L "$link"
  csrf=$(curl -s "${resolve[@]}" -b "$jar" "$origin/checkin" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
  [ -n "$csrf" ] || { echo "could not sign in to feltsense serve"; return 1; }
}

# web_post PATH FORM-DATA: POSTs a form; prints the HTTP status code.
web_post() {
  curl -s "${resolve[@]}" -b "$jar" -o /dev/null -w '%{http_code}' \
    -H "Origin: $origin" --data "csrf=$csrf&$2" "$origin$1"
}
