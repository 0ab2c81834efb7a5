#include "doorcast/sha1.h"

#include <cstring>

namespace doorcast {

const size_t Sha1::kDigestBytes;

namespace {

uint32_t rotl(uint32_t value, unsigned bits) { return (value << bits) | (value >> (32 - bits)); }

}  // namespace

void Sha1::reset() {
  state_[0] = 0x67452301u;
  state_[1] = 0xEFCDAB89u;
  state_[2] = 0x98BADCFEu;
  state_[3] = 0x10325476u;
  state_[4] = 0xC3D2E1F0u;
  length_ = 0;
  filled_ = 0;
}

void Sha1::block(const uint8_t* data) {
  uint32_t w[80];
  for (unsigned i = 0; i < 16; i++) {
    w[i] = static_cast<uint32_t>(data[4 * i]) << 24 | static_cast<uint32_t>(data[4 * i + 1]) << 16 |
           static_cast<uint32_t>(data[4 * i + 2]) << 8 | static_cast<uint32_t>(data[4 * i + 3]);
  }
  for (unsigned i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3], e = state_[4];
  for (unsigned i = 0; i < 80; i++) {
    uint32_t f, k;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5A827999u;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ED9EBA1u;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8F1BBCDCu;
    } else {
      f = b ^ c ^ d;
      k = 0xCA62C1D6u;
    }
    uint32_t t = rotl(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
  state_[4] += e;
}

void Sha1::update(const uint8_t* data, size_t len) {
  length_ += len;
  while (len > 0) {
    size_t n = 64 - filled_ < len ? 64 - filled_ : len;
    std::memcpy(pending_ + filled_, data, n);
    filled_ += n;
    data += n;
    len -= n;
    if (filled_ == 64) {
      block(pending_);
      filled_ = 0;
    }
  }
}

void Sha1::update(const char* text) { update(reinterpret_cast<const uint8_t*>(text), std::strlen(text)); }

void Sha1::finish(uint8_t digest[kDigestBytes]) {
  uint64_t bits = length_ * 8;
  uint8_t pad = 0x80;
  update(&pad, 1);
  uint8_t zero = 0;
  while (filled_ != 56) update(&zero, 1);
  uint8_t tail[8];
  for (unsigned i = 0; i < 8; i++) tail[i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
  update(tail, 8);
  for (unsigned i = 0; i < 5; i++) {
    digest[4 * i] = static_cast<uint8_t>(state_[i] >> 24);
    digest[4 * i + 1] = static_cast<uint8_t>(state_[i] >> 16);
    digest[4 * i + 2] = static_cast<uint8_t>(state_[i] >> 8);
    digest[4 * i + 3] = static_cast<uint8_t>(state_[i]);
  }
}

size_t base64Encode(const uint8_t* data, size_t len, char* out, size_t cap) {
  static const char* const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t need = 4 * ((len + 2) / 3);
  if (cap < need + 1) {
    if (cap > 0) out[0] = '\0';
    return 0;
  }
  size_t n = 0;
  for (size_t i = 0; i < len; i += 3) {
    uint32_t group = static_cast<uint32_t>(data[i]) << 16;
    if (i + 1 < len) group |= static_cast<uint32_t>(data[i + 1]) << 8;
    if (i + 2 < len) group |= data[i + 2];
    out[n++] = alphabet[(group >> 18) & 63];
    out[n++] = alphabet[(group >> 12) & 63];
    out[n++] = i + 1 < len ? alphabet[(group >> 6) & 63] : '=';
    out[n++] = i + 2 < len ? alphabet[group & 63] : '=';
  }
  out[n] = '\0';
  return n;
}

}  // namespace doorcast
