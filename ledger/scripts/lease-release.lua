--[[
  Gives the lease up (a clean shutdown or step-down) so another process can take over at once.
    KEYS[1] lease key
    ARGV[1] lease value "<epoch>:<token>"
  Output:
    1  released
    0  not held in this term (nothing done)
]]
if redis.call("GET", KEYS[1]) == ARGV[1] then
  redis.call("DEL", KEYS[1])
  return 1
end
return 0
