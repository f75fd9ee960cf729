--[[
  Removes a finished transfer from Redis (retention: the ledger keeps its history), compare-and-set: only when
  its status and hold reasons are still those the caller read (they name the index keys passed here).
    Input:
      KEYS[1]     transfer hash
      KEYS[2 ..]  every other key of the transfer: its people SETs (and their pre-#12 names) to delete, and the
                  indexes it is in (all, exporter, status, tier, each hold reason) to leave
      ARGV[1]     transfer id (the member in every index)
      ARGV[2]     expected status
      ARGV[3]     expected `holdReasons` field as the caller read it
      ARGV[4]     how many keys after KEYS[1] are deleted (the rest are indexes the id leaves)
    Output:
      "ok"         purged
      "missing"    no such transfer
      "changed"    the status or hold reasons moved since the caller read them: nothing written
]]
if redis.call("EXISTS", KEYS[1]) == 0 then
  return "missing"
end
if redis.call("HGET", KEYS[1], "status") ~= ARGV[2] then
  return "changed"
end
if (redis.call("HGET", KEYS[1], "holdReasons") or "") ~= ARGV[3] then
  return "changed"
end
local deleted = tonumber(ARGV[4])
for i = 2 + deleted, #KEYS do
  redis.call("ZREM", KEYS[i], ARGV[1])
end
redis.call("DEL", KEYS[1])
for i = 2, 1 + deleted do
  redis.call("DEL", KEYS[i])
end
return "ok"
