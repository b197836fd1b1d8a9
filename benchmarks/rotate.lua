-- Each request asks for the next of many different paths (one per line in $WRK_PATHS):
-- the cold case, where no cache has seen the page yet.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  paths[#paths + 1] = line
end
local counter = math.random(#paths)
request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
