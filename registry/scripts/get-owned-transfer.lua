--[[
  Reads a transfer only if it is in one exporter's index: the tenant check and the read in one round trip, the
  same work whether the id is another exporter's or no one's.
    Input:
      KEYS[1]     transfer hash
      KEYS[2]     the exporter's transfer index
      ARGV[1]     transfer id
    Output:
      HGETALL's flat list of the transfer hash, or an empty list when the id is not in the exporter's index
]]
if not redis.call("ZSCORE", KEYS[2], ARGV[1]) then
  return {}
end
return redis.call("HGETALL", KEYS[1])
