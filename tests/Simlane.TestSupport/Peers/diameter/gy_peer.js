#!/usr/bin/env node
/*
 * Diameter Gy client for Simlane's tests (a PGW/SMF stand-in), built on the npm package `diameter` 0.7.0
 * (node-diameter: its codec, its Wireshark-derived dictionary, its connection and request/answer correlation).
 * Wrapped by tests/Simlane.TestSupport/Diameter/GyPeer.cs; install with `npm ci --prefix <this folder>` (scripts/test does).
 *
 *   node gy_peer.js '{"host":"127.0.0.1","port":3868,"originHost":"pgw.test.example","originRealm":"test.example",
 *                     "destinationRealm":"simlane.example","destinationHost":null,"rar":"answer","cer":true}'
 *
 * Connects over TCP, sends a CER shaped like freeDiameter's (what Open5GS's SMF sends) unless cer is false, then
 * speaks JSON lines: one command per line on stdin (each with an "id" echoed in its result line), one event per line
 * on stdout. Exits when stdin closes. Every line is one JSON object:
 *
 *   {"event":"connected","local":"127.0.0.1:50000"}                after each TCP connect
 *   {"id":"cer","event":"answer",...}                              the CEA (or {"id":"cer","event":"timeout"|"error",...})
 *   {"event":"request","command":"Re-Auth",...,"answered":true,"answerResultCode":2001}   every request from the server,
 *                        printed after it was answered (DWR → DWA 2001, DPR → DPA 2001, RAR per "rar", others → 3001 + E bit)
 *   {"event":"answer","unmatched":true,...}                        an answer no pending request was waiting for
 *   {"event":"closed","requested":false,"hadError":false}          the connection closed (the process keeps running);
 *                                                                  requested: true when the close/reconnect commands closed it
 *   {"event":"error","message":...}                                errors outside a command (never a silent crash)
 *
 * Commands (see handle() below):
 *   send      {"op":"send","application":"Diameter Credit Control","command":"Credit-Control","body":[[name,value],..],
 *              "retransmit":false,"hopByHopId":N?,"endToEndId":N?,"proxiable":bool?,"timeoutMs":10000}
 *             header from the package (P set for applications other than 0 unless "proxiable" says otherwise, T when
 *             retransmit), body exactly as given: the package's automatic Session-Id is replaced by the body.
 *   ccr       {"op":"ccr","sessionId":..,"requestType":"INITIAL_REQUEST"|"UPDATE_REQUEST"|"TERMINATION_REQUEST"|"EVENT_REQUEST",
 *              "requestNumber":N,"imsi":..,"msisdn"?,"imeisv"?,"apn"?,"ueIp"?,"chargingId"?,"ratingGroup"?,
 *              "used":{"input","output","total"?,"time"}?,"requested":bool?,"requestedTotal":N|null?,"reportingReason"?,
 *              "terminationCause"?,"omit":[names]?,"extra":[[name,value],..]?, + the send options}
 *             a CCR shaped like Open5GS's SMF's (src/smf/gy-path.c; see buildCcr)
 *   resend    {"op":"resend","hex":"<requestHex of an earlier result>","retransmit":true} the same bytes again, T flag set
 *   raw       {"op":"raw","hex":".."} bytes written as they are → {"id","event":"sent","bytes":N}
 *   reconnect {"op":"reconnect","port":N?} close, connect, CER → CEA line (id "cer") and {"id","event":"reconnected",
 *              "connected":bool,"cea":<CEA line or null>}
 *   dwr, dpr  a DWR / a DPR (Disconnect-Cause REBOOTING or "cause"), result as for send
 *   close     closes the socket → {"id","event":"ok"}
 *   mode      {"op":"mode","rar":"answer"|"unknown_session"|"ignore"} → {"id","event":"ok","rar":..}
 * The result of send/ccr/resend/dwr/dpr (and the CEA) is one line:
 *   {"id":..,"event":"answer","command":..,"application":..,"resultCode":N|null,"flags":{request,proxiable,error,
 *    potentiallyRetransmitted},"hopByHopId":N,"endToEndId":N,"header":{...answer header...},"avps":<tree>,"hex":"..",
 *    "requestHex":"..","decodeError"?} or {"id":..,"event":"timeout"|"error","message":..,"hopByHopId":N,"endToEndId":N,
 *    "requestHex":".."} (hopByHopId/endToEndId are the request's; "header" holds the answer's own ids). A request from the
 *   server: {"event":"request","command","application","sessionId","resultCode":null,"flags","hopByHopId","endToEndId",
 *    "header","avps","hex","answered":bool,"answerResultCode":N|null,"answerHex"?}.
 *
 * <tree>: the body as the package decodes it, an array of [name, value]; grouped AVPs are nested arrays;
 *   enumerated AVPs are the package's enum names (Result-Code → "DIAMETER_SUCCESS", CC-Request-Type → "INITIAL_REQUEST");
 *   Unsigned64/Integer64 are ALWAYS decimal strings ("1000000"), other integers and Time (raw NTP seconds) are numbers;
 *   addresses are strings ("10.45.0.2", "2001:db8::1"); OctetStrings are text when the bytes are UTF-8 without control
 *   characters, otherwise "0x" + hex. When the package cannot decode a message (an AVP or enum value missing from its
 *   dictionary, Failed-AVP which it has no type for, bad lengths), the event carries "decodeError" and the tree comes
 *   from this script's own walk over the same dictionary: unknown AVPs are named "AVP-<code>" or "AVP-<code>-v<vendor>"
 *   with a "0x" value, unknown enum values stay numbers.
 * Values given in bodies: the same conventions ("0x.." → bytes for OctetString AVPs; 64-bit values as numbers or
 *   decimal strings; enum names or numbers; AVP names or numeric codes).
 *
 * Deviations from the bare package, each because the package alone would send or decode something wrong:
 *   - AVP names (and numeric codes) that occur more than once in its dictionary resolve to the IETF entry (vendor 0),
 *     then the 3GPP one (10415), then the first: alone it would encode Reporting-Reason as Vodafone's 261/12645 and
 *     QoS-Information as 3GPP2's 804/5535.
 *   - Unsigned64 values are handed to it as a Long with unsigned words (its encoder writes Long words with
 *     writeUInt32BE, which throws for the signed words of values with bit 31 of a word set; numbers ≥ 2^32 throw too).
 *   - Incoming bytes are cut into whole messages here before its connection sees them: alone it decodes at most one
 *     message per TCP read (a second one in the same read waits for the next read) and, after a message it cannot
 *     decode, keeps that message in its buffer forever.
 *   - Answers sent here never carry the T flag (its constructResponse copies it from the request).
 */
