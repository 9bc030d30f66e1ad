#!/bin/sh
# Regenerates Handshake Lab's test PKI. TEST KEYS ONLY: they are published in this
# repository and protect nothing. Needs the openssl command line (Debian: openssl).
#
# OpenSSL 3.0 has no -not_before/-not_after on req/x509, so every certificate is
# signed with `openssl ca`, which takes explicit -startdate/-enddate: the validity
# windows below are fixed, not "from today", and the lessons never age.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

VALID_FROM=20250101000000Z
VALID_TO=20351231235959Z

cat >"$work/ca.cnf" <<CNF
[ca]
default_ca = lab
[lab]
database = $work/index.txt
serial = $work/serial
new_certs_dir = $work
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
[ca_ext]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment, keyAgreement
extendedKeyUsage = serverAuth
subjectAltName = \$ENV::SAN
[client_ext]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
CNF
: >"$work/index.txt"
echo 1000 >"$work/serial"
export SAN="DNS:unused"

key_rsa() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }
key_ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:"$2" -out "$1"; }

# sign NAME CN ISSUER EXT FROM TO
sign() {
  openssl req -new -config "$work/ca.cnf" -key "$1.key" -subj "/O=Handshake Lab Test PKI/CN=$2" \
    -out "$work/$1.csr"
  openssl ca -batch -config "$work/ca.cnf" -in "$work/$1.csr" -out "$1.crt" -notext \
    -cert "$3.crt" -keyfile "$3.key" -extensions "$4" -startdate "$5" -enddate "$6" 2>/dev/null
}

# The root signs itself.
key_rsa root-ca.key
openssl req -new -config "$work/ca.cnf" -key root-ca.key \
  -subj "/O=Handshake Lab Test PKI/CN=Handshake Lab Test Root CA" -out "$work/root.csr"
openssl ca -batch -config "$work/ca.cnf" -selfsign -in "$work/root.csr" -out root-ca.crt -notext \
  -keyfile root-ca.key -extensions ca_ext -startdate 20150101000000Z -enddate 20451231235959Z 2>/dev/null

key_rsa intermediate-ca.key
sign intermediate-ca "Handshake Lab Test Intermediate CA" root-ca ca_ext 20150101000000Z 20401231235959Z
key_ec intermediate-ec-ca.key P-256
sign intermediate-ec-ca "Handshake Lab Test EC Intermediate CA" root-ca ca_ext 20150101000000Z 20401231235959Z

leaf() { # NAME CN SAN ISSUER FROM TO
  SAN="$3" sign "$1" "$2" "$4" server_ext "$5" "$6"
  cat "$1.crt" "$4.crt" >"$1-chain.pem"
}

key_rsa server-rsa.key
leaf server-rsa server.example "DNS:server.example,DNS:www.server.example" intermediate-ca $VALID_FROM $VALID_TO
key_ec server-ecdsa-p256.key P-256
leaf server-ecdsa-p256 ecdsa.server.example "DNS:ecdsa.server.example" intermediate-ca $VALID_FROM $VALID_TO
key_ec server-ecdsa-p384.key P-384
leaf server-ecdsa-p384 p384.server.example "DNS:p384.server.example" intermediate-ca $VALID_FROM $VALID_TO
key_ec server-ecdh.key P-256
leaf server-ecdh ecdh.server.example "DNS:ecdh.server.example" intermediate-ec-ca $VALID_FROM $VALID_TO
key_rsa server-expired.key
leaf server-expired server.example "DNS:server.example" intermediate-ca 20200101000000Z 20210101000000Z
key_rsa server-not-yet-valid.key
leaf server-not-yet-valid server.example "DNS:server.example" intermediate-ca 20300101000000Z 20400101000000Z
key_rsa server-wrong-host.key
leaf server-wrong-host other.example "DNS:other.example" intermediate-ca $VALID_FROM $VALID_TO

# A chain that leaves out the intermediate: the client cannot link the leaf to the root.
cp server-rsa.crt server-missing-intermediate-chain.pem

# Self-signed: its own issuer, trusted by no one.
key_rsa server-self-signed.key
SAN="DNS:server.example" openssl req -new -config "$work/ca.cnf" -key server-self-signed.key \
  -subj "/O=Nobody/CN=server.example" -out "$work/self.csr"
SAN="DNS:server.example" openssl ca -batch -config "$work/ca.cnf" -selfsign -in "$work/self.csr" \
  -out server-self-signed.crt -notext -keyfile server-self-signed.key -extensions server_ext \
  -startdate $VALID_FROM -enddate $VALID_TO 2>/dev/null
cp server-self-signed.crt server-self-signed-chain.pem

key_rsa client.key
sign client "Handshake Lab Student" intermediate-ca client_ext $VALID_FROM $VALID_TO
cat client.crt intermediate-ca.crt >client-chain.pem

# The CA keys are not needed by any lesson; keep them so the PKI can be extended.
echo "Test PKI regenerated in $(pwd)"
