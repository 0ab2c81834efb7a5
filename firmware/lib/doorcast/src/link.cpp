#include "doorcast/link.h"

#include <cstring>

#include "doorcast/http.h"
#include "doorcast/protocol.h"
#include "doorcast/text.h"

namespace doorcast {

LinkClient::LinkClient(Transport& transport, const Url& server, const char* token, LinkPlatform& platform,
                       LinkListener& listener, uint8_t* buffer, size_t capacity, const LinkPolicy& policy)
    : transport_(transport), server_(server), token_(token), platform_(platform), listener_(listener),
      policy_(policy), reader_(buffer, capacity), backoff_(platform.random()), open_(false), closeSent_(false),
      watchingCamera_(true), watchingAudio_(true), openedAt_(0), stable_(false), lastReceived_(0), lastSent_(0),
      pingOut_(false), pingSentAt_(0), rttMs_(0), lastError_(""), lastStatus_(0), serverCloseCode_(0), ignored_(0),
      retryAfterSeconds_(-1) {}

LinkOutcome LinkClient::failOpen(LinkOutcome outcome, const char* why) {
  transport_.close();
  open_ = false;
  lastError_ = why;
  return outcome;
}

LinkOutcome LinkClient::open() {
  transport_.close();
  open_ = false;
  closeSent_ = false;
  reader_.reset();
  lastStatus_ = 0;
  retryAfterSeconds_ = -1;
  serverCloseCode_ = 0;
  if (!transport_.connect(server_.host, server_.port)) return failOpen(LinkOutcome::kFailed, "could not connect");

  uint8_t nonce[16];
  for (size_t i = 0; i < sizeof nonce; i += 4) {
    uint32_t r = platform_.random();
    std::memcpy(nonce + i, &r, 4);
  }
  char key[25];
  webSocketKey(nonce, key);
  char accept[29];
  webSocketAccept(key, accept);
  char head[640];
  size_t headLength = formatUpgradeHead(head, sizeof head, server_, kLinkPath, token_, key);
  if (headLength == 0) return failOpen(LinkOutcome::kFailed, "request head too long (token or path)");
  if (!transport_.write(reinterpret_cast<const uint8_t*>(head), headLength)) {
    return failOpen(LinkOutcome::kFailed, "connection lost while sending the upgrade");
  }
  LinkOutcome outcome;
  readHandshake(accept, outcome);
  return outcome;
}

bool LinkClient::readHandshake(const char* expectedAccept, LinkOutcome& outcome) {
  ResponseHead head;
  head.clear();
  LineBuffer line;
  bool statusLine = true;
  bool upgrade = false, connection = false, accepted = false, extras = false;
  uint32_t started = platform_.millis();
  for (;;) {
    uint32_t spent = platform_.millis() - started;
    if (spent >= policy_.answerTimeoutMs) {
      outcome = failOpen(LinkOutcome::kFailed, "no answer to the upgrade in time");
      return false;
    }
    long n = transport_.read(incoming_, sizeof incoming_, policy_.answerTimeoutMs - spent);
    if (n < 0) {
      outcome = failOpen(LinkOutcome::kFailed, "connection closed before the upgrade's answer");
      return false;
    }
    for (long i = 0; i < n; i++) {
      if (!line.add(incoming_[i])) continue;
      const char* text = line.text();
      if (statusLine) {
        if (!head.take(text, true)) {
          outcome = failOpen(LinkOutcome::kFailed, "the upgrade's answer is not HTTP");
          return false;
        }
        statusLine = false;
        continue;
      }
      if (text[0] != '\0') {
        head.take(text, false);
        const char* value;
        if ((value = headerValue(text, "Upgrade")) != nullptr) {
          upgrade = findIgnoringCase(value, "websocket") != nullptr;
        } else if ((value = headerValue(text, "Connection")) != nullptr) {
          connection = findIgnoringCase(value, "upgrade") != nullptr;
        } else if ((value = headerValue(text, "Sec-WebSocket-Accept")) != nullptr) {
          accepted = std::strcmp(value, expectedAccept) == 0;
        } else if (headerValue(text, "Sec-WebSocket-Extensions") != nullptr ||
                   headerValue(text, "Sec-WebSocket-Protocol") != nullptr) {
          extras = true;  // neither was asked for
        }
        continue;
      }
      // The blank line: the head is over.
      lastStatus_ = head.status;
      retryAfterSeconds_ = head.retryAfterSeconds;
      if (head.status == 401) {
        outcome = failOpen(LinkOutcome::kWrongToken, "the server refused the token (401): check the token in config.h");
      } else if (head.status == 404) {
        outcome = failOpen(LinkOutcome::kNoLink, "the server has no link (404): posting instead");
      } else if (head.status != 101) {
        outcome = failOpen(LinkOutcome::kRefused, "the server refused the upgrade");
      } else if (!upgrade || !connection) {
        outcome = failOpen(LinkOutcome::kFailed, "101 without Upgrade: websocket and Connection: Upgrade");
      } else if (!accepted) {
        outcome = failOpen(LinkOutcome::kFailed, "101 with a wrong or missing Sec-WebSocket-Accept");
      } else if (extras) {
        outcome = failOpen(LinkOutcome::kFailed, "101 with an extension or subprotocol nobody asked for");
      } else {
        uint32_t now = platform_.millis();
        open_ = true;
        lastError_ = "";
        openedAt_ = lastReceived_ = lastSent_ = now;
        stable_ = false;
        pingOut_ = false;
        watchingCamera_ = watchingAudio_ = true;
        outcome = LinkOutcome::kOpen;
        // The server may have sent its first messages right behind the head.
        size_t rest = static_cast<size_t>(n - i - 1);
        if (rest > 0) consume(incoming_ + i + 1, rest);
        return open_;
      }
      return false;
    }
  }
}

LinkOutcome LinkClient::maintain() {
  if (open_) return LinkOutcome::kOpen;
  uint32_t now = platform_.millis();
  if (!backoff_.ready(now)) return LinkOutcome::kWaiting;
  LinkOutcome outcome = open();
  now = platform_.millis();
  switch (outcome) {
    case LinkOutcome::kOpen:
      break;
    case LinkOutcome::kWrongToken:
    case LinkOutcome::kNoLink:
    case LinkOutcome::kRefused:
      backoff_.afterAnswer(lastStatus_, retryAfterSeconds_, now);
      break;
    default:
      backoff_.afterConnectionLoss(now);
      break;
  }
  return outcome;
}

void LinkClient::lose(const char* why) {
  transport_.close();
  if (!open_) return;
  open_ = false;
  lastError_ = why;
  backoff_.afterConnectionLoss(platform_.millis());
}

bool LinkClient::sendFrame(uint8_t opcode, const Span* spans, size_t count) {
  if (!open_) return false;
  uint64_t length = 0;
  for (size_t i = 0; i < count; i++) length += spans[i].length;
  uint32_t random = platform_.random();
  uint8_t mask[4];
  std::memcpy(mask, &random, 4);
  uint8_t header[kMaxFrameHeader];
  size_t headerLength = encodeFrameHeader(header, opcode, true, length, mask);
  // The header goes with the first payload bytes, so a small message is one write (one TLS record).
  std::memcpy(outgoing_, header, headerLength);
  size_t filled = headerLength;
  uint64_t offset = 0;
  for (size_t i = 0; i < count; i++) {
    const uint8_t* data = spans[i].data;
    size_t left = spans[i].length;
    while (left > 0) {
      size_t n = sizeof outgoing_ - filled < left ? sizeof outgoing_ - filled : left;
      std::memcpy(outgoing_ + filled, data, n);
      applyMask(outgoing_ + filled, n, mask, offset);
      filled += n;
      offset += n;
      data += n;
      left -= n;
      if (filled == sizeof outgoing_) {
        if (!transport_.write(outgoing_, filled)) {
          lose("connection lost while sending");
          return false;
        }
        filled = 0;
      }
    }
  }
  if (filled > 0 && !transport_.write(outgoing_, filled)) {
    lose("connection lost while sending");
    return false;
  }
  lastSent_ = platform_.millis();
  return true;
}

bool LinkClient::sendControl(uint8_t opcode, const uint8_t* payload, size_t length) {
  Span span = {payload, length};
  return sendFrame(opcode, &span, length > 0 ? 1 : 0);
}

bool LinkClient::send(uint8_t type, uint64_t id, uint64_t timestampMs, const Span* spans, size_t count) {
  uint8_t header[kMessageHeaderBytes];
  encodeMessageHeader(header, type, id, timestampMs);
  Span all[4];
  if (count > 3) return false;
  all[0].data = header;
  all[0].length = sizeof header;
  for (size_t i = 0; i < count; i++) all[i + 1] = spans[i];
  return sendFrame(kOpBinary, all, count + 1);
}

bool LinkClient::sendRing(uint64_t pressCounter, uint64_t timestampMs) {
  return send(kMessageRing, pressCounter, timestampMs, nullptr, 0);
}

bool LinkClient::poll(uint32_t timeoutMs) {
  if (!open_) return false;
  long n = transport_.read(incoming_, sizeof incoming_, timeoutMs);
  uint32_t now = platform_.millis();
  if (n < 0) {
    lose("the server closed the connection");
    return false;
  }
  if (n > 0) {
    lastReceived_ = now;
    if (!consume(incoming_, static_cast<size_t>(n))) return false;
  }
  if (!stable_ && now - openedAt_ >= policy_.stableAfterMs) {
    stable_ = true;
    backoff_.reset();
  }
  if (now - lastReceived_ >= policy_.deadAfterMs) {
    lose("the server went silent");
    return false;
  }
  bool quiet = now - lastReceived_ >= policy_.pingAfterMs || now - lastSent_ >= policy_.pingAfterMs;
  if (quiet && (!pingOut_ || now - pingSentAt_ >= policy_.pingAfterMs)) {
    uint8_t stamp[4];
    std::memcpy(stamp, &now, 4);
    pingOut_ = true;
    pingSentAt_ = now;
    if (!sendControl(kOpPing, stamp, sizeof stamp)) return false;
  }
  return open_;
}

bool LinkClient::consume(const uint8_t* data, size_t len) {
  while (len > 0 && open_) {
    size_t used = reader_.feed(data, len);
    data += used;
    len -= used;
    if (reader_.failed()) {
      uint8_t code[2] = {static_cast<uint8_t>(reader_.failureCode() >> 8), static_cast<uint8_t>(reader_.failureCode())};
      sendControl(kOpClose, code, sizeof code);
      closeSent_ = true;
      lose(reader_.error());
      return false;
    }
    if (reader_.ready()) onMessage();
  }
  return open_;
}

void LinkClient::onMessage() {
  const uint8_t* payload = reader_.payload();
  size_t length = reader_.length();
  switch (reader_.opcode()) {
    case kOpPing:
      sendControl(kOpPong, payload, length);
      break;
    case kOpPong:
      if (pingOut_ && length == 4 && std::memcmp(payload, &pingSentAt_, 4) == 0) {
        rttMs_ = platform_.millis() - pingSentAt_;
        pingOut_ = false;
      }
      break;
    case kOpClose: {
      uint16_t code = length >= 2 ? static_cast<uint16_t>(payload[0] << 8 | payload[1]) : 1005;
      serverCloseCode_ = code;
      if (closeSent_) {
        // The answer to our own close: the handshake is done.
        transport_.close();
        open_ = false;
        break;
      }
      // Echo the server's code (none for a close without one), then the connection ends.
      uint8_t echo[2] = {length >= 2 ? payload[0] : uint8_t(0), length >= 2 ? payload[1] : uint8_t(0)};
      sendControl(kOpClose, echo, length >= 2 ? 2 : 0);
      closeSent_ = true;
      lose(code == kCloseNormal || code == kCloseGoingAway ? "the server closed the link"
                                                           : "the server closed the link with an error");
      break;
    }
    case kOpText: {
      Notice notice;
      if (!notice.parse(reinterpret_cast<const char*>(payload))) {
        ignored_++;
      } else if (notice.kind == Notice::kWatching) {
        watchingCamera_ = notice.camera;
        watchingAudio_ = notice.audio;
        listener_.onWatching(notice.camera, notice.audio);
      } else if (notice.kind == Notice::kRefused) {
        listener_.onRefused(notice);
      } else {
        ignored_++;
      }
      break;
    }
    case kOpBinary: {
      uint8_t type;
      uint64_t id, timestamp;
      if (decodeMessageHeader(payload, length, type, id, timestamp) && type == kMessageSpeaker) {
        listener_.onSpeakerAudio(id, payload + kMessageHeaderBytes, length - kMessageHeaderBytes);
      } else {
        ignored_++;
      }
      break;
    }
    default:
      break;
  }
}

void LinkClient::close(uint16_t code) {
  if (!open_) {
    transport_.close();
    return;
  }
  uint8_t payload[2] = {static_cast<uint8_t>(code >> 8), static_cast<uint8_t>(code)};
  if (sendControl(kOpClose, payload, sizeof payload)) {
    closeSent_ = true;
    uint32_t started = platform_.millis();
    while (open_) {
      uint32_t spent = platform_.millis() - started;
      if (spent >= policy_.closeWaitMs) break;
      long n = transport_.read(incoming_, sizeof incoming_, policy_.closeWaitMs - spent);
      if (n < 0) break;
      if (n > 0) consume(incoming_, static_cast<size_t>(n));
    }
  }
  transport_.close();
  open_ = false;
  lastError_ = "closed";
}

}  // namespace doorcast