'use strict';

const path = require('path');
const readline = require('readline');

const diameter = require('diameter');
const pkgDir = path.dirname(require.resolve('diameter/package.json'));
const codec = require(path.join(pkgDir, 'lib', 'diameter-codec'));
const dictionary = require(path.join(pkgDir, 'lib', 'diameter-dictionary'));
const types = require(path.join(pkgDir, 'lib', 'diameter-types'));
const Long = require(require.resolve('long', { paths: [pkgDir] }));
const Bluebird = require(require.resolve('bluebird', { paths: [pkgDir] }));
const ipaddr = require(require.resolve('ipaddr.js', { paths: [pkgDir] }));
const dictionaryJson = require(path.join(pkgDir, 'dictionary.json'));

// ---------------------------------------------------------------------------------------------------------------------
// Output

function print(obj) {
    try {
        process.stdout.write(JSON.stringify(obj) + '\n');
    } catch (e) {
        process.stdout.write(JSON.stringify({ event: 'error', message: 'cannot print an event: ' + e.message }) + '\n');
    }
}

function errorText(e) {
    if (e instanceof Error) return e.message;
    return String(e);
}

process.on('uncaughtException', e => print({ event: 'error', message: 'uncaught: ' + (e && e.stack || e) }));
process.on('unhandledRejection', e => print({ event: 'error', message: 'unhandled rejection: ' + (e && e.stack || e) }));

// ---------------------------------------------------------------------------------------------------------------------
// Options

let options;
try {
    options = JSON.parse(process.argv[2] || '{}');
} catch (e) {
    print({ event: 'error', message: 'bad options JSON: ' + e.message });
    process.exit(2);
}
const originHost = options.originHost || 'pgw.test.example';
const originRealm = options.originRealm || 'test.example';
const destinationRealm = options.destinationRealm || 'simlane.example';
const destinationHost = options.destinationHost || null;
let rarMode = options.rar || 'answer';
const doCer = options.cer !== false;
const defaultTimeoutMs = options.timeoutMs || 10000;
const productName = options.productName || 'freeDiameter';
const originStateId = Math.floor(Date.now() / 1000) >>> 0;
let host = options.host || '127.0.0.1';
let port = options.port;

// ---------------------------------------------------------------------------------------------------------------------
// Dictionary: name/code resolution that prefers IETF, then 3GPP entries (patched into the package's dictionary module,
// which its codec calls for every AVP it encodes).

const preferredByName = new Map();
const preferredByCode = new Map();
(function indexDictionary() {
    const rank = avp => (avp.vendorId === 0 ? 0 : avp.vendorId === 10415 ? 1 : 2);
    const better = (current, candidate) => !current || rank(candidate) < rank(current);
    for (const avp of dictionaryJson.avps) {
        if (better(preferredByName.get(avp.name), avp)) preferredByName.set(avp.name, avp);
        if (better(preferredByCode.get(avp.code), avp)) preferredByCode.set(avp.code, avp);
    }
})();
dictionary.getAvpByName = name => preferredByName.get(name);
dictionary.getAvpByCode = code => preferredByCode.get(code);

function avpTag(nameOrCode) {
    return typeof nameOrCode === 'number' ? dictionary.getAvpByCode(nameOrCode) : dictionary.getAvpByName(nameOrCode);
}

