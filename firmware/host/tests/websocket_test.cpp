// RFC 6455 as the link's client speaks it, against the RFC's own examples: the accept key (section 1.3),
// the key's form (4.1), and the frames of section 5.7 byte for byte; the reader fed in pieces of every
// size, fragmented messages with a ping between the fragments, and what it must refuse.
#include <string>

#include "check.h"
#include "doorcast/protocol.h"
#include "doorcast/sha1.h"
#include "doorcast/url.h"
#include "doorcast/websocket.h"

using namespace doorcast;
using doorcast_test::Bytes;
using doorcast_test::literal;

namespace {

std::string hex(const uint8_t* data, size_t len) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < len; i++) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

std::string sha1(const std::string& text) {
  Sha1 sha;
  sha.update(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  uint8_t digest[Sha1::kDigestBytes];
  sha.finish(digest);
  return hex(digest, sizeof digest);
}

// Feeds bytes in pieces of `piece` bytes and collects every message and control frame as opcode + payload.
struct Read {
  std::vector<std::pair<uint8_t, Bytes>> messages;
  bool failed = false;
  uint16_t code = 0;
};

Read readAll(const Bytes& bytes, size_t piece, size_t capacity = 70000, bool expectMasked = false) {
  std::vector<uint8_t> buffer(capacity);
  MessageReader reader(buffer.data(), buffer.size(), expectMasked);
  Read out;
  for (size_t at = 0; at < bytes.size() && !reader.failed();) {
    size_t end = at + piece < bytes.size() ? at + piece : bytes.size();
    while (at < end && !reader.failed()) {
      at += reader.feed(bytes.data() + at, end - at);
      if (reader.ready()) out.messages.push_back({reader.opcode(), Bytes(reader.payload(), reader.payload() + reader.length())});
    }
  }
  out.failed = reader.failed();
  out.code = reader.failureCode();
  return out;
}

}  // namespace

