-- wrk script: POSTs the JSON body of a file to one path, signed in with a session cookie, as
-- the site's own pages would (Origin), and prints the same summary line as rotate.lua.
--
--   wrk -t1 -c20 -d60s --latency -s post.lua http://127.0.0.1:3921 -- /api/v1/partnerships body.json "atlas_session=…"

function init(args)
  local file = assert(io.open(args[2], "r"), "cannot open " .. tostring(args[2]))
  wrk.body = file:read("*a")
  file:close()
  wrk.method = "POST"
  wrk.path = args[1]
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Cookie"] = args[3]
  wrk.headers["Origin"] = wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d "
      .. "mean_us=%.0f err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