function resolveApplication(app) {
    if (app === undefined || app === null) return 'Diameter Credit Control Application';
    if (typeof app === 'number') return app;
    if (/^\d+$/.test(String(app))) return Number(app);
    if (dictionary.getApplicationByName(app)) return app;
    if (dictionary.getApplicationByName(app + ' Application')) return app + ' Application';
    return app; // the package reports it as not found
}

// ---------------------------------------------------------------------------------------------------------------------
// Values given in JSON → values the package encodes

function unsigned64(value) {
    if (typeof value === 'number' ? !(Number.isSafeInteger(value) && value >= 0) : !/^\d+$/.test(String(value))) {
        throw new Error('an Unsigned64 value must be a non-negative integer or a decimal string, not ' + JSON.stringify(value));
    }
    const l = typeof value === 'number' ? Long.fromNumber(value, true) : Long.fromString(String(value), true);
    const words = Object.create(Long.prototype); // the package checks `instanceof Long`, then writeUInt32BE(high/low)
    words.high = l.high >>> 0;
    words.low = l.low >>> 0;
    words.unsigned = true;
    return words;
}

function prepareBody(body) {
    if (!Array.isArray(body)) throw new Error('a body must be an array of [name, value] pairs');
    return body.map(pair => {
        if (!Array.isArray(pair) || pair.length !== 2) throw new Error('not an AVP [name, value] pair: ' + JSON.stringify(pair));
        const [name, value] = pair;
        const tag = avpTag(name);
        if (!tag) return [name, value]; // the package throws "Unknown AVP code ..."
        if (tag.type === 'Grouped') return [name, prepareBody(value)];
        if (tag.enums) return [name, value];
        if (tag.type === 'Unsigned64') return [name, unsigned64(value)];
        if (tag.type === 'Integer64') {
            if (typeof value === 'number' ? !Number.isSafeInteger(value) : !/^-?\d+$/.test(String(value))) {
                throw new Error('an Integer64 value must be an integer or a decimal string, not ' + JSON.stringify(value));
            }
            return [name, typeof value === 'number' ? Long.fromNumber(value) : Long.fromString(String(value))];
        }
        if (tag.type === 'OctetString' && typeof value === 'string' && /^0x([0-9a-fA-F]{2})*$/.test(value)) {
            return [name, Buffer.from(value.slice(2), 'hex')];
        }
        return [name, value];
    });
}

// ---------------------------------------------------------------------------------------------------------------------
// Decoding: raw AVP walk (lengths checked), the package's tree made JSON-friendly, and a fallback tree

function walkAvps(buffer, start, end) {
    const avps = [];
    let cursor = start;
    while (cursor < end) {
        if (end - cursor < 8) throw new Error('truncated AVP header at byte ' + cursor);
        const code = buffer.readUInt32BE(cursor);
        const flags = buffer[cursor + 4];
        const length = buffer.readUIntBE(cursor + 5, 3);
        const vendorBit = (flags & 0x80) !== 0;
        const headerLength = vendorBit ? 12 : 8;
        if (length < headerLength || cursor + length > end) {
            throw new Error('bad length ' + length + ' of AVP ' + code + ' at byte ' + cursor);
        }
        const vendorId = vendorBit ? buffer.readUInt32BE(cursor + 8) : 0;
        const data = buffer.subarray(cursor + headerLength, cursor + length);
        const tag = dictionary.getAvpByCodeAndVendorId(code, vendorId);
        const avp = { code, vendorId, flags, data, tag };
        if (tag && tag.type === 'Grouped') avp.children = walkAvps(data, 0, data.length);
        avps.push(avp);
        cursor += length;
        if (cursor % 4 !== 0) cursor += 4 - (cursor % 4);
    }
    return avps;
}

function isText(bytes) {
    const text = bytes.toString('utf8');
    // eslint-disable-next-line no-control-regex
    return Buffer.from(text, 'utf8').equals(bytes) && !/[\u0000-\u001f\u007f]/.test(text);
}

function jsonValue(value, raw) {
    if (value instanceof Long) {
        const type = raw && raw.tag ? raw.tag.type : 'Integer64';
        return type === 'Unsigned64' ? value.toUnsigned().toString() : value.toString();
    }
    if (Buffer.isBuffer(value)) return '0x' + value.toString('hex');
    if (typeof value === 'string' && raw && raw.tag && raw.tag.type === 'OctetString' && !raw.tag.enums && !isText(raw.data)) {
        return '0x' + raw.data.toString('hex');
    }
    return value;
}

// The package's [name, value] tree with the conventions above; raws is the same level of walkAvps.
function jsonTree(body, raws) {
    return body.map((pair, i) => {
        const raw = raws ? raws[i] : undefined;
        if (Array.isArray(pair[1]) && raw && raw.children) return [pair[0], jsonTree(pair[1], raw.children)];
        if (Array.isArray(pair[1])) return [pair[0], jsonTree(pair[1], undefined)];
        return [pair[0], jsonValue(pair[1], raw)];
    });
}

