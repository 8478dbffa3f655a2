-- wrk script for scripts/loadtest.sh: every connection cycles through the paths listed in the
-- file named after "--" (one a line), and the summary gives throughput, latency percentiles,
-- status classes, page-cache hits and errors.
--
--   wrk -c 50 -d 60s -s scripts/loadtest.lua http://127.0.0.1:8099 -- urls.txt [label]

-- Requests come as from the reverse proxy, which terminates TLS (see docs/deployment.md).
wrk.headers["X-Forwarded-Proto"] = "https"

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("offset", #threads)
end

function init(args)
   paths = {}
   for line in io.lines(args[1]) do
      if line ~= "" then
         paths[#paths + 1] = line
      end
   end
   if #paths == 0 then
      error("no paths in " .. args[1])
   end
   label = args[2] or "loadtest"
   -- Threads start at different places in the list, so the mix stays even at any moment.
   index = (offset - 1) * 7 % #paths + 1
   s2xx, s3xx, s4xx, s5xx, hits, misses = 0, 0, 0, 0, 0, 0
end

function request()
   local path = paths[index]
   index = index % #paths + 1
   return wrk.format("GET", path)
end

function response(status, headers, body)
   if status < 300 then
      s2xx = s2xx + 1
   elseif status < 400 then
      s3xx = s3xx + 1
   elseif status < 500 then
      s4xx = s4xx + 1
   else
      s5xx = s5xx + 1
   end
   local cache = headers["X-Cache"] or headers["x-cache"]
   if cache == "hit" then
      hits = hits + 1
   elseif cache == "miss" then
      misses = misses + 1
   end
end

function done(summary, latency, requests)
   local total = {s2xx = 0, s3xx = 0, s4xx = 0, s5xx = 0, hits = 0, misses = 0}
   local name
   for _, thread in ipairs(threads) do
      for key in pairs(total) do
         total[key] = total[key] + thread:get(key)
      end
      name = name or thread:get("label")
   end
   local seconds = summary.duration / 1e6
   local e = summary.errors
   local socket = e.connect + e.read + e.write + e.timeout
   local bad = total.s4xx + total.s5xx
   local function ms(p)
      return latency:percentile(p) / 1000
   end
   io.write("\n")
   io.write(string.format("%d requests in %.1f s: %.1f requests/s\n",
      summary.requests, seconds, summary.requests / seconds))
   io.write(string.format("latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f\n",
      ms(50), ms(95), ms(99), latency.max / 1000))
   io.write(string.format("responses: 2xx %d  3xx %d  4xx %d  5xx %d;  X-Cache hit %d  miss %d\n",
      total.s2xx, total.s3xx, total.s4xx, total.s5xx, total.hits, total.misses))
   io.write(string.format(
      "errors: %d non-2xx/3xx, %d socket (connect %d, read %d, write %d, timeout %d)\n",
      bad, socket, e.connect, e.read, e.write, e.timeout))
   io.write(string.format("RESULT %s rps=%.1f p50=%.1f p95=%.1f p99=%.1f errors=%d\n",
      name or "loadtest", summary.requests / seconds, ms(50), ms(95), ms(99), bad + socket))
end
