// SHA-1 and base64, as much as the WebSocket handshake needs: the server proves it speaks WebSocket by
// answering base64(SHA-1(key + GUID)). SHA-1 is no protection here (TLS is); it is what RFC 6455 asks for.
// Small and portable so the host tests build it; on the ESP32, mbedTLS has its own, which this does not use.
#pragma once

#include <cstddef>
#include <cstdint>

namespace doorcast {

class Sha1 {
 public:
  static const size_t kDigestBytes = 20;

  Sha1() { reset(); }
  void reset();
  void update(const uint8_t* data, size_t len);
  void update(const char* text);
  // Writes the 20-byte digest; the object must be reset() before it is used again.
  void finish(uint8_t digest[kDigestBytes]);

 private:
  void block(const uint8_t* data);

  uint32_t state_[5];
  uint64_t length_;  // bytes hashed so far
  uint8_t pending_[64];
  size_t filled_;
};

// Standard base64 with padding; out needs 4 * ((len + 2) / 3) + 1 bytes. Returns the length written.
size_t base64Encode(const uint8_t* data, size_t len, char* out, size_t cap);

}  // namespace doorcast