function fallbackTree(raws) {
    return raws.map(raw => {
        const tag = raw.tag;
        if (!tag) return ['AVP-' + raw.code + (raw.vendorId ? '-v' + raw.vendorId : ''), '0x' + raw.data.toString('hex')];
        if (raw.children) return [tag.name, fallbackTree(raw.children)];
        if (!tag.type) {
            // Failed-AVP and the like: no type in the package's dictionary; try it as grouped
            try {
                return [tag.name, fallbackTree(walkAvps(raw.data, 0, raw.data.length))];
            } catch (e) {
                return [tag.name, '0x' + raw.data.toString('hex')];
            }
        }
        let value;
        try {
            value = types.decode(tag.type, raw.data);
        } catch (e) {
            return [tag.name, '0x' + raw.data.toString('hex')];
        }
        if (tag.enums) {
            const e = tag.enums.find(en => en.code === value);
            return [tag.name, e ? e.name : value];
        }
        return [tag.name, jsonValue(value, raw)];
    });
}

function resultCodeOf(raws) {
    for (const raw of raws) {
        if (raw.code === 268 && raw.vendorId === 0 && raw.data.length >= 4) return raw.data.readUInt32BE(0);
    }
    for (const raw of raws) {
        if (raw.code === 297 && raw.vendorId === 0 && raw.children) {
            for (const child of raw.children) {
                if (child.code === 298 && child.vendorId === 0 && child.data.length >= 4) return child.data.readUInt32BE(0);
            }
        }
    }
    return null;
}

// Decodes one whole frame. Returns { message (package shape), raws, decodeError? }; throws when not even the
// header and AVP lengths make sense.
function decodeFrame(frame) {
    const header = codec.decodeMessageHeader(frame).header;
    const raws = walkAvps(frame, 20, header.length);
    try {
        const message = codec.decodeMessage(frame);
        return { message, raws, tree: jsonTree(message.body, raws) };
    } catch (e) {
        const command = dictionary.getCommandByCode(header.commandCode);
        const application = dictionary.getApplicationById(header.applicationId);
        header.application = application ? application.name : String(header.applicationId);
        const tree = fallbackTree(raws);
        const message = {
            header,
            command: command ? command.name : String(header.commandCode),
            body: tree, // answers to an undecodable request copy its Session-Id from here
        };
        return { message, raws, tree, decodeError: errorText(e) };
    }
}

function messageEvent(decoded, frame) {
    const h = decoded.message.header;
    const sessionId = decoded.tree.find(p => p[0] === 'Session-Id');
    const event = {
        command: decoded.message.command,
        application: h.application,
        sessionId: sessionId ? sessionId[1] : null,
        resultCode: resultCodeOf(decoded.raws),
        flags: {
            request: h.flags.request,
            proxiable: h.flags.proxiable,
            error: h.flags.error,
            potentiallyRetransmitted: h.flags.potentiallyRetransmitted,
        },
        hopByHopId: h.hopByHopId,
        endToEndId: h.endToEndId,
        header: { commandCode: h.commandCode, applicationId: h.applicationId, hopByHopId: h.hopByHopId, endToEndId: h.endToEndId },
        avps: decoded.tree,
        hex: frame.toString('hex'),
    };
    if (decoded.decodeError) event.decodeError = decoded.decodeError;
    return event;
}

// ---------------------------------------------------------------------------------------------------------------------
// Connection

let socket = null; // the current socket (diameter.createConnection), null before the first connect
let connected = false;
const lateAnswers = new Map(); // hop-by-hop id → command id of requests that timed out

function flagsObject(request, proxiable, error, potentiallyRetransmitted) {
    // The package encodes _.values(header.flags) in order: keep exactly these keys in this order.
    return { request: !!request, proxiable: !!proxiable, error: !!error, potentiallyRetransmitted: !!potentiallyRetransmitted };
}

function isOpen() {
    return socket !== null && connected && !socket.destroyed;
}

function answerOf(message) {
    // The package answers with constructResponse; fix the flags the way freeDiameter does (only P is copied).
    const response = codec.constructResponse(message);
    response.header.flags = flagsObject(false, message.header.flags.proxiable, false, false);
    return response;
}

function handleServerRequest(decoded, frame, response, send) {
    const message = decoded.message;
    let answered = true;
    let code = null;
    switch (message.command) {
        case 'Device-Watchdog':
            code = 2001;
            response.body = [['Result-Code', 2001], ['Origin-Host', originHost], ['Origin-Realm', originRealm],
                ['Origin-State-Id', originStateId]];
            break;
        case 'Disconnect-Peer':
            code = 2001;
            response.body = [['Result-Code', 2001], ['Origin-Host', originHost], ['Origin-Realm', originRealm]];
            break;
        case 'Re-Auth':
            if (rarMode === 'ignore') {
                answered = false;
            } else if (rarMode === 'unknown_session') {
                code = 5002;
                response.body = response.body.concat([['Origin-Host', originHost], ['Origin-Realm', originRealm],
                    ['Result-Code', 5002]]);
            } else {
                code = 2001;
                response.body = response.body.concat([['Auth-Application-Id', 4], ['Origin-Host', originHost],
                    ['Origin-Realm', originRealm], ['Result-Code', 2001]]);
            }
            break;
        default:
            code = 3001; // DIAMETER_COMMAND_UNSUPPORTED, a protocol error: E bit
            response.header.flags = flagsObject(false, message.header.flags.proxiable, true, false);
            response.body = response.body.concat([['Origin-Host', originHost], ['Origin-Realm', originRealm], ['Result-Code', 3001]]);
            break;
    }
    const event = Object.assign({ event: 'request' }, messageEvent(decoded, frame), { answered, answerResultCode: code });
    if (answered) {
        try {
            send(response);
            event.answerHex = codec.encodeMessage(response).toString('hex');
        } catch (e) {
            event.answered = false;
            event.answerError = errorText(e);
        }
    }
    print(event);
}

