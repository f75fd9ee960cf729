--[[
  Extends the sequencer lease if the caller still holds it in the same term.
    KEYS[1] lease key
    ARGV[1] lease value "<epoch>:<token>" (what lease-acquire.lua set)
    ARGV[2] lease duration (ms)
  Output:
    1  renewed
    0  not held in this term (expired, taken over): the caller has lost the lease and must stop writing
]]
if redis.call("GET", KEYS[1]) == ARGV[1] then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  return 1
end
return 0
