-- Each request asks for the next of many different paths (one per line in $WRK_PATHS), so that
-- no two requests in a row ask for the same page. The $WRK_THREADS threads start evenly apart in
-- the list, so they do not ask for the same page at the same time either.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  paths[#paths + 1] = line
end

local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

function init(args)
  counter = math.floor(offset * #paths / tonumber(os.getenv("WRK_THREADS")))
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
