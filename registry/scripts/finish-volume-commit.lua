--[[
  The last step of a commit, atomic and once per transfer (the member copies before it are idempotent): counts
  the transfer's people into its exporter's year, and past the top threshold switches that year to an estimate
  with the exact count kept as a floor (registry/volume-store.ts says why).
    Input:
      KEYS[1]     transfer hash (the once-only mark, field volumeCommitted)
      KEYS[2]     the year's state hash (modes, floors, declared-only surplus)
      KEYS[3]     the year's exact SET of people; KEYS[4] of people with sensitive PI
      KEYS[5]     the year's HyperLogLog of people; KEYS[6] of people with sensitive PI
      KEYS[7]     the transfer's people (SET, or an HLL recorded before exact counting); KEYS[8] sensitive
      ARGV[1]     declared individuals
      ARGV[2]     declared individuals with sensitive PI
      ARGV[3]     the HLL safety margin (a fraction)
      ARGV[4]     the exact limit (the top threshold)
    Output:
      1   committed now
      0   committed before (nothing done)
]]
if redis.call("HSETNX", KEYS[1], "volumeCommitted", "1") == 0 then return 0 end
local margin = tonumber(ARGV[3])
local limit = tonumber(ARGV[4])
local function finish(suffix, surplusField, yearSet, yearHll, tKey, declared)
  local mode = redis.call("HGET", KEYS[2], "mode" .. suffix) or "exact"
  local ttype = redis.call("TYPE", tKey)["ok"]
  local tcount = 0
  if ttype == "set" then
    tcount = redis.call("SCARD", tKey)
  elseif ttype == "string" then
    -- A transfer recorded as an HLL before exact counting: merged, and counted whole as surplus with the margin.
    redis.call("PFMERGE", yearHll, yearHll, tKey)
    local c = redis.call("PFCOUNT", tKey)
    if c > 0 then tcount = math.ceil(c * (1 + margin)) end
    if mode == "exact" then redis.call("HINCRBY", KEYS[2], surplusField, tcount) end
  end
  redis.call("HINCRBY", KEYS[2], surplusField, math.max(0, declared - tcount))
  if mode == "exact" then
    local n = redis.call("SCARD", yearSet)
    if n > limit then
      -- Past the top threshold: keep the exact count as a floor and free the SET.
      redis.call("HSET", KEYS[2], "mode" .. suffix, "estimate", "floor" .. suffix, n)
      redis.call("UNLINK", yearSet)
    end
  else
    redis.call("UNLINK", yearSet)
  end
end
finish("I", "individuals", KEYS[3], KEYS[5], KEYS[7], tonumber(ARGV[1]))
finish("S", "sensitive", KEYS[4], KEYS[6], KEYS[8], tonumber(ARGV[2]))
return 1
