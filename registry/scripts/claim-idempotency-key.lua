--[[
  Claims an Idempotency-Key for one request, or answers what the key already holds. Leases are timed by
  Redis' own clock (TIME), so they do not depend on the gateways' clocks agreeing.
    Input:
      KEYS[1]     the idempotency key
      ARGV[1]     manifest digest
      ARGV[2]     owner token
      ARGV[3]     lease (ms)
      ARGV[4]     TTL of the key (s)
    Output:
      {"claimed"}
      {"done", digest, transfer id}          a finished claim (a stored value without an owner)
      {"in_progress", digest, ms left}       another request holds the lease
      {"orphan", digest, transfer id, text}  a lapsed lease whose holder had bound a transfer id (the caller
                                             resolves it with resolve-idempotency-orphan.lua)
]]
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local text = redis.call("GET", KEYS[1])
if text then
  local held = cjson.decode(text)
  if held.owner == nil then
    return { "done", held.manifestSha256, held.transferId }
  end
  local leaseUntil = tonumber(held.leaseUntil) or 0
  if leaseUntil > now then
    return { "in_progress", held.manifestSha256, tostring(leaseUntil - now) }
  end
  if held.transferId then
    return { "orphan", held.manifestSha256, held.transferId, text }
  end
end
redis.call("SET", KEYS[1], cjson.encode({ manifestSha256 = ARGV[1], owner = ARGV[2],
  leaseUntil = now + tonumber(ARGV[3]) }), "EX", ARGV[4])
return { "claimed" }
