#!/usr/bin/python3
"""Test peer for Simlane.Radius, built on pyrad (Debian python3-pyrad) and FreeRADIUS's dictionaries.

  radius_peer.py send '{"host":..,"port":..,"secret":..,"kind":"auth"|"acct","attrs":[[name,value],..],
                        "message_authenticator":true,"repeat":1,"timeout":2}'
      Builds one request with pyrad, sends the same bytes `repeat` times from one socket, and prints JSON:
      {"request": hex, "replies": [{"code", "hex", "authentic", "message_authenticator", "attrs"}]} where
      "authentic" is pyrad's Response Authenticator check and "message_authenticator" is true/false/null (absent).
  radius_peer.py build '{...same...}'   prints {"request": hex} only.
  radius_peer.py nas '{"secret":..,"mode":"ack"|"nak","error_cause":503,"drop_first":0,"reply_secret":..,"host":"127.0.0.1"}'
      A NAS stand-in: answers Disconnect/CoA requests on host (default 127.0.0.1; any 127.x address works) at an ephemeral port. Prints {"port": N} first,
      then one JSON line per request received; exits when stdin closes.
"""
import hashlib, hmac, json, os, select, socket, struct, sys, tempfile

from pyrad import packet
from pyrad.dictionary import Dictionary

FR = "/usr/share/freeradius/"


def dictionary():
    # pyrad cannot read FreeRADIUS's 'vsa' type: present Vendor-Specific as octets, keep every other line.
    with open(FR + "dictionary.rfc2865") as f:
        rfc2865 = f.read().replace("\tvsa", "\toctets")
    tmp = tempfile.NamedTemporaryFile("w", suffix=".dict", delete=False)
    tmp.write(rfc2865)
    tmp.close()
    try:
        return Dictionary(tmp.name, *[FR + n for n in ("dictionary.rfc2866", "dictionary.rfc2869", "dictionary.rfc3576",
                                                       "dictionary.rfc5176", "dictionary.3gpp", "dictionary.wispr")])
    finally:
        os.unlink(tmp.name)


DICT = dictionary()



def to_jsonable(v):
    if isinstance(v, bytes):
        return "0x" + v.hex()
    return v


def attrs_of(pkt):
    out = {}
    for key in pkt.keys():
        name = key if isinstance(key, str) else str(key)
        try:
            vals = pkt[key]
        except Exception:
            vals = [pkt.get(key)]
        out[name] = [to_jsonable(v) for v in vals]
    return out


def add_message_authenticator(raw, secret, authenticator_for_hmac):
    """Appends Message-Authenticator (RFC 3579) to an encoded packet: HMAC-MD5 over the packet with the given
    authenticator in the header and the attribute's value zeroed."""
    raw = bytearray(raw) + b"\x50\x12" + b"\x00" * 16
    struct.pack_into("!H", raw, 2, len(raw))
    work = bytearray(raw)
    work[4:20] = authenticator_for_hmac
    raw[-16:] = hmac.new(secret, bytes(work), hashlib.md5).digest()
    return raw


def find_message_authenticator(raw):
    pos = 20
    while pos + 2 <= len(raw):
        t, l = raw[pos], raw[pos + 1]
        if l < 2:
            return None
        if t == 80 and l == 18:
            return pos + 2
        pos += l
    return None


def check_message_authenticator(raw, secret, authenticator_for_hmac):
    at = find_message_authenticator(raw)
    if at is None:
        return None
    work = bytearray(raw)
    work[4:20] = authenticator_for_hmac
    work[at:at + 16] = b"\x00" * 16
    return hmac.compare_digest(hmac.new(secret, bytes(work), hashlib.md5).digest(), raw[at:at + 16])


