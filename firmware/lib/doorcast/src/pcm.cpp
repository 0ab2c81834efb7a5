#include "doorcast/pcm.h"

namespace doorcast {

MicConverter::MicConverter(unsigned gainBits, bool removeDc)
    : gainBits_(gainBits > 8 ? 8 : gainBits), removeDc_(removeDc), dc_(0), peak_(0) {}

void MicConverter::convert(const int32_t* in, size_t count, int16_t* out) {
  for (size_t i = 0; i < count; i++) {
    int64_t sample = in[i] >> 8;  // the 24-bit value (GCC shifts signed values arithmetically)
    if (removeDc_) {
      // A one-pole high-pass: the mean follows the input with a time constant of 1024 samples (64 ms).
      dc_ += (sample * 65536 - dc_) >> 10;
      sample -= dc_ >> 16;
    }
    int64_t scaled = sample * (int64_t(1) << gainBits_) / 256;  // 24 bits down to 16, times the gain
    if (scaled > 32767) scaled = 32767;
    if (scaled < -32768) scaled = -32768;
    int16_t value = static_cast<int16_t>(scaled);
    out[i] = value;
    int16_t magnitude = value == -32768 ? 32767 : static_cast<int16_t>(value < 0 ? -value : value);
    if (magnitude > peak_) peak_ = magnitude;
  }
}

int16_t MicConverter::takePeak() {
  int16_t peak = peak_;
  peak_ = 0;
  return peak;
}

PcmChunker::PcmChunker(uint64_t firstSequence) : filled_(0), sequence_(firstSequence) {}

size_t PcmChunker::add(const int16_t* samples, size_t count) {
  size_t taken = 0;
  while (taken < count && filled_ < kChunkSamples) {
    uint16_t value = static_cast<uint16_t>(samples[taken++]);
    bytes_[2 * filled_] = static_cast<uint8_t>(value & 0xFF);
    bytes_[2 * filled_ + 1] = static_cast<uint8_t>(value >> 8);
    filled_++;
  }
  return taken;
}

void PcmChunker::next() {
  if (filled_ == kChunkSamples) sequence_++;
  filled_ = 0;
}

}  // namespace doorcast
