-- wrk script: cycle through a file of requests, one JSON-free line each: METHOD<TAB>PATH[<TAB>BODY].
-- Headers come from the environment: BENCH_AUTH (a bearer token), BENCH_CONTENT_TYPE.
local requests = {}
local counter = 0

function init(args)
  local file = assert(io.open(args[1], "r"))
  local headers = {}
  local auth = os.getenv("BENCH_AUTH")
  if auth and auth ~= "" then headers["Authorization"] = "Bearer " .. auth end
  local content_type = os.getenv("BENCH_CONTENT_TYPE")
  if content_type and content_type ~= "" then headers["Content-Type"] = content_type end
  for line in file:lines() do
    local method, path, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
    if method then
      if body == "" then body = nil end
      requests[#requests + 1] = wrk.format(method, path, headers, body)
    end
  end
  file:close()
  -- Each thread starts at a different offset so threads do not hit the same request in lockstep.
  counter = math.random(#requests)
end

function request()
  counter = counter % #requests + 1
  return requests[counter]
end

function done(summary, latency, requests_)
  io.write(string.format("BENCH_JSON {\"requests\": %d, \"duration_us\": %d, \"errors\": %d, " ..
    "\"non2xx\": %d, \"p50_us\": %d, \"p99_us\": %d, \"mean_us\": %.1f}\n",
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99), latency.mean))
end
