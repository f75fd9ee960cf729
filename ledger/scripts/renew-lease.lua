--[[
  Extends the sequencer lease if the caller still holds it.
    KEYS[1] lease key
    ARGV[1] owner token
    ARGV[2] lease duration (ms)
  Output:
    1  renewed
    0  not held by this owner (expired or taken over): the caller must stop sequencing
]]
if redis.call("GET", KEYS[1]) == ARGV[1] then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  return 1
end
return 0
