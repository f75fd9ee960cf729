--[[
  Resolves a lapsed claim whose holder bound a transfer id: answers the transfer if it exists (the holder died
  after creating it), or takes the key over if not (it died before, so nothing was created).
    Input:
      KEYS[1]     the idempotency key
      KEYS[2]     the bound transfer's record
      ARGV[1]     the stored text claim-idempotency-key.lua saw
      ARGV[2]     manifest digest
      ARGV[3]     owner token
      ARGV[4]     lease (ms)
      ARGV[5]     TTL of the key (s)
    Output:
      {"changed"}                      the key moved meanwhile: nothing written, claim again
      {"done", digest, transfer id}    the transfer exists
      {"claimed"}                      the key is this owner's now
]]
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local text = redis.call("GET", KEYS[1])
if text ~= ARGV[1] then
  return { "changed" }
end
local held = cjson.decode(text)
if redis.call("EXISTS", KEYS[2]) == 1 then
  redis.call("SET", KEYS[1], cjson.encode({ manifestSha256 = held.manifestSha256,
    transferId = held.transferId }), "EX", ARGV[5])
  return { "done", held.manifestSha256, held.transferId }
end
redis.call("SET", KEYS[1], cjson.encode({ manifestSha256 = ARGV[2], owner = ARGV[3],
  leaseUntil = now + tonumber(ARGV[4]) }), "EX", ARGV[5])
return { "claimed" }
