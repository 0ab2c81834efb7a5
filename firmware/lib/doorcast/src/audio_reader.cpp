#include "doorcast/audio_reader.h"

#include "doorcast/protocol.h"

namespace doorcast {

AudioStreamReader::AudioStreamReader(PcmSink& sink) : sink_(sink) { reset(); }

void AudioStreamReader::reset() {
  state_ = kStatus;
  error_ = "";
  head_.clear();
  line_.clear();
  carrying_ = false;
  bytes_ = 0;
}

size_t AudioStreamReader::feed(const uint8_t* data, size_t len) {
  size_t used = 0;
  while (used < len && (state_ == kStatus || state_ == kHead)) {
    if (line_.add(data[used++])) onLine(line_.text());
  }
  if (state_ != kBody || used == len) return state_ == kFailed ? used : len;
  const uint8_t* pcm = data + used;
  size_t n = len - used;
  bytes_ += n;
  if (carrying_) {
    carry_[1] = pcm[0];
    sink_.onPcm(carry_, 2);
    carrying_ = false;
    pcm++;
    n--;
  }
  size_t whole = n & ~static_cast<size_t>(1);
  if (whole > 0) sink_.onPcm(pcm, whole);
  if (n > whole) {
    carry_[0] = pcm[whole];
    carrying_ = true;
  }
  return len;
}

void AudioStreamReader::onLine(const char* line) {
  if (state_ == kStatus) {
    if (head_.take(line, true)) {
      state_ = kHead;
    } else {
      state_ = kFailed;
      error_ = "the answer is not HTTP";
    }
    return;
  }
  if (line[0] != '\0') {
    head_.take(line, false);
    return;
  }
  if (head_.status != 200) {
    state_ = kFailed;
    error_ = "the server refused the stream";
  } else if (head_.chunked) {
    state_ = kFailed;
    error_ = "the stream is chunked: something between here and doorcast re-encoded it";
  } else if ((head_.sampleRate != 0 && head_.sampleRate != static_cast<long>(kSampleRate)) ||
             (head_.channels != 0 && head_.channels != 1) || (head_.bitDepth != 0 && head_.bitDepth != 16)) {
    state_ = kFailed;
    error_ = "the stream is not 16 kHz 16-bit mono";
  } else {
    state_ = kBody;
  }
}

}  // namespace doorcast
