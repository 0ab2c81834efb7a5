// Microphone samples into the PCM the server takes: 16 kHz, 16-bit signed little-endian, mono, posted in
// chunks of 2048 bytes (64 ms), each with its X-Sequence.
#pragma once

#include <cstddef>
#include <cstdint>

#include "doorcast/protocol.h"

namespace doorcast {

// An INMP441 sends 24-bit samples, MSB first, in 32-bit I2S slots: the top 24 bits of each int32 the I2S
// driver reads. This keeps the top 16 of them, first amplified by gainBits (each bit doubles: the INMP441
// is quiet, -26 dBFS at 94 dB SPL), clipped to the int16 range, with the microphone's DC offset removed.
class MicConverter {
 public:
  explicit MicConverter(unsigned gainBits = 0, bool removeDc = true);

  // Converts count slots from in into count 16-bit samples in out.
  void convert(const int32_t* in, size_t count, int16_t* out);
  // The largest magnitude among the samples converted since the last call, for a level in the log.
  int16_t takePeak();

 private:
  unsigned gainBits_;
  bool removeDc_;
  int64_t dc_;  // running mean of the input, in 1/65536ths of a 24-bit step
  int16_t peak_;
};

// Collects samples into 2048-byte little-endian chunks and numbers them 0, 1, 2... from firstSequence:
// the X-Sequence that lets the server drop a repeat, and take a restart from 0 after a reboot.
class PcmChunker {
 public:
  explicit PcmChunker(uint64_t firstSequence = 0);

  // Takes samples until a chunk is full; returns how many it took. Once ready(), take the chunk and
  // call next() before adding more.
  size_t add(const int16_t* samples, size_t count);
  bool ready() const { return filled_ == kChunkSamples; }
  const uint8_t* chunk() const { return bytes_; }
  size_t chunkBytes() const { return kChunkBytes; }
  uint64_t sequence() const { return sequence_; }
  void next();

 private:
  uint8_t bytes_[kChunkBytes];
  size_t filled_;  // samples
  uint64_t sequence_;
};

}  // namespace doorcast
