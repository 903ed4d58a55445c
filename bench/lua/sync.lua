-- POST /api/v1/progress/events: batches of BENCH_BATCH new events (fresh UUIDs every time) for
-- learners from BENCH_REQUESTS ("access token<TAB>course<TAB>lesson,lesson,...").
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")

local learners = {}
local batch = tonumber(os.getenv("BENCH_BATCH") or "50")
local verbs = { "started", "started", "position", "position", "completed" }

setup = common.setup

function init(_args)
  common.seed_random()
  for _, line in ipairs(common.read_lines(os.getenv("BENCH_REQUESTS"))) do
    local fields = common.fields(line)
    local lessons = {}
    for lesson in fields[3]:gmatch("[^,]+") do
      lessons[#lessons + 1] = lesson
    end
    local headers = common.auth(fields[1])
    headers["Content-Type"] = "application/json"
    learners[#learners + 1] = { headers = headers, course = fields[2], lessons = lessons }
  end
end

local function hex(digits)
  return string.format("%0" .. digits .. "x", math.random(0, 16 ^ digits - 1))
end

local function uuid4()
  return hex(4) .. hex(4) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-"
    .. string.format("%x", math.random(8, 11)) .. hex(3) .. "-" .. hex(4) .. hex(4) .. hex(4)
end

function request()
  local learner = learners[math.random(#learners)]
  local now = os.time()
  local events = {}
  for i = 1, batch do
    local verb = verbs[math.random(#verbs)]
    local position = ""
    if verb == "position" then
      position = string.format(',"position":%.1f', math.random() * 600)
    end
    events[i] = string.format(
      '{"id":"%s","course":"%s","lesson":"%s","verb":"%s","at":"%s"%s}',
      uuid4(),
      learner.course,
      learner.lessons[math.random(#learner.lessons)],
      verb,
      os.date("!%Y-%m-%dT%H:%M:%S+00:00", now - math.random(0, 3600)),
      position
    )
  end
  local body = '{"events":[' .. table.concat(events, ",") .. "]}"
  return wrk.format("POST", "/api/v1/progress/events", learner.headers, body)
end

done = common.done