function connect(newHost, newPort) {
    return new Promise(resolve => {
        let settled = false;
        const done = ok => {
            if (!settled) {
                settled = true;
                resolve(ok);
            }
        };
        connected = false;
        const s = diameter.createConnection({ host: newHost, port: newPort, timeout: defaultTimeoutMs }, () => {
            if (s !== socket) return;
            connected = true;
            print({ event: 'connected', local: s.localAddress + ':' + s.localPort, remote: s.remoteAddress + ':' + s.remotePort });
            done(true);
        });
        socket = s;
        const conn = s.diameterConnection;

        // Cut the byte stream into whole messages; hand each decodable one to the package's own 'data' listener.
        const packageListeners = s.listeners('data');
        s.removeAllListeners('data');
        let buffer = Buffer.alloc(0);
        let currentFrame = null;
        let currentDecoded = null;
        s.on('data', chunk => {
            buffer = Buffer.concat([buffer, chunk]);
            while (buffer.length >= 20) {
                const version = buffer[0];
                const length = buffer.readUIntBE(1, 3);
                if (version !== 1 || length < 20 || length % 4 !== 0) {
                    print({ event: 'error', message: 'unparseable bytes from the server (version ' + version + ', length ' + length + '); closing',
                        hex: buffer.subarray(0, Math.min(buffer.length, 256)).toString('hex') });
                    buffer = Buffer.alloc(0);
                    s.destroy();
                    return;
                }
                if (buffer.length < length) break;
                const frame = Buffer.from(buffer.subarray(0, length));
                buffer = buffer.subarray(length);
                onFrame(frame);
            }
        });

        function onFrame(frame) {
            let decoded;
            try {
                decoded = decodeFrame(frame);
            } catch (e) {
                print({ event: 'error', message: 'undecodable message from the server: ' + errorText(e), hex: frame.toString('hex') });
                return;
            }
            const h = decoded.message.header;
            if (!h.flags.request) {
                const pending = conn.pendingRequests[h.hopByHopId];
                if (!pending) {
                    const late = lateAnswers.get(h.hopByHopId);
                    const event = Object.assign({ event: 'answer', unmatched: true }, messageEvent(decoded, frame));
                    if (late !== undefined) event.lateFor = late;
                    print(event);
                    return;
                }
                if (decoded.decodeError) {
                    delete conn.pendingRequests[h.hopByHopId];
                    decoded.message.frame = frame;
                    decoded.message.decoded = decoded;
                    pending.deferred.resolve(decoded.message);
                    return;
                }
            } else if (decoded.decodeError) {
                handleServerRequest(decoded, frame, answerOf(decoded.message), r => s.write(codec.encodeMessage(r)));
                return;
            }
            currentFrame = frame;
            currentDecoded = decoded;
            try {
                for (const listener of packageListeners) listener.call(s, frame);
            } finally {
                currentFrame = null;
                currentDecoded = null;
            }
        }

        // Answers: the package resolves the pending request with its decoded message; keep our decode alongside.
        conn.options.afterAnyMessage = message => {
            if (currentFrame && message && message._timeReceived !== undefined && message.header && !message.header.flags.request && message.header.hopByHopId === currentDecoded.message.header.hopByHopId) {
                message.frame = currentFrame;
                message.decoded = currentDecoded;
            }
        };

        s.on('diameterMessage', event => {
            try {
                const response = event.response;
                response.header.flags = flagsObject(false, event.message.header.flags.proxiable, false, false);
                handleServerRequest(currentDecoded, currentFrame, response, r => event.callback(r));
            } catch (e) {
                print({ event: 'error', message: 'handling a request from the server: ' + errorText(e) });
            }
        });
        s.on('error', e => print({ event: 'error', message: errorText(e), code: e && e.code })); // 'close' follows
        s.on('close', hadError => {
            for (const hbh of Object.keys(conn.pendingRequests)) {
                const pending = conn.pendingRequests[hbh];
                delete conn.pendingRequests[hbh];
                pending.deferred.reject(new Error('connection closed before the answer'));
            }
            if (s === socket) connected = false;
            // requested: closed by the close/reconnect commands; false when the server closed it or the connect failed
            print({ event: 'closed', requested: !!s.closeRequested, hadError: !!hadError });
            done(false);
        });
    });
}