TEST(sha1MatchesItsPublishedVectors) {
  CHECK_EQ(sha1(""), std::string("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
  CHECK_EQ(sha1("abc"), std::string("a9993e364706816aba3e25717850c26c9cd0d89d"));
  CHECK_EQ(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
           std::string("84983e441c3bd26ebaae4aa1f95129e5e54670f1"));
  CHECK_EQ(sha1(std::string(1000000, 'a')), std::string("34aa973cd4c4daa4f61eeb2bdbad27316534016f"));
}

TEST(theAcceptKeyIsTheOneInRfc6455Section1_3) {
  char accept[29];
  webSocketAccept("dGhlIHNhbXBsZSBub25jZQ==", accept);
  CHECK_EQ(std::string(accept), std::string("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

TEST(theKeyIsSixteenBytesInBase64) {
  uint8_t nonce[16];
  for (int i = 0; i < 16; i++) nonce[i] = static_cast<uint8_t>(i + 1);
  char key[25];
  webSocketKey(nonce, key);
  CHECK_EQ(std::string(key), std::string("AQIDBAUGBwgJCgsMDQ4PEA=="));  // RFC 6455 section 4.1's example
  char out[9];
  CHECK_EQ(base64Encode(reinterpret_cast<const uint8_t*>("ab"), 2, out, sizeof out), size_t(4));
  CHECK_EQ(std::string(out), std::string("YWI="));
  CHECK_EQ(base64Encode(reinterpret_cast<const uint8_t*>("abcdef"), 6, out, 8), size_t(0));  // no room for the NUL
}

TEST(theUpgradeRequestCarriesEverythingTheServerChecks) {
  Url server;
  CHECK(parseUrl("http://door.example:8080/cast", server));
  char head[512];
  size_t n = formatUpgradeHead(head, sizeof head, server, kLinkPath, "s3cret", "dGhlIHNhbXBsZSBub25jZQ==");
  CHECK_EQ(std::string(head, n),
           std::string("GET /cast/api/v1/devices/doorbell/link HTTP/1.1\r\n"
                       "Host: door.example:8080\r\n"
                       "Upgrade: websocket\r\n"
                       "Connection: Upgrade\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 13\r\n"
                       "Authorization: Bearer s3cret\r\n\r\n"));
  CHECK_EQ(formatUpgradeHead(head, 64, server, kLinkPath, "s3cret", "dGhlIHNhbXBsZSBub25jZQ=="), size_t(0));
}

TEST(framesAreEncodedAsInRfc6455Section5_7) {
  uint8_t header[kMaxFrameHeader];
  const uint8_t mask[4] = {0x37, 0xfa, 0x21, 0x3d};

  // A single-frame masked text message, "Hello".
  size_t n = encodeFrameHeader(header, kOpText, true, 5, mask);
  Bytes frame(header, header + n);
  Bytes hello = literal("Hello");
  applyMask(hello.data(), hello.size(), mask, 0);
  frame.insert(frame.end(), hello.begin(), hello.end());
  CHECK_EQ(frame, literal("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"));

  // A masked pong with "Hello", masked in two pieces: the offset carries the mask on.
  n = encodeFrameHeader(header, kOpPong, true, 5, mask);
  Bytes pong(header, header + n);
  Bytes body = literal("Hello");
  applyMask(body.data(), 2, mask, 0);
  applyMask(body.data() + 2, 3, mask, 2);
  pong.insert(pong.end(), body.begin(), body.end());
  CHECK_EQ(pong, literal("\x8a\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"));

  // Unmasked: "Hello" as text, fragmented as "Hel" + "lo", a ping; 256 bytes and 64 KiB of binary.
  CHECK_EQ(Bytes(header, header + encodeFrameHeader(header, kOpText, true, 5, nullptr)), literal("\x81\x05"));
  CHECK_EQ(Bytes(header, header + encodeFrameHeader(header, kOpText, false, 3, nullptr)), literal("\x01\x03"));
  CHECK_EQ(Bytes(header, header + encodeFrameHeader(header, kOpContinuation, true, 2, nullptr)), literal("\x80\x02"));
  CHECK_EQ(Bytes(header, header + encodeFrameHeader(header, kOpPing, true, 5, nullptr)), literal("\x89\x05"));
  CHECK_EQ(Bytes(header, header + encodeFrameHeader(header, kOpBinary, true, 256, nullptr)), literal("\x82\x7e\x01\x00"));
  CHECK_EQ(Bytes(header, header + encodeFrameHeader(header, kOpBinary, true, 65536, nullptr)),
           literal("\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00"));
  // The edges of the three length forms.
  CHECK_EQ(encodeFrameHeader(header, kOpBinary, true, 125, nullptr), size_t(2));
  CHECK_EQ(encodeFrameHeader(header, kOpBinary, true, 126, nullptr), size_t(4));
  CHECK_EQ(encodeFrameHeader(header, kOpBinary, true, 65535, mask), size_t(8));
  CHECK_EQ(encodeFrameHeader(header, kOpBinary, true, 65536, mask), size_t(14));
}

TEST(theReaderReadsRfc6455Section5_7sFramesInPiecesOfEverySize) {
  Bytes stream = literal("\x81\x05Hello" "\x01\x03Hel" "\x89\x05Hello" "\x80\x02lo" "\x8a\x00");
  Bytes big = literal("\x82\x7e\x01\x00");
  for (int i = 0; i < 256; i++) big.push_back(static_cast<uint8_t>(i));
  Bytes huge = literal("\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00");
  for (int i = 0; i < 65536; i++) huge.push_back(static_cast<uint8_t>(i * 7));
  stream.insert(stream.end(), big.begin(), big.end());
  stream.insert(stream.end(), huge.begin(), huge.end());
  for (size_t piece : {size_t(1), size_t(2), size_t(3), size_t(7), size_t(100), size_t(1460), stream.size()}) {
    Read read = readAll(stream, piece);
    CHECK(!read.failed);
    if (!CHECK_EQ(read.messages.size(), size_t(6))) continue;
    CHECK_EQ(int(read.messages[0].first), int(kOpText));
    CHECK_EQ(read.messages[0].second, literal("Hello"));
    // The ping between the two fragments comes out first, then the reassembled message.
    CHECK_EQ(int(read.messages[1].first), int(kOpPing));
    CHECK_EQ(read.messages[1].second, literal("Hello"));
    CHECK_EQ(int(read.messages[2].first), int(kOpText));
    CHECK_EQ(read.messages[2].second, literal("Hello"));
    CHECK_EQ(int(read.messages[3].first), int(kOpPong));
    CHECK_EQ(read.messages[3].second.size(), size_t(0));
    CHECK_EQ(read.messages[4].second, Bytes(big.begin() + 4, big.end()));
    CHECK_EQ(read.messages[5].second, Bytes(huge.begin() + 10, huge.end()));
  }
}

TEST(theReaderUnmasksAsAServerWould) {
  Read read = readAll(literal("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"), 1, 64, true);
  CHECK(!read.failed);
  CHECK_EQ(read.messages.size(), size_t(1));
  if (!read.messages.empty()) CHECK_EQ(read.messages[0].second, literal("Hello"));
}

TEST(aMessageTooBigIsRefusedWith1009BeforeAnyOfItIsBuffered) {
  // 100 bytes of buffer hold 99; the header of a 64 KiB frame is enough to refuse it.
  Read read = readAll(literal("\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00"), 1, 100);
  CHECK(read.failed);
  CHECK_EQ(read.code, kCloseTooBig);
  // Fragments count together: 60 + 60 do not fit in 99.
  Bytes two = literal("\x02\x3c");
  two.insert(two.end(), 60, 'a');
  two.push_back(0x80);
  two.push_back(0x3c);
  read = readAll(two, 1, 100);
  CHECK(read.failed);
  CHECK_EQ(read.code, kCloseTooBig);
  // Exactly what fits is taken.
  Bytes fits = literal("\x82\x63");
  fits.insert(fits.end(), 99, 'b');
  read = readAll(fits, 5, 100);
  CHECK(!read.failed);
  CHECK_EQ(read.messages.size(), size_t(1));
}

TEST(whatRfc6455ForbidsFailsTheReaderWith1002) {
  const Bytes wrong[] = {
      literal("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"),  // masked, from a server
      literal("\xc1\x00"),                                      // RSV1 without an extension
      literal("\x80\x02lo"),                                    // a continuation of nothing
      literal("\x01\x03Hel\x81\x02lo"),                         // a new message inside a fragmented one
      literal("\x09\x00"),                                      // a fragmented ping
      literal("\x89\x7e\x00\x7e"),                              // a ping longer than 125 bytes
      literal("\x83\x00"),                                      // opcode 3 is reserved
      literal("\x8b\x00"),                                      // opcode 11 too
      literal("\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x01"),      // a length with its top bit set
  };
  for (const Bytes& bytes : wrong) {
    Read read = readAll(bytes, 1, 1000);
    if (!CHECK(read.failed)) std::cout << "      accepted " << doorcast_test::describe(bytes) << std::endl;
    CHECK_EQ(read.code, kCloseProtocolError);
  }
}

TEST(linkMessagesRoundTrip) {
  uint8_t header[kMessageHeaderBytes];
  encodeMessageHeader(header, kMessageFrame, 0x0102030405060708ULL, 1764111111000ULL);
  CHECK_EQ(Bytes(header, header + sizeof header),
           literal("\x01\x01\x02\x03\x04\x05\x06\x07\x08\x00\x00\x01\x9a\xbd\x37\x53\x58"));
  uint8_t type;
  uint64_t id, timestamp;
  CHECK(decodeMessageHeader(header, sizeof header, type, id, timestamp));
  CHECK_EQ(int(type), int(kMessageFrame));
  CHECK_EQ(id, 0x0102030405060708ULL);
  CHECK_EQ(timestamp, 1764111111000ULL);
  encodeMessageHeader(header, kMessageSpeaker, UINT64_MAX, 0);
  CHECK(decodeMessageHeader(header, sizeof header, type, id, timestamp));
  CHECK_EQ(int(type), 0x11);
  CHECK_EQ(id, UINT64_MAX);
  CHECK_EQ(timestamp, 0ULL);
  CHECK(!decodeMessageHeader(header, 16, type, id, timestamp));
}

TEST(noticesAreReadEnoughToActOn) {
  Notice notice;
  CHECK(notice.parse("{\"type\":\"watching\",\"camera\":true,\"audio\":false}"));
  CHECK(notice.kind == Notice::kWatching);
  CHECK(notice.camera);
  CHECK(!notice.audio);
  CHECK(notice.parse(" {\"audio\": true, \"type\": \"watching\", \"camera\": false}"));
  CHECK(notice.kind == Notice::kWatching);
  CHECK(!notice.camera);
  CHECK(notice.audio);
  CHECK(notice.parse("{\"type\":\"refused\",\"kind\":\"frame\",\"id\":41,\"status\":413,\"detail\":\"Frame too large\"}"));
  CHECK(notice.kind == Notice::kRefused);
  CHECK_EQ(std::string(notice.refusedKind), std::string("frame"));
  CHECK_EQ(notice.id, int64_t(41));
  CHECK_EQ(notice.status, int64_t(413));
  CHECK_EQ(std::string(notice.detail), std::string("Frame too large"));
  CHECK(notice.parse("{\"type\":\"something-new\"}"));
  CHECK(notice.kind == Notice::kUnknown);
  CHECK(!notice.parse("not json"));
  CHECK(!notice.parse("{\"camera\":true}"));
}

int main() { return doorcast_test::runAll(); }
