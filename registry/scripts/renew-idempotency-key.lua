--[[
  Renews a claim's lease, and optionally binds the id of the transfer about to be created to it.
    Input:
      KEYS[1]     the idempotency key
      ARGV[1]     owner token
      ARGV[2]     lease (ms)
      ARGV[3]     transfer id to bind, or ""
    Output:
      1   renewed
      0   the key is not this owner's (lapsed and taken over, or gone)
]]
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local text = redis.call("GET", KEYS[1])
if not text then
  return 0
end
local held = cjson.decode(text)
if held.owner ~= ARGV[1] then
  return 0
end
held.leaseUntil = now + tonumber(ARGV[2])
if ARGV[3] ~= "" then
  held.transferId = ARGV[3]
end
redis.call("SET", KEYS[1], cjson.encode(held), "KEEPTTL")
return 1
