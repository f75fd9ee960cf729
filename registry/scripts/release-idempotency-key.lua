--[[
  Gives a claim up after its request failed before creating anything.
    Input:
      KEYS[1]     the idempotency key
      ARGV[1]     owner token
    Output:
      1   deleted
      0   the key is not this owner's (nothing done)
]]
local text = redis.call("GET", KEYS[1])
if not text then
  return 0
end
if cjson.decode(text).owner ~= ARGV[1] then
  return 0
end
redis.call("DEL", KEYS[1])
return 1
