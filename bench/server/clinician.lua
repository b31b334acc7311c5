-- wrk script: the seeded clinicians (issue 14's figure), each on a
-- connection of their own (one wrk thread per clinician, one connection
-- each), opening one kind of page after a random pause (0 to PAUSE ms):
-- their caseload (GET /clinician) or one of their people's pages (GET
-- /clinician/person/{id}, a person at random), so that wrk's latency
-- figures are that page's.
--
--   wrk -t20 -c20 -d60s --latency -s clinician.lua http://127.0.0.1:8441 \
--       -- SESSIONS KIND AUTHORITY PAUSE
--
-- SESSIONS: the seed tool's clinicians file (cookie token, CSRF token,
-- account id, their people's ids comma-separated, a line).
-- KIND: caseload or person. AUTHORITY: the server's public host:port.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

kind, authority, pause = nil, nil, nil
statuses = {}
local me = nil

function init(args)
  kind, authority, pause = args[2], args[3], tonumber(args[4] or "2000")
  local all = {}
  for line in io.lines(args[1]) do
    local token, people = line:match("^(%S+) %S+ %S+ (%S+)")
    if token then
      local ids = {}
      for p in people:gmatch("[^,]+") do ids[#ids + 1] = p end
      all[#all + 1] = { token = token, people = ids }
    end
  end
  me = all[(id % #all) + 1]
  math.randomseed(os.time() * 100 + id)
end

function delay()
  return math.random(0, pause)
end

function request()
  local headers = { Host = authority, Cookie = "feltsense-session=" .. me.token }
  if kind == "caseload" then
    return wrk.format("GET", "/clinician", headers)
  end
  return wrk.format("GET", "/clinician/person/" .. me.people[math.random(#me.people)], headers)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local ms = function(us) return string.format("%.1f", us / 1000) end
  local seconds = summary.duration / 1e6
  local answers = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      answers[status] = (answers[status] or 0) + n
    end
  end
  local shown = {}
  for status, n in pairs(answers) do shown[#shown + 1] = status .. ":" .. n end
  table.sort(shown)
  io.write(string.format("RESULT kind=%s requests=%d rps=%.1f p50=%s p90=%s p99=%s max=%s errors=%d statuses=%s\n",
    threads[1]:get("kind"), summary.requests, summary.requests / seconds,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency.max),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status,
    table.concat(shown, ",")))
end
