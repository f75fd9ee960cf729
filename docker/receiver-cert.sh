#!/bin/sh
# docker/receiver-cert: docker-compose.yml only — issues the reference receiver a TLS server certificate for the
# name `receiver` (its compose service name) from the development intermediate CA, because the one
# `xborder certs init` makes names only localhost. Idempotent; for development PKIs only: a partner's real
# receiver presents a certificate from its own CA.
set -eu
pki="${PKI_DIR:-/var/lib/xborder/pki}"
owner="${OWNER:-1000:1000}"
out="$pki/receiver/compose"
if [ -s "$out/server.crt" ] && [ -s "$out/server.key" ]; then
  echo "receiver certificate for 'receiver' already in $out"
  exit 0
fi
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/server.key"
openssl req -new -key "$tmp/server.key" -subj "/O=xborder (development)/CN=xborder-receiver" -out "$tmp/server.csr"
cat > "$tmp/ext.cnf" <<'EXT'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:receiver, DNS:localhost
EXT
openssl x509 -req -in "$tmp/server.csr" -CA "$pki/ca/intermediate.crt" -CAkey "$pki/ca/intermediate.key" \
  -set_serial "0x$(openssl rand -hex 16)" -days 365 -sha256 -extfile "$tmp/ext.cnf" -out "$tmp/leaf.crt"
# Leaf first, then the intermediate: the gateway verifies up to the development root it trusts.
cat "$tmp/leaf.crt" "$pki/ca/intermediate.crt" > "$tmp/server.crt"
install -m 0600 "$tmp/server.key" "$out/server.key"
install -m 0644 "$tmp/server.crt" "$out/server.crt"
chown -R "$owner" "$out"
echo "issued $out/server.crt for DNS:receiver"
