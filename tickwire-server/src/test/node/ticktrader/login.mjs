// Seed 004's JavaScript sample, as a TickTrader client would run it, with two changes only:
// Node has no browser WebSocket, so the npm `ws` package provides it, and CryptoJS's
// HmacSHA256 + Base64 is Node's crypto HMAC (the same bytes).
// Usage: node login.mjs <address> <id> <key> <secret>
// Prints every message received, one per line, then the line "closed"; sends SessionInfo after
// the login answer and closes after that answer.
import crypto from 'node:crypto';
import WebSocket from 'ws';

function CreateSignature(timestamp, id, key, secret) {
    return crypto.createHmac('sha256', secret).update(timestamp + id + key).digest('base64');
}

var socket = null;

function Connect(address, id, key, secret) {
    try {
        var timestamp = Date.now();
        var signature = CreateSignature(timestamp, id, key, secret);
        socket = new WebSocket(address);
        socket.onopen = function() {
            var request = {
                Id: "8AF57382-DE83-49DC-9B4E-CF9FF4A4A798",
                Request: "Login",
                Params: {
                    AuthType: "HMAC",
                    WebApiId: id,
                    WebApiKey: key,
                    Timestamp: timestamp,
                    Signature: signature,
                    DeviceId: "WebBrowser",
                    AppSessionId: "123"
                }
            };
            var jsonrequest = JSON.stringify(request);
            socket.send(jsonrequest);
        }
        socket.onmessage = function(msg) {
            console.log(msg.data);
            var message = JSON.parse(msg.data);
            if (message.Response === "Login") {
                socket.send(JSON.stringify({ Id: "info", Request: "SessionInfo" }));
            } else {
                Disconnect();
            }
        }
        socket.onclose = function() {
            console.log('closed');
            socket = null;
        }
        socket.onerror = function(e) {
            console.log('Error: ' + e.message);
        }
    } catch (exception) {
        console.log('Error: ' + exception.text);
    }
}

function Disconnect() {
    socket.close();
}

const [address, id, key, secret] = process.argv.slice(2);
setTimeout(() => { console.log('timeout'); process.exit(2); }, 30000).unref();
Connect(address, id, key, secret);
