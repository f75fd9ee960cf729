--[[
  Records a batch the sequencer has already made durable on disk, and tells waiting producers.
    KEYS[1]   lease key
    KEYS[2]   state hash: size (entries acknowledged = next index), cursor (last stream id integrated)
    KEYS[3]   pending stream
    KEYS[4..] one done key per newly integrated event ("<prefix>:done:<event id>")
    ARGV[1]   owner token
    ARGV[2]   state size before this batch (what the sequencer started from)
    ARGV[3]   state size after this batch
    ARGV[4]   stream cursor: the last stream id the batch consumed ("" = unchanged)
    ARGV[5]   pub/sub channel
    ARGV[6]   message to publish: JSON [[event id, index, duplicate 0|1], ...]
    ARGV[7..] per done key, in KEYS order, two values: its index, then how long it is kept (ms) — the window in
              which that id may come again
  Output:
    1   recorded and published
    0   the lease is not held by this owner: nothing written, the caller must step down
   -1   state size is not ARGV[2] (another sequencer recorded entries): nothing written, the caller must step down
]]
if redis.call("GET", KEYS[1]) ~= ARGV[1] then
  return 0
end
local size = tonumber(redis.call("HGET", KEYS[2], "size") or "0")
if size ~= tonumber(ARGV[2]) then
  return -1
end
for i = 4, #KEYS do
  local at = 7 + (i - 4) * 2
  redis.call("SET", KEYS[i], ARGV[at], "PX", ARGV[at + 1])
end
redis.call("HSET", KEYS[2], "size", ARGV[3])
if ARGV[4] ~= "" then
  redis.call("HSET", KEYS[2], "cursor", ARGV[4])
  -- Entries before the cursor are integrated and acknowledged: drop them.
  redis.call("XTRIM", KEYS[3], "MINID", ARGV[4])
end
redis.call("PUBLISH", ARGV[5], ARGV[6])
return 1
