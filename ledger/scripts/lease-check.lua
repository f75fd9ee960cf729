--[[
  Answers whether a term still holds the lease, and the latest epoch ever granted (a stale holder learns how far
  behind it is). Read-only.
    KEYS[1] lease key
    KEYS[2] epoch counter
    ARGV[1] lease value "<epoch>:<token>"
  Output:
    { 1 | 0 (held in this term or not), latest epoch granted }
]]
local held = 0
if redis.call("GET", KEYS[1]) == ARGV[1] then
  held = 1
end
return { held, tonumber(redis.call("GET", KEYS[2]) or "0") }
