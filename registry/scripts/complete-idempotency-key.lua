--[[
  Marks a claim done: the key answers the created transfer from now on.
    Input:
      KEYS[1]     the idempotency key
      ARGV[1]     owner token
      ARGV[2]     transfer id
      ARGV[3]     TTL of the key (s)
    Output:
      1   done
      0   the key is not this owner's
]]
local text = redis.call("GET", KEYS[1])
if not text then
  return 0
end
local held = cjson.decode(text)
if held.owner ~= ARGV[1] then
  return 0
end
redis.call("SET", KEYS[1], cjson.encode({ manifestSha256 = held.manifestSha256, transferId = ARGV[2] }),
  "EX", ARGV[3])
return 1