// Sends a request built by the package (header from constructRequest, body as given); prints the result line.
function sendRequest(id, request, command) {
    const timeoutMs = command.timeoutMs || defaultTimeoutMs;
    const ids = {};
    if (!isOpen()) {
        print({ id, event: 'error', message: 'not connected' });
        return Promise.resolve(null);
    }
    const s = socket;
    const conn = s.diameterConnection;
    const retransmit = !!command.retransmit;
    const proxiable = command.proxiable !== undefined ? !!command.proxiable : request.header.applicationId !== 0;
    request.header.flags = flagsObject(true, proxiable, false, retransmit);
    if (command.endToEndId !== undefined && command.endToEndId !== null) request.header.endToEndId = command.endToEndId >>> 0;
    const savedCounter = conn.hopByHopIdCounter >>> 0;
    const givenHopByHop = command.hopByHopId !== undefined && command.hopByHopId !== null;
    conn.hopByHopIdCounter = givenHopByHop ? command.hopByHopId >>> 0 : savedCounter; // the package does counter++
    let promise;
    let requestHex;
    try {
        promise = conn.sendRequest(request, timeoutMs);
        ids.hopByHopId = request.header.hopByHopId;
        ids.endToEndId = request.header.endToEndId;
        requestHex = codec.encodeMessage(request).toString('hex');
    } catch (e) {
        print(Object.assign({ id, event: 'error', message: errorText(e) }, ids));
        return Promise.resolve(null);
    } finally {
        if (givenHopByHop) conn.hopByHopIdCounter = savedCounter;
        else conn.hopByHopIdCounter = conn.hopByHopIdCounter >>> 0;
    }
    return awaitAnswer(id, promise, conn, ids, requestHex);
}

// Prints the result line of a request sent on conn: its answer, a timeout or an error.
function awaitAnswer(id, promise, conn, ids, requestHex) {
    return promise.then(answer => {
        const decoded = answer.decoded || decodeFrame(codec.encodeMessage(answer));
        const frame = answer.frame || codec.encodeMessage(answer);
        const event = Object.assign({ id, event: 'answer' }, messageEvent(decoded, frame),
            { hopByHopId: ids.hopByHopId, endToEndId: ids.endToEndId, requestHex });
        print(event);
        return event;
    }, e => {
        if (e && e.name === 'TimeoutError') {
            delete conn.pendingRequests[ids.hopByHopId];
            lateAnswers.set(ids.hopByHopId, id);
            print(Object.assign({ id, event: 'timeout', message: errorText(e) }, ids, { requestHex }));
        } else {
            print(Object.assign({ id, event: 'error', message: errorText(e) }, ids, { requestHex }));
        }
        return null;
    });
}

// Sends the bytes of an earlier request again (T flag set unless retransmit is false), as freeDiameter does after a
// failover: same hop-by-hop and end-to-end ids, same AVPs. The answer is correlated by the package's connection.
function resendFrame(id, command) {
    const frame = Buffer.from(String(command.hex || '').replace(/^0x/, ''), 'hex');
    const decoded = decodeFrame(frame); // throws on bytes that are not a Diameter request
    if (!decoded.message.header.flags.request) throw new Error('resend: the bytes are not a request');
    if (command.retransmit !== false) frame[4] |= 0x10;
    if (!isOpen()) {
        print({ id, event: 'error', message: 'not connected' });
        return Promise.resolve(null);
    }
    const conn = socket.diameterConnection;
    const ids = { hopByHopId: frame.readUInt32BE(12), endToEndId: frame.readUInt32BE(16) };
    const deferred = Bluebird.defer();
    conn.pendingRequests[ids.hopByHopId] = { request: decoded.message, deferred };
    socket.write(frame);
    const timeoutMs = command.timeoutMs || defaultTimeoutMs;
    const promise = deferred.promise.timeout(timeoutMs, 'Request timed out, no response was received in ' + timeoutMs + 'ms');
    return awaitAnswer(id, promise, conn, ids, frame.toString('hex'));
}

function newRequest(application, commandName, body) {
    const request = codec.constructRequest(resolveApplication(application), commandName, '');
    request.body = prepareBody(body); // the package's automatic Session-Id is replaced by exactly the body given
    return request;
}

function localAddress() {
    try {
        return ipaddr.process(socket.localAddress).toString();
    } catch (e) {
        return '127.0.0.1';
    }
}

function sendCer(id) {
    // What freeDiameter (Open5GS) puts in a CER on a cleartext connection, for an SMF with only Gy and NoRelay.
    const request = newRequest('Diameter Common Messages', 'Capabilities-Exchange', [
        ['Origin-Host', originHost],
        ['Origin-Realm', originRealm],
        ['Origin-State-Id', originStateId],
        ['Host-IP-Address', localAddress()],
        ['Vendor-Id', 0],
        ['Product-Name', productName],
        ['Firmware-Revision', 10600],
        ['Inband-Security-Id', 'NO_INBAND_SECURITY'],
        ['Auth-Application-Id', 4],
        ['Supported-Vendor-Id', 5535],
        ['Supported-Vendor-Id', 10415],
    ]);
    return sendRequest(id, request, { timeoutMs: defaultTimeoutMs });
}

