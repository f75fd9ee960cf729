--[[
  Takes the sequencer lease if nobody holds it, under a new epoch (a fencing token, Kleppmann's "How to do
  distributed locking"): every term gets a number larger than any before it, so writes can be ordered by term.
    KEYS[1] lease key
    KEYS[2] epoch counter (never expires, never decreases)
    ARGV[1] owner token (random per process)
    ARGV[2] lease duration (ms)
  Output:
    the new epoch (>= 1), the lease now holding "<epoch>:<token>"
    0  the lease is held (by anyone, this owner included): nothing changed
]]
if redis.call("EXISTS", KEYS[1]) == 1 then
  return 0
end
local epoch = redis.call("INCR", KEYS[2])
redis.call("SET", KEYS[1], epoch .. ":" .. ARGV[1], "PX", ARGV[2], "NX")
return epoch
