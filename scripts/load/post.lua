-- wrk script: POSTs the JSON body of a file to one path, signed in with a session cookie, as
-- the site's own pages would (Origin), and prints the summary line of rotate.lua (whose done()
-- it reuses).
--
--   wrk -t1 -c20 -d60s --latency -s post.lua http://127.0.0.1:3921 -- /api/v1/partnerships body.json "atlas_session=…"

local here = debug.getinfo(1, "S").source:sub(2):match("^(.*/)") or "./"
dofile(here .. "../bench/rotate.lua")
-- The same request every time, built by wrk from wrk.method, wrk.path, wrk.headers, wrk.body.
request = nil

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