def build(args):
    secret = args["secret"].encode()
    kind = args.get("kind", "auth")
    ma = args.get("message_authenticator", True)
    if kind == "auth":
        pkt = packet.AuthPacket(secret=secret, dict=DICT)
    else:
        pkt = packet.AcctPacket(secret=secret, dict=DICT)
    if "id" in args:
        pkt.id = args["id"]
    for name, v in args.get("attrs", []):
        if name == "User-Password":
            pkt[name] = pkt.PwCrypt(v)
        else:
            if isinstance(v, str) and v.startswith("0x"):
                v = v.encode()  # pyrad takes octets as bytes ("0x..." is unhexlified)
            pkt.AddAttribute(name, v)
    if kind == "auth":
        raw = pkt.RequestPacket()
        if ma:
            raw = add_message_authenticator(raw, secret, raw[4:20])
    else:
        if ma:
            # Accounting: Message-Authenticator over the packet with a zero authenticator, then the Request Authenticator.
            body = bytearray(pkt.RequestPacket())
            body = add_message_authenticator(bytes(body[:4]) + b"\x00" * 16 + bytes(body[20:]), secret, b"\x00" * 16)
            body[4:20] = hashlib.md5(bytes(body[:4]) + b"\x00" * 16 + bytes(body[20:]) + secret).digest()
            raw = bytes(body)
        else:
            raw = pkt.RequestPacket()
        pkt.authenticator = bytes(raw[4:20])  # what pyrad checks the reply against
    return pkt, bytes(raw)


def send(args):
    secret = args["secret"].encode()
    pkt, raw = build(args)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    replies = []
    for _ in range(args.get("repeat", 1)):
        sock.sendto(raw, (args["host"], args["port"]))
        ready, _, _ = select.select([sock], [], [], args.get("timeout", 5))
        if not ready:
            replies.append(None)
            continue
        data, _ = sock.recvfrom(4096)
        try:
            reply = pkt.CreateReply(packet=data)
            decoded = attrs_of(reply)
            code = reply.code
        except Exception as e:  # a reply pyrad cannot decode is a failure the test reports
            decoded, code = {"error": str(e)}, data[0]
        replies.append({
            "code": code,
            "hex": data.hex(),
            "authentic": bool(pkt.VerifyReply(reply, data)) if "error" not in decoded else False,
            # An Accounting-Response's Message-Authenticator is computed over a zero authenticator, as FreeRADIUS does.
            "message_authenticator": check_message_authenticator(data, secret, raw[4:20] if args.get("kind", "auth") == "auth" else b"\x00" * 16),
            "attrs": decoded,
        })
    print(json.dumps({"request": raw.hex(), "replies": replies}))


def nas(args):
    secret = args["secret"].encode()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((args.get("host", "127.0.0.1"), 0))
    print(json.dumps({"port": sock.getsockname()[1]}), flush=True)
    drop_first = args.get("drop_first", 0)
    seen = 0
    while True:
        ready, _, _ = select.select([sock, sys.stdin], [], [])
        if sys.stdin in ready:
            if not sys.stdin.readline():
                return
            continue
        data, addr = sock.recvfrom(4096)
        seen += 1
        req = packet.CoAPacket(secret=secret, dict=DICT, packet=data)
        authentic = bool(req.VerifyCoARequest())
        ma_ok = check_message_authenticator(data, secret, b"\x00" * 16)
        line = {"n": seen, "code": req.code, "id": req.id, "authentic": authentic, "message_authenticator": ma_ok,
                "attrs": attrs_of(req), "hex": data.hex()}
        if seen <= drop_first or not authentic or ma_ok is not True:
            line["answered"] = False
            print(json.dumps(line), flush=True)
            continue
        ack = args.get("mode", "ack") == "ack"
        code = {40: 41 if ack else 42, 43: 44 if ack else 45}[req.code]
        reply = req.CreateReply()
        reply.code = code
        reply_secret = args.get("reply_secret", args["secret"]).encode()  # a different one forges the reply
        reply.secret = reply_secret
        if not ack and "error_cause" in args:
            reply.AddAttribute("Error-Cause", args["error_cause"])
        out = reply.ReplyPacket()
        if args.get("reply_message_authenticator", True):
            # RFC 5176 3.3: the reply's Message-Authenticator is computed with the request's authenticator.
            out = add_message_authenticator(out[:4] + data[4:20] + out[20:], reply_secret, data[4:20])
            out[4:20] = hashlib.md5(bytes(out[:4]) + data[4:20] + bytes(out[20:]) + reply_secret).digest()
        sock.sendto(bytes(out), addr)
        line["answered"] = True
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    command, payload = sys.argv[1], json.loads(sys.argv[2])
    if command == "send":
        send(payload)
    elif command == "build":
        print(json.dumps({"request": build(payload)[1].hex()}))
    elif command == "nas":
        nas(payload)
    else:
        sys.exit("unknown command " + command)
