// The pieces of RFC 6455 a doorbell's link needs, as a client: the upgrade request and the check of the
// server's answer, frames (masked on the way up, as a client must), and a reader that reassembles what the
// server sends, fragmented or not, into one caller-owned buffer with a size bound.
//
// On top of the frames, the link's messages (docs/esp32.md, "The link"):
//
//   binary, both ways   [type: 1 byte][id: 8 bytes, big-endian][timestamp: 8 bytes, big-endian][payload]
//                       0x01 frame (a JPEG), 0x02 audio (16 kHz 16-bit mono PCM), 0x03 ring (no payload)
//                       go up; 0x11 speaker audio (PCM a viewer talks) comes down
//   text, down          JSON with a "type": {"type":"watching","camera":true,"audio":false} when the link
//                       opens and whenever it changes; {"type":"refused","kind":"frame","id":..,"status":413,
//                       "detail":".."} for a message the server would have answered 4xx as a POST
#pragma once

#include <cstddef>
#include <cstdint>

#include "doorcast/url.h"

namespace doorcast {

// Opcodes (RFC 6455 section 5.2).
const uint8_t kOpContinuation = 0x0;
const uint8_t kOpText = 0x1;
const uint8_t kOpBinary = 0x2;
const uint8_t kOpClose = 0x8;
const uint8_t kOpPing = 0x9;
const uint8_t kOpPong = 0xA;

// Close codes (section 7.4.1).
const uint16_t kCloseNormal = 1000;
const uint16_t kCloseGoingAway = 1001;
const uint16_t kCloseProtocolError = 1002;
const uint16_t kCloseTooBig = 1009;

const char* const kWebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// Sec-WebSocket-Key: 16 random bytes in base64, 24 characters; out needs 25.
void webSocketKey(const uint8_t nonce[16], char out[25]);
// Sec-WebSocket-Accept for a key: base64(SHA-1(key + GUID)), 28 characters; out needs 29.
void webSocketAccept(const char* key, char out[29]);

// "GET <base><path> HTTP/1.1" with Host, Upgrade: websocket, Connection: Upgrade, the key, version 13 and
// the bearer token. Returns the head's length, or 0 if it does not fit.
size_t formatUpgradeHead(char* out, size_t cap, const Url& server, const char* path, const char* token,
                         const char* key);

const size_t kMaxFrameHeader = 14;

// A frame's header: FIN and opcode, the length in 7, 7+16 or 7+64 bits, and with mask != nullptr the
// MASK bit and the 4-byte key. Returns its length (2 to 14).
size_t encodeFrameHeader(uint8_t out[kMaxFrameHeader], uint8_t opcode, bool fin, uint64_t payloadLength,
                         const uint8_t* mask);
// XORs data with the mask key, data being the payload's bytes from offset on (masking is its own inverse).
void applyMask(uint8_t* data, size_t len, const uint8_t mask[4], uint64_t offset);

// The link's binary messages.
const uint8_t kMessageFrame = 0x01;
const uint8_t kMessageAudio = 0x02;
const uint8_t kMessageRing = 0x03;
const uint8_t kMessageSpeaker = 0x11;
const size_t kMessageHeaderBytes = 17;

void encodeMessageHeader(uint8_t out[kMessageHeaderBytes], uint8_t type, uint64_t id, uint64_t timestampMs);
// False when the message is shorter than its header.
bool decodeMessageHeader(const uint8_t* message, size_t length, uint8_t& type, uint64_t& id, uint64_t& timestampMs);

// A text message from the server, read enough to act on it (watching) or log it (refused).
struct Notice {
  enum Kind { kUnknown, kWatching, kRefused };
  Kind kind;
  bool camera;  // watching: someone views the camera
  bool audio;   // watching: someone listens to the microphone
  char type[24];
  char refusedKind[16];  // refused: "frame", "audio", "ring", ...
  int64_t id;            // refused: the message's id; -1 when absent
  int64_t status;        // refused: the status a POST would have got; -1 when absent
  char detail[128];      // refused: why, cut to fit

  // False when the text is not a JSON object with a "type" (the message is then ignored).
  bool parse(const char* json);
};

// Reads the frames a server sends, in pieces of any size, and hands on whole messages: a data message
// (text or binary, reassembled from its fragments into the caller's buffer, NUL-terminated so a text can
// be read as a string) or a control frame (close, ping, pong, at most 125 bytes, which may come between
// the fragments of a data message). Anything RFC 6455 forbids fails the reader with the close code to send:
// 1002 for a protocol error (a masked frame from a server, reserved bits, an unknown opcode, a lone
// continuation), 1009 for a message that will not fit, known as soon as its frame's header says so, before
// any of it is buffered.
class MessageReader {
 public:
  // capacity includes the NUL: messages of up to capacity - 1 bytes are taken. expectMasked: read frames
  // as a server would (a client's frames must be masked); a client leaves it false.
  MessageReader(uint8_t* buffer, size_t capacity, bool expectMasked = false);
  void reset();

  // Takes bytes as they arrived; returns how many it used. It stops right after a whole message or
  // control frame (ready()), which is valid until the next feed(): feed the rest afterwards.
  size_t feed(const uint8_t* data, size_t len);

  bool ready() const { return ready_; }
  // kOpText, kOpBinary, kOpClose, kOpPing or kOpPong.
  uint8_t opcode() const { return readyOpcode_; }
  const uint8_t* payload() const { return readyOpcode_ >= kOpClose ? control_ : buffer_; }
  size_t length() const { return readyLength_; }
  // The fragments the last data message came in.
  unsigned fragments() const { return readyFragments_; }

  bool failed() const { return error_ != nullptr; }
  const char* error() const { return error_; }
  uint16_t failureCode() const { return failureCode_; }

 private:
  enum State { kHead, kPayload };

  void fail(uint16_t code, const char* why);
  bool headerComplete();
  void frameDone();

  uint8_t* buffer_;
  size_t capacity_;
  bool expectMasked_;

  State state_;
  uint8_t header_[kMaxFrameHeader];
  size_t headerFilled_;
  uint8_t frameOpcode_;
  bool frameFin_;
  bool frameMasked_;
  uint8_t mask_[4];
  uint64_t frameLength_;
  uint64_t frameRead_;

  bool inMessage_;  // a fragmented data message is under way
  uint8_t messageOpcode_;
  size_t messageLength_;
  unsigned messageFragments_;

  uint8_t control_[126];
  size_t controlLength_;

  bool ready_;
  uint8_t readyOpcode_;
  size_t readyLength_;
  unsigned readyFragments_;

  const char* error_;
  uint16_t failureCode_;
};

}  // namespace doorcast
