-- Shared by the endpoint scripts: reading request lines, seeding randomness per thread, and
-- printing the run's summary as one JSON line for bench/__main__.py to read.
local common = {}

function common.read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then
      lines[#lines + 1] = line
    end
  end
  assert(#lines > 0, "no request lines in " .. path)
  return lines
end

-- Tab-separated fields; an empty field stays an empty string.
function common.fields(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    fields[#fields + 1] = field
  end
  return fields
end

function common.auth(token)
  if token == nil or token == "" then
    return {}
  end
  return { ["Authorization"] = "Bearer " .. token }
end

local threads = 0

-- Runs in the main state for each thread: number the threads, so that each one seeds its
-- random numbers (and starts in the request lines) differently.
function common.setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function common.seed_random()
  math.randomseed(tonumber(os.getenv("BENCH_SEED") or os.time()) + 7919 * (thread_number or 1))
end

function common.done(summary, latency, _requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p99_us": %d}\n',
    summary.requests,
    summary.duration,
    errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50),
    latency:percentile(99)
  ))
end

return common
