#include "doorcast/link_retry.h"

namespace doorcast {

LinkRetry::LinkRetry(uint32_t seed, const LinkRetryPolicy& policy)
    : policy_(policy), state_(seed != 0 ? seed : 0x9E3779B9u), posting_(false), tryAt_(0), tries_(0) {}

uint32_t LinkRetry::random() {
  // xorshift32: enough to spread devices apart, and no libc state shared with the rest of the firmware.
  state_ ^= state_ << 13;
  state_ ^= state_ >> 17;
  state_ ^= state_ << 5;
  return state_;
}

void LinkRetry::posting(uint32_t nowMs) {
  if (posting_) {
    tries_++;
  } else {
    tries_ = 0;
  }
  posting_ = true;
  uint32_t half = policy_.everyMs / 2;
  tryAt_ = nowMs + half + random() % (policy_.everyMs - half + 1);
}

void LinkRetry::linked() { posting_ = false; }

bool LinkRetry::due(uint32_t nowMs) const { return posting_ && static_cast<int32_t>(nowMs - tryAt_) >= 0; }

uint32_t LinkRetry::remainingMs(uint32_t nowMs) const {
  if (!posting_ || due(nowMs)) return 0;
  return tryAt_ - nowMs;
}

}  // namespace doorcast
