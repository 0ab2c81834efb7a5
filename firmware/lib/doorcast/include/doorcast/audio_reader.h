// Reads GET /api/v1/stream/audio: a response head with X-Sample-Rate 16000, X-Channels 1, X-Bit-Depth 16,
// then raw PCM and nothing else until the connection ends (close-delimited; 10 ms of silence a second
// while the doorbell is quiet). TCP may split a sample between two reads: the reader hands on whole
// samples only and keeps an odd byte for the next piece, which would otherwise swap high and low bytes
// for the rest of the stream.
#pragma once

#include <cstddef>
#include <cstdint>

#include "doorcast/http.h"

namespace doorcast {

// Where the samples go: I2S on a speaker, a buffer in a test.
class PcmSink {
 public:
  virtual ~PcmSink() {}
  // bytes is even: whole 16-bit little-endian samples.
  virtual void onPcm(const uint8_t* pcm, size_t bytes) = 0;
};

class AudioStreamReader {
 public:
  explicit AudioStreamReader(PcmSink& sink);
  void reset();

  // Takes bytes as they arrived; returns how many it used (all, unless it failed).
  size_t feed(const uint8_t* data, size_t len);

  bool streaming() const { return state_ == kBody; }
  bool failed() const { return state_ == kFailed; }
  const char* error() const { return error_; }
  const ResponseHead& head() const { return head_; }
  uint64_t bytes() const { return bytes_; }

 private:
  enum State { kStatus, kHead, kBody, kFailed };

  void onLine(const char* line);

  PcmSink& sink_;
  State state_;
  const char* error_;
  ResponseHead head_;
  LineBuffer line_;
  bool carrying_;
  uint8_t carry_[2];
  uint64_t bytes_;
};

}  // namespace doorcast
