--[[
  Writes one transfer's new status (or the same status) and fields, compare-and-set: only when the record is
  still what the caller read and judged (its status, and one guarded field such as the decisions or the hold
  reasons). The store never judges; the caller decides what to write and retries on "changed".
    Input:
      KEYS[1]     transfer hash
      KEYS[2]     status index of the expected current status (the id leaves it when the status changes)
      KEYS[3]     status index of the new status (the id joins it)
      KEYS[4 ..]  first the indexes the id leaves (ARGV[5] of them: hold reasons it no longer has), then the
                  indexes it joins (hold reasons it now has)
      ARGV[1]     transfer id (the member in every index)
      ARGV[2]     expected current status
      ARGV[3]     new status
      ARGV[4]     updatedAt (ISO time); statusAt too when the status changes
      ARGV[5]     how many index keys after KEYS[3] the id leaves
      ARGV[6]     guarded field name, or "" for none
      ARGV[7]     the guarded field's value as the caller read it ("" when absent)
      ARGV[8]     a JSON element appended to the `attempts` array with the change, or ""
      ARGV[9 ..]  field, value pairs set with the change
    Output:
      "ok"         written
      "missing"    no such transfer
      "changed"    the status or the guarded field is not what the caller read: nothing written
]]
if redis.call("EXISTS", KEYS[1]) == 0 then
  return "missing"
end
if redis.call("HGET", KEYS[1], "status") ~= ARGV[2] then
  return "changed"
end
if ARGV[6] ~= "" and (redis.call("HGET", KEYS[1], ARGV[6]) or "") ~= ARGV[7] then
  return "changed"
end
local id = ARGV[1]
if ARGV[3] ~= ARGV[2] then
  redis.call("ZREM", KEYS[2], id)
  redis.call("ZADD", KEYS[3], 0, id)
  redis.call("HSET", KEYS[1], "statusAt", ARGV[4])
end
local leaving = tonumber(ARGV[5])
for i = 4, 3 + leaving do
  redis.call("ZREM", KEYS[i], id)
end
for i = 4 + leaving, #KEYS do
  redis.call("ZADD", KEYS[i], 0, id)
end
redis.call("HSET", KEYS[1], "status", ARGV[3], "updatedAt", ARGV[4])
if ARGV[8] ~= "" then
  local attempts = cjson.decode(redis.call("HGET", KEYS[1], "attempts") or "[]")
  table.insert(attempts, cjson.decode(ARGV[8]))
  redis.call("HSET", KEYS[1], "attempts", cjson.encode(attempts))
end
for i = 9, #ARGV, 2 do
  redis.call("HSET", KEYS[1], ARGV[i], ARGV[i + 1])
end
return "ok"
