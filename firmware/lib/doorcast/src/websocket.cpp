#include "doorcast/websocket.h"

#include <cstring>

#include "doorcast/response_reader.h"
#include "doorcast/sha1.h"
#include "doorcast/text.h"

namespace doorcast {

void webSocketKey(const uint8_t nonce[16], char out[25]) { base64Encode(nonce, 16, out, 25); }

void webSocketAccept(const char* key, char out[29]) {
  Sha1 sha;
  sha.update(key);
  sha.update(kWebSocketGuid);
  uint8_t digest[Sha1::kDigestBytes];
  sha.finish(digest);
  base64Encode(digest, sizeof digest, out, 29);
}

size_t formatUpgradeHead(char* out, size_t cap, const Url& server, const char* path, const char* token,
                         const char* key) {
  TextBuilder head(out, cap);
  head.add("GET ").add(server.basePath).add(path).add(" HTTP/1.1\r\nHost: ").add(server.host);
  if (server.port != (server.https ? 443 : 80)) head.add(":").addNumber(server.port);
  head.add("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
  head.add("Sec-WebSocket-Key: ").add(key).add("\r\nSec-WebSocket-Version: 13\r\n");
  head.add("Authorization: Bearer ").add(token).add("\r\n\r\n");
  return head.finish();
}

size_t encodeFrameHeader(uint8_t out[kMaxFrameHeader], uint8_t opcode, bool fin, uint64_t payloadLength,
                         const uint8_t* mask) {
  out[0] = static_cast<uint8_t>((fin ? 0x80 : 0x00) | (opcode & 0x0F));
  uint8_t maskBit = mask != nullptr ? 0x80 : 0x00;
  size_t n;
  if (payloadLength < 126) {
    out[1] = static_cast<uint8_t>(maskBit | payloadLength);
    n = 2;
  } else if (payloadLength <= 0xFFFF) {
    out[1] = static_cast<uint8_t>(maskBit | 126);
    out[2] = static_cast<uint8_t>(payloadLength >> 8);
    out[3] = static_cast<uint8_t>(payloadLength);
    n = 4;
  } else {
    out[1] = static_cast<uint8_t>(maskBit | 127);
    for (unsigned i = 0; i < 8; i++) out[2 + i] = static_cast<uint8_t>(payloadLength >> (56 - 8 * i));
    n = 10;
  }
  if (mask != nullptr) {
    std::memcpy(out + n, mask, 4);
    n += 4;
  }
  return n;
}

void applyMask(uint8_t* data, size_t len, const uint8_t mask[4], uint64_t offset) {
  for (size_t i = 0; i < len; i++) data[i] ^= mask[(offset + i) & 3];
}

namespace {

void putBigEndian(uint8_t* out, uint64_t value) {
  for (unsigned i = 0; i < 8; i++) out[i] = static_cast<uint8_t>(value >> (56 - 8 * i));
}

uint64_t getBigEndian(const uint8_t* in) {
  uint64_t value = 0;
  for (unsigned i = 0; i < 8; i++) value = value << 8 | in[i];
  return value;
}

}  // namespace

void encodeMessageHeader(uint8_t out[kMessageHeaderBytes], uint8_t type, uint64_t id, uint64_t timestampMs) {
  out[0] = type;
  putBigEndian(out + 1, id);
  putBigEndian(out + 9, timestampMs);
}

bool decodeMessageHeader(const uint8_t* message, size_t length, uint8_t& type, uint64_t& id,
                         uint64_t& timestampMs) {
  if (length < kMessageHeaderBytes) return false;
  type = message[0];
  id = getBigEndian(message + 1);
  timestampMs = getBigEndian(message + 9);
  return true;
}

bool Notice::parse(const char* json) {
  kind = kUnknown;
  camera = false;
  audio = false;
  type[0] = refusedKind[0] = detail[0] = '\0';
  id = status = -1;
  const char* at = json;
  while (*at == ' ' || *at == '\t' || *at == '\r' || *at == '\n') at++;
  if (*at != '{' || !jsonString(json, "type", type, sizeof type)) return false;
  if (std::strcmp(type, "watching") == 0) {
    // A field left out counts as "someone watches": sending too much is better than going dark.
    if (!jsonBool(json, "camera", camera)) camera = true;
    if (!jsonBool(json, "audio", audio)) audio = true;
    kind = kWatching;
  } else if (std::strcmp(type, "refused") == 0) {
    jsonString(json, "kind", refusedKind, sizeof refusedKind);
    jsonNumber(json, "id", id);
    jsonNumber(json, "status", status);
    jsonString(json, "detail", detail, sizeof detail);
    kind = kRefused;
  }
  return true;
}

MessageReader::MessageReader(uint8_t* buffer, size_t capacity, bool expectMasked)
    : buffer_(buffer), capacity_(capacity), expectMasked_(expectMasked) {
  reset();
}

void MessageReader::reset() {
  state_ = kHead;
  headerFilled_ = 0;
  inMessage_ = false;
  messageLength_ = 0;
  messageFragments_ = 0;
  controlLength_ = 0;
  ready_ = false;
  readyLength_ = 0;
  readyOpcode_ = 0;
  readyFragments_ = 0;
  error_ = nullptr;
  failureCode_ = 0;
}

void MessageReader::fail(uint16_t code, const char* why) {
  if (error_ != nullptr) return;
  error_ = why;
  failureCode_ = code;
}

// Whether header_ holds a whole header; checks it once it does.
bool MessageReader::headerComplete() {
  if (headerFilled_ < 2) return false;
  size_t lengthBytes = (header_[1] & 0x7F) == 126 ? 2 : (header_[1] & 0x7F) == 127 ? 8 : 0;
  bool masked = (header_[1] & 0x80) != 0;
  size_t need = 2 + lengthBytes + (masked ? 4 : 0);
  if (headerFilled_ < need) return false;

  frameFin_ = (header_[0] & 0x80) != 0;
  frameOpcode_ = header_[0] & 0x0F;
  frameMasked_ = masked;
  if (lengthBytes == 0) {
    frameLength_ = header_[1] & 0x7F;
  } else if (lengthBytes == 2) {
    frameLength_ = static_cast<uint64_t>(header_[2]) << 8 | header_[3];
  } else {
    frameLength_ = getBigEndian(header_ + 2);
  }
  if (masked) std::memcpy(mask_, header_ + 2 + lengthBytes, 4);
  frameRead_ = 0;

  if ((header_[0] & 0x70) != 0) {
    fail(kCloseProtocolError, "reserved bits set (no extension was agreed)");
  } else if (masked != expectMasked_) {
    fail(kCloseProtocolError, masked ? "a masked frame from the server" : "an unmasked frame from a client");
  } else if (lengthBytes == 8 && (header_[2] & 0x80) != 0) {
    fail(kCloseProtocolError, "a 64-bit length with its top bit set");
  } else if (frameOpcode_ >= kOpClose) {
    if (frameOpcode_ > kOpPong) fail(kCloseProtocolError, "an unknown control opcode");
    else if (!frameFin_) fail(kCloseProtocolError, "a fragmented control frame");
    else if (frameLength_ > 125) fail(kCloseProtocolError, "a control frame longer than 125 bytes");
    controlLength_ = 0;
  } else if (frameOpcode_ == kOpContinuation) {
    if (!inMessage_) fail(kCloseProtocolError, "a continuation frame with no message to continue");
  } else if (frameOpcode_ == kOpText || frameOpcode_ == kOpBinary) {
    if (inMessage_) fail(kCloseProtocolError, "a new message inside a fragmented one");
    inMessage_ = true;
    messageOpcode_ = frameOpcode_;
    messageLength_ = 0;
    messageFragments_ = 0;
  } else {
    fail(kCloseProtocolError, "an unknown data opcode");
  }
  if (error_ == nullptr && frameOpcode_ < kOpClose) {
    // Refused on the header's word, before a byte of it is buffered.
    if (frameLength_ > capacity_ - 1 - messageLength_) fail(kCloseTooBig, "a message larger than the buffer");
    messageFragments_++;
  }
  return true;
}

void MessageReader::frameDone() {
  state_ = kHead;
  headerFilled_ = 0;
  if (frameOpcode_ >= kOpClose) {
    ready_ = true;
    readyOpcode_ = frameOpcode_;
    readyLength_ = controlLength_;
    control_[controlLength_] = 0;
    return;
  }
  if (!frameFin_) return;
  inMessage_ = false;
  ready_ = true;
  readyOpcode_ = messageOpcode_;
  readyLength_ = messageLength_;
  readyFragments_ = messageFragments_;
  buffer_[messageLength_] = 0;
}

size_t MessageReader::feed(const uint8_t* data, size_t len) {
  if (ready_) {
    ready_ = false;
    if (readyOpcode_ < kOpClose) messageLength_ = 0;
  }
  size_t used = 0;
  while (used < len && error_ == nullptr && !ready_) {
    if (state_ == kHead) {
      header_[headerFilled_++] = data[used++];
      if (!headerComplete() || error_ != nullptr) continue;
      state_ = kPayload;
      if (frameLength_ == 0) frameDone();
      continue;
    }
    uint64_t left = frameLength_ - frameRead_;
    size_t n = left < len - used ? static_cast<size_t>(left) : len - used;
    uint8_t* to = frameOpcode_ >= kOpClose ? control_ + controlLength_ : buffer_ + messageLength_;
    std::memcpy(to, data + used, n);
    if (frameMasked_) applyMask(to, n, mask_, frameRead_);
    if (frameOpcode_ >= kOpClose) controlLength_ += n;
    else messageLength_ += n;
    frameRead_ += n;
    used += n;
    if (frameRead_ == frameLength_) frameDone();
  }
  return used;
}

}  // namespace doorcast
