-- GET requests from the lines of BENCH_REQUESTS ("path<TAB>access token or nothing"), in turn.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

local requests = {}
local index = 0

setup = common.setup

function init(_args)
  common.seed_random()
  for _, line in ipairs(common.read_lines(os.getenv("BENCH_REQUESTS"))) do
    local fields = common.fields(line)
    requests[#requests + 1] = wrk.format("GET", fields[1], common.auth(fields[2]))
  end
  index = math.random(#requests)
end

function request()
  index = index % #requests + 1
  return requests[index]
end

done = common.done
