-- wrk script of bench/run. A GET (with the session cookie in
-- BENCH_COOKIE, if any), or a POST of the form body in BENCH_BODY_FILE
-- with BENCH_CONTENT_TYPE. done() prints one line that bench/run parses.
-- wrk counts as errors only socket errors and statuses outside 2xx/3xx;
-- bench/run checks the exact status of each page before and after.

local cookie = os.getenv("BENCH_COOKIE")
local body_file = os.getenv("BENCH_BODY_FILE")

if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE")
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d bytes=%d p50_us=%.0f " ..
    "p99_us=%.0f p999_us=%.0f max_us=%.0f status_errors=%d " ..
    "socket_errors=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99),
    latency:percentile(99.9), latency.max, e.status,
    e.connect + e.read + e.write + e.timeout))
end
