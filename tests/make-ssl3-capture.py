"""Writes an SSL 3.0 connection as a pcap, and its NSS key log: no library here speaks
SSL 3.0 (OpenSSL 3.0 and BearSSL 0.6 dropped it), so this script plays both sides.

    make-ssl3-capture.py PKI_DIR OUT.pcap OUT.keys [aes|3des]

SSL_RSA_WITH_AES_128_CBC_SHA (0x002F, AES suites as RFC 3268 defines them, which SSL 3.0
implementations also offered), or SSL_RSA_WITH_3DES_EDE_CBC_SHA (0x000A, RFC 6101's own),
with RSA key exchange, per RFC 6101:
- master_secret and key_block from MD5 and SHA-1 over 'A', 'BB', 'CCC'... (6.1, 6.2.2);
- records MACed with SSL 3.0's own keyed hash, not HMAC (5.2.3.1), CBC-encrypted with the
  IV chained from the key block (5.2.3.2), padding of any value under the block size;
- Finished: MD5 and SHA-1 over the handshake, the sender ("CLNT", "SRVR"), the master
  secret and the pads (5.6.9), 36 bytes;
- the ClientKeyExchange is the RSA-encrypted premaster with no length before it (5.6.7.1).

The primitives come from the openssl command (AES-128-CBC or DES-EDE3-CBC with -nopad, RSA PKCS #1 v1.5
encryption with the server's certificate), MD5 and SHA-1 from Python's hashlib; the
randoms from a fixed seed, so the file is the same every time (the RSA padding aside).
"""
import hashlib
import os
import struct
import subprocess
import sys

pki, out_pcap, out_keys = sys.argv[1], sys.argv[2], sys.argv[3]
cipher = sys.argv[4] if len(sys.argv) > 4 else "aes"
seed = b"ssl3-" + cipher.encode()
KEY_LEN, BLOCK, OPENSSL_CIPHER, SUITE = {"aes": (16, 16, "-aes-128-cbc", b"\x00\x2f"),
                                         "3des": (24, 8, "-des-ede3-cbc", b"\x00\x0a")}[cipher]


def det(label, n):
    """n deterministic bytes for label."""
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(seed + label + bytes([i])).digest()
        i += 1
    return out[:n]


def md5(b):
    return hashlib.md5(b).digest()


def sha1(b):
    return hashlib.sha1(b).digest()


def ssl3_expand(secret, r1, r2, n):
    """RFC 6101 6.1/6.2.2: MD5(secret + SHA('A' + secret + r1 + r2)) + MD5(... 'BB' ...) ..."""
    out = b""
    i = 0
    while len(out) < n:
        salt = bytes([ord("A") + i]) * (i + 1)
        out += md5(secret + sha1(salt + secret + r1 + r2))
        i += 1
    return out[:n]


def cbc(key, iv, data):
    r = subprocess.run(["openssl", "enc", OPENSSL_CIPHER, "-e", "-nopad", "-K", key.hex(),
                        "-iv", iv.hex()], input=data, capture_output=True, check=True)
    return r.stdout


def rsa_encrypt(cert, data):
    r = subprocess.run(["openssl", "pkeyutl", "-encrypt", "-certin", "-inkey", cert,
                        "-pkeyopt", "rsa_padding_mode:pkcs1"], input=data, capture_output=True,
                       check=True)
    return r.stdout


def der_chain(pem_path):
    text = open(pem_path).read()
    certs = []
    for part in text.split("-----BEGIN CERTIFICATE-----")[1:]:
        pem = "-----BEGIN CERTIFICATE-----" + part.split("-----END CERTIFICATE-----")[0] + \
            "-----END CERTIFICATE-----\n"
        r = subprocess.run(["openssl", "x509", "-outform", "DER"], input=pem.encode(),
                           capture_output=True, check=True)
        certs.append(r.stdout)
    return certs


def u24(n):
    return struct.pack("!I", n)[1:]


def hs(t, body):
    return bytes([t]) + u24(len(body)) + body


VERSION = b"\x03\x00"
cr, sr = det(b"client random", 32), det(b"server random", 32)
sid = det(b"session id", 32)
client_hello = hs(1, VERSION + cr + b"\x00" + b"\x00\x02" + SUITE + b"\x01\x00")
server_hello = hs(2, VERSION + sr + bytes([32]) + sid + SUITE + b"\x00")
chain = der_chain(os.path.join(pki, "server-rsa-chain.pem"))
cert_list = b"".join(u24(len(c)) + c for c in chain)
certificate = hs(11, u24(len(cert_list)) + cert_list)
done = hs(14, b"")
premaster = VERSION + det(b"premaster", 46)
cke = hs(16, rsa_encrypt(os.path.join(pki, "server-rsa.crt"), premaster))
master = ssl3_expand(premaster, cr, sr, 48)
kb = ssl3_expand(master, sr, cr, 2 * (20 + KEY_LEN + BLOCK))
k0, i0 = 40, 40 + 2 * KEY_LEN
keys = {"client": (kb[0:20], kb[k0:k0 + KEY_LEN], kb[i0:i0 + BLOCK]),
        "server": (kb[20:40], kb[k0 + KEY_LEN:i0], kb[i0 + BLOCK:i0 + 2 * BLOCK])}


