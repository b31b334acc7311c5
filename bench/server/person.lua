-- wrk script: signed-in people of a seeded server, each request from a
-- random one of them after a random pause (0 to PAUSE ms), all of one
-- kind so that wrk's latency figures are that kind's.
--
--   wrk -t2 -c200 -d60s --latency -s person.lua http://127.0.0.1:8441 \
--       -- SESSIONS KIND AUTHORITY PAUSE [SHARD]
--
-- SESSIONS: the seed tool's file (cookie token, CSRF token, id a line).
-- KIND: checkin (the check-in POST), calendar or insights (GET pages), or
-- healthz (no session: the floor of a request, for comparison).
-- AUTHORITY: the server's public host:port (Host and Origin).
-- SHARD: I/N, only the people whose line number is I modulo N (each
-- person's requests go to one instance, as a balancer with session
-- affinity sends them); all when absent.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local sessions = {}
kind, authority, pause = nil, nil, nil
statuses = {}
local words = {"calm", "tired", "lonely", "numb", "anxious", "content", "sad", "flat", "hopeful", "bored"}

function init(args)
  kind, authority, pause = args[2], args[3], tonumber(args[4] or "4000")
  local shard, shards = (args[5] or "0/1"):match("^(%d+)/(%d+)$")
  shard, shards = tonumber(shard), tonumber(shards)
  local n = 0
  for line in io.lines(args[1]) do
    local token, csrf = line:match("^(%S+) (%S+)")
    if token then
      if n % shards == shard then
        sessions[#sessions + 1] = { token = token, csrf = csrf }
      end
      n = n + 1
    end
  end
  math.randomseed(os.time() * 100 + id)
end

function delay()
  return math.random(0, pause)
end

function request()
  local s = sessions[math.random(#sessions)]
  if kind == "healthz" then
    return wrk.format("GET", "/healthz", { Host = authority })
  end
  local headers = { Host = authority, Cookie = "feltsense-session=" .. s.token }
  if kind ~= "checkin" then
    return wrk.format("GET", "/" .. kind, headers)
  end
  headers["Origin"] = "http://" .. authority
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  local word = words[math.random(#words)]
  local body = "csrf=" .. s.csrf .. "&feel=" .. word .. "&int_" .. word .. "=" .. math.random(1, 7)
    .. "&pleasantness=" .. math.random(-3, 3) .. "&note=from+the+load+tool"
  return wrk.format("POST", "/checkin", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local ms = function(us) return string.format("%.1f", us / 1000) end
  local seconds = summary.duration / 1e6
  local answers = {}
  local kind = threads[1]:get("kind")
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      answers[status] = (answers[status] or 0) + n
    end
  end
  local shown = {}
  for status, n in pairs(answers) do shown[#shown + 1] = status .. ":" .. n end
  table.sort(shown)
  io.write(string.format("RESULT kind=%s requests=%d rps=%.1f p50=%s p90=%s p99=%s max=%s errors=%d statuses=%s\n",
    kind, summary.requests, summary.requests / seconds,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency.max),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status,
    table.concat(shown, ",")))
end