// ---------------------------------------------------------------------------------------------------------------------
// CCR shaped like Open5GS's SMF (src/smf/gy-path.c, smf_gy_send_ccr)

const USU_REASONS = new Set([0, 3, 5]); // THRESHOLD, QUOTA_EXHAUSTED, OTHER_QUOTA_TYPE go inside Used-Service-Unit
const REPORTING_REASONS = { THRESHOLD: 0, QHT: 1, FINAL: 2, QUOTA_EXHAUSTED: 3, VALIDITY_TIME: 4, OTHER_QUOTA_TYPE: 5,
    RATING_CONDITION_CHANGE: 6, FORCED_REAUTHORISATION: 7, POOL_EXHAUSTED: 8, UNUSED_QUOTA_TIMER: 9 };

function ntpNow() {
    return Math.floor(Date.now() / 1000) + 2208988800;
}

function buildCcr(c) {
    const type = c.requestType || 'INITIAL_REQUEST';
    const initial = type === 'INITIAL_REQUEST';
    const update = type === 'UPDATE_REQUEST';
    const termination = type === 'TERMINATION_REQUEST';
    if (!c.sessionId) throw new Error('ccr needs a sessionId');
    if (!c.imsi) throw new Error('ccr needs an imsi');
    const body = [
        ['Session-Id', c.sessionId],
        ['Origin-Host', originHost],
        ['Origin-Realm', originRealm],
        ['Destination-Realm', destinationRealm],
        ['Auth-Application-Id', 4],
        ['Service-Context-Id', '32251@3gpp.org'],
        ['CC-Request-Type', type],
        ['CC-Request-Number', c.requestNumber !== undefined && c.requestNumber !== null ? c.requestNumber : 0],
    ];
    if (destinationHost) body.push(['Destination-Host', destinationHost]);
    body.push(['Event-Timestamp', ntpNow()]);
    body.push(['Subscription-Id', [['Subscription-Id-Type', 'END_USER_IMSI'], ['Subscription-Id-Data', c.imsi]]]);
    if (c.msisdn) body.push(['Subscription-Id', [['Subscription-Id-Type', 'END_USER_E164'], ['Subscription-Id-Data', c.msisdn]]]);
    if (termination) body.push(['Termination-Cause', c.terminationCause !== undefined && c.terminationCause !== null ? c.terminationCause : 'DIAMETER_LOGOUT']);
    body.push(['Requested-Action', 'DIRECT_DEBITING']);
    body.push(['AoC-Request-Type', 'AoC_FULL']);
    if (initial) body.push(['Multiple-Services-Indicator', 'MULTIPLE_SERVICES_NOT_SUPPORTED']);

    // Multiple-Services-Credit-Control
    let reason = c.reportingReason;
    if (typeof reason === 'string') {
        if (!(reason in REPORTING_REASONS)) throw new Error('unknown reportingReason ' + reason);
        reason = REPORTING_REASONS[reason];
    }
    const hasReason = reason !== undefined && reason !== null;
    const mscc = [];
    const requested = c.requested !== undefined && c.requested !== null ? !!c.requested : (initial || update);
    if (requested) {
        const total = c.requestedTotal === undefined ? 1000000 : c.requestedTotal;
        mscc.push(['Requested-Service-Unit', total === null ? [] : [['CC-Total-Octets', total]]]);
    }
    if (update || termination || c.used) {
        const used = c.used || {};
        const usu = [];
        if (hasReason && USU_REASONS.has(reason)) usu.push(['Reporting-Reason', reason]);
        usu.push(['CC-Time', used.time || 0]);
        if (used.total !== undefined && used.total !== null) usu.push(['CC-Total-Octets', used.total]);
        usu.push(['CC-Input-Octets', used.input || 0]);
        usu.push(['CC-Output-Octets', used.output || 0]);
        mscc.push(['Used-Service-Unit', usu]);
    }
    if (c.ratingGroup !== undefined && c.ratingGroup !== null) mscc.push(['Rating-Group', c.ratingGroup]);
    if (hasReason && !USU_REASONS.has(reason)) mscc.push(['Reporting-Reason', reason]);
    mscc.push(['QoS-Information', [
        ['QoS-Class-Identifier', c.qci || 9],
        ['Allocation-Retention-Priority', [
            ['Priority-Level', 8],
            ['Pre-emption-Capability', 'PRE-EMPTION_CAPABILITY_DISABLED'],
            ['Pre-emption-Vulnerability', 'PRE-EMPTION_VULNERABILITY_DISABLED'],
        ]],
        ['APN-Aggregate-Max-Bitrate-UL', c.ambrUl || 1000000000],
        ['APN-Aggregate-Max-Bitrate-DL', c.ambrDl || 1000000000],
    ]]);
    body.push(['Multiple-Services-Credit-Control', mscc]);

    // Service-Information / PS-Information
    const chargingId = Buffer.alloc(4);
    chargingId.writeUInt32BE((c.chargingId !== undefined && c.chargingId !== null ? c.chargingId : 1) >>> 0, 0);
    const ps = [['3GPP-Charging-Id', chargingId]];
    if (initial) ps.push(['3GPP-PDP-Type', 'IPv4']);
    ps.push(['PDP-Address', c.ueIp || '10.45.0.2']);
    ps.push(['SGSN-Address', '127.0.0.3']);
    ps.push(['GGSN-Address', '127.0.0.4']);
    ps.push(['Called-Station-Id', c.apn || 'internet']);
    ps.push(['3GPP-Selection-Mode', '0']);
    ps.push(['3GPP-Charging-Characteristics', '0800']);
    ps.push(['3GPP-SGSN-MCC-MNC', c.plmn || '00101']);
    ps.push(['3GPP-NSAPI', Buffer.from([5])]); // GTPv2: the default bearer's EBI, one raw byte
    ps.push(['3GPP-MS-TimeZone', Buffer.from([0x00, 0x00])]);
    // TAI and ECGI (type 130) for PLMN 001/01, TAC 1, ECI 0x0000101
    ps.push(['3GPP-User-Location-Info', Buffer.from('8200f110000100f11000000101', 'hex')]);
    ps.push(['3GPP-RAT-Type', Buffer.from([6])]); // EUTRAN
    if (c.imeisv) {
        ps.push(['User-Equipment-Info', [['User-Equipment-Info-Type', 'IMEISV'], ['User-Equipment-Info-Value', c.imeisv]]]);
    }
    body.push(['Service-Information', [['PS-Information', ps]]]);

    const omit = new Set(c.omit || []);
    const finalBody = body.filter(p => !omit.has(p[0])).concat(c.extra || []);
    return newRequest('Diameter Credit Control Application', 'Credit-Control', finalBody);
}