def finished(transcript, sender):
    """RFC 6101 5.6.9."""
    md5_part = md5(master + b"\x5c" * 48 + md5(transcript + sender + master + b"\x36" * 48))
    sha_part = sha1(master + b"\x5c" * 40 + sha1(transcript + sender + master + b"\x36" * 40))
    return md5_part + sha_part


class Writer:
    """One direction's records: plaintext until its ChangeCipherSpec, then SSL 3.0 CBC."""

    def __init__(self, side):
        self.mac_key, self.key, self.iv = keys[side]
        self.seq = 0
        self.encrypting = False

    def record(self, ct, content):
        if self.encrypting:
            inner = sha1(self.mac_key + b"\x36" * 40 + struct.pack("!QBH", self.seq, ct, len(content))
                         + content)
            mac = sha1(self.mac_key + b"\x5c" * 40 + inner)
            self.seq += 1
            body = content + mac
            pad = BLOCK - 1 - len(body) % BLOCK
            # SSL 3.0 padding bytes may hold anything (5.2.3.2); TLS would require pad.
            body += bytes((0xA0 + i) & 0xff for i in range(pad)) + bytes([pad])
            content = cbc(self.key, self.iv, body)
            self.iv = content[-BLOCK:]
        return bytes([ct]) + VERSION + struct.pack("!H", len(content)) + content


client, server = Writer("client"), Writer("server")
transcript = client_hello + server_hello + certificate + done + cke
client_fin = hs(20, finished(transcript, b"CLNT"))
transcript += client_fin
server_fin = hs(20, finished(transcript, b"SRVR"))

flights = []
flights.append(("client", client.record(22, client_hello)))
flights.append(("server", server.record(22, server_hello + certificate + done)))
flights.append(("client", client.record(22, cke) + client.record(20, b"\x01")))
client.encrypting = True
flights.append(("client", client.record(22, client_fin)))
flights.append(("server", server.record(20, b"\x01")))
server.encrypting = True
flights.append(("server", server.record(22, server_fin)))
flights.append(("client", client.record(23, b"GET / HTTP/1.0\r\nHost: ssl3.example\r\n\r\n")))
flights.append(("server", server.record(23, b"HTTP/1.0 200 OK\r\nContent-Length: 13\r\n\r\n"
                                        b"Hello, SSL 3!")))
flights.append(("server", server.record(21, b"\x01\x00")))
flights.append(("client", client.record(21, b"\x01\x00")))

# TCP over IPv4 on Ethernet, server port 4433 (not 443: TLS is found by its records).
addr = {"client": bytes([192, 0, 2, 30]), "server": bytes([192, 0, 2, 40])}
port = {"client": 51000, "server": 4433}
seq = {"client": 1000, "server": 9000}
frames = []


def segment(side, flags, payload=b""):
    other = "server" if side == "client" else "client"
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), 0, 0, 64, 6, 0, addr[side],
                     addr[other])
    tcp = struct.pack("!HHIIBBHHH", port[side], port[other], seq[side], seq[other] if flags & 0x10 else 0,
                      5 << 4, flags, 65535, 0, 0)
    mac = {"client": b"\x02\0\0\0\0\x1e", "server": b"\x02\0\0\0\0\x28"}
    frames.append(mac[other] + mac[side] + b"\x08\x00" + ip + tcp + payload)
    seq[side] += len(payload) + (1 if flags & 0x03 else 0)


segment("client", 0x02)
segment("server", 0x12)
segment("client", 0x10)
for side, data in flights:
    for off in range(0, len(data), 1400):
        segment(side, 0x18, data[off:off + 1400])
segment("client", 0x11)
segment("server", 0x11)
segment("client", 0x10)

with open(out_pcap, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
    for i, fr in enumerate(frames):
        f.write(struct.pack("<IIII", 1767225600, 1000 * i, len(fr), len(fr)))
        f.write(fr)
with open(out_keys, "w") as f:
    f.write(f"CLIENT_RANDOM {cr.hex()} {master.hex()}\n")
