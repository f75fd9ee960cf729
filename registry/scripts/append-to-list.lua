--[[
  Appends one element to a JSON array held in a field of an existing hash.
    Input:
      KEYS[1]     the hash (a transfer record)
      ARGV[1]     field holding the JSON array
      ARGV[2]     the element, as JSON
    Output:
      the array's new length, or -1 when the hash does not exist
]]
if redis.call("EXISTS", KEYS[1]) == 0 then
  return -1
end
local list = cjson.decode(redis.call("HGET", KEYS[1], ARGV[1]) or "[]")
table.insert(list, cjson.decode(ARGV[2]))
redis.call("HSET", KEYS[1], ARGV[1], cjson.encode(list))
return #list