// ---------------------------------------------------------------------------------------------------------------------
// Commands

async function closeSocket() {
    const s = socket;
    if (!s || s.destroyed) return;
    s.closeRequested = true;
    await new Promise(resolve => {
        s.once('close', resolve);
        s.end();
        setTimeout(() => {
            if (!s.destroyed) s.destroy();
        }, 2000).unref();
    });
}

async function connectAndCer() {
    const ok = await connect(host, port);
    if (!ok) return { connected: false, cea: null };
    if (!doCer) return { connected: true, cea: null };
    const cea = await sendCer('cer');
    return { connected: isOpen(), cea };
}

async function handle(cmd) {
    const id = cmd.id === undefined ? null : cmd.id;
    switch (cmd.op) {
        case 'send': {
            const request = newRequest(cmd.application, cmd.command, cmd.body || []);
            await sendRequest(id, request, cmd);
            break;
        }
        case 'ccr':
            await sendRequest(id, buildCcr(cmd), cmd);
            break;
        case 'dwr':
            await sendRequest(id, newRequest('Diameter Common Messages', 'Device-Watchdog',
                [['Origin-Host', originHost], ['Origin-Realm', originRealm], ['Origin-State-Id', originStateId]]), cmd);
            break;
        case 'dpr':
            await sendRequest(id, newRequest('Diameter Common Messages', 'Disconnect-Peer',
                [['Origin-Host', originHost], ['Origin-Realm', originRealm], ['Disconnect-Cause', cmd.cause || 'REBOOTING']]), cmd);
            break;
        case 'resend':
            await resendFrame(id, cmd);
            break;
        case 'raw': {
            if (!isOpen()) {
                print({ id, event: 'error', message: 'not connected' });
                break;
            }
            const bytes = Buffer.from(String(cmd.hex || '').replace(/^0x/, ''), 'hex');
            socket.write(bytes);
            print({ id, event: 'sent', bytes: bytes.length });
            break;
        }
        case 'reconnect': {
            await closeSocket();
            if (cmd.port) port = cmd.port;
            if (cmd.host) host = cmd.host;
            const result = await connectAndCer();
            print({ id, event: 'reconnected', connected: result.connected, cea: result.cea });
            break;
        }
        case 'close':
            await closeSocket();
            print({ id, event: 'ok' });
            break;
        case 'mode':
            if (cmd.rar) rarMode = cmd.rar;
            print({ id, event: 'ok', rar: rarMode });
            break;
        default:
            print({ id, event: 'error', message: 'unknown op ' + cmd.op });
    }
}

// Commands start in the order given. Sends do not wait for earlier answers; reconnect and close wait until the commands
// before them have started (requests still pending on a closed connection end with an error event).
let barrier = connectAndCer().catch(e => print({ event: 'error', message: errorText(e) }));

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on('line', line => {
    if (!line.trim()) return;
    let cmd;
    try {
        cmd = JSON.parse(line);
    } catch (e) {
        print({ event: 'error', message: 'bad command JSON: ' + e.message });
        return;
    }
    const run = () => handle(cmd).catch(e => print({ id: cmd.id === undefined ? null : cmd.id, event: 'error', message: errorText(e) }));
    if (cmd.op === 'reconnect' || cmd.op === 'close') {
        barrier = barrier.then(run);
    } else {
        barrier.then(run);
    }
});
rl.on('close', () => {
    if (socket && !socket.destroyed) socket.destroy();
    process.exit(0);
});
