-- wrk script of bench/soak: a mix of pages and writes, agents and
-- requesters, each request drawn by weight. Every response's status is
-- checked, not only wrk's "outside 2xx/3xx": the pages answer 200 and
-- the POSTs 303 to their ticket, and a 303 to /signin is a lost session,
-- which wrk alone would count as a success.
--
-- SOAK_MIX names the requests, one per line, tab-separated:
--   name  weight  method  path  cookie  status  [body file]
-- (bench/soak writes it; the status documents the page). done() prints
-- one SOAK_RESULT line: latency percentiles, wrong statuses, lost
-- sessions, socket errors, the count of each status and of each request
-- sent.

local mix, total = {}, 0

local function load_mix()
  local f = assert(io.open(assert(os.getenv("SOAK_MIX"), "SOAK_MIX"), "rb"))
  for line in f:lines() do
    local name, weight, method, path, cookie, _, body =
      line:match("^([^\t]+)\t(%d+)\t([^\t]+)\t([^\t]+)\t([^\t]*)\t(%d+)\t?([^\t]*)$")
    if name then
      local headers = {}
      if cookie ~= "" then headers["Cookie"] = cookie end
      local data = nil
      if body ~= "" then
        local b = assert(io.open(body, "rb"))
        data = b:read("*a")
        b:close()
        headers["Content-Type"] = os.getenv("SOAK_CONTENT_TYPE")
      end
      total = total + tonumber(weight)
      mix[#mix + 1] = {
        name = name, upto = total,
        req = wrk.format(method, path, headers, data),
      }
    end
  end
  f:close()
  assert(#mix > 0, "SOAK_MIX: no requests")
end

-- Each thread keeps its own counts (threads are separate Lua states);
-- done() reads them through the thread objects setup() kept.
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

-- Globals, not locals: thread:get() reads only globals.
sent = {}

function init(args)
  load_mix()
  for _, m in ipairs(mix) do
    sent[m.name] = 0
  end
end

-- wrk's response() is not told which request it answers, so a response
-- is checked by kind: the pages answer 200 and the POSTs 303 to the
-- ticket; anything else is wrong, and a 303 to /signin is a lost session
-- (wrk alone would count both 303s as successes).
function request()
  local r = math.random(total)
  for _, m in ipairs(mix) do
    if r <= m.upto then
      sent[m.name] = sent[m.name] + 1
      return m.req
    end
  end
end

wrong, signin, statuses = 0, 0, {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local loc = headers["Location"] or headers["location"] or ""
  if status ~= 200 and status ~= 303 then
    wrong = wrong + 1
  elseif status == 303 and loc:find("/signin", 1, true) then
    signin = signin + 1
  end
end

local function tally(t)
  local parts = {}
  for k, v in pairs(t) do parts[#parts + 1] = k .. ":" .. v end
  table.sort(parts)
  return table.concat(parts, ",")
end

function done(summary, latency, requests)
  local e = summary.errors
  local w, s, st, per = 0, 0, {}, {}
  for _, t in ipairs(threads) do
    w = w + t:get("wrong")
    s = s + t:get("signin")
    for k, v in pairs(t:get("statuses")) do st[k] = (st[k] or 0) + v end
    for k, v in pairs(t:get("sent")) do per[k] = (per[k] or 0) + v end
  end
  io.write(string.format(
    "SOAK_RESULT requests=%d duration_us=%d bytes=%d p50_us=%.0f " ..
    "p99_us=%.0f p999_us=%.0f max_us=%.0f wrong_status=%d signin=%d " ..
    "wrk_status_errors=%d socket_errors=%d timeouts=%d statuses=%s sent=%s\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99),
    latency:percentile(99.9), latency.max, w, s, e.status,
    e.connect + e.read + e.write + e.timeout, e.timeout, tally(st),
    tally(per)))
end
