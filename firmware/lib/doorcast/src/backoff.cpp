#include "doorcast/backoff.h"

namespace doorcast {

Backoff::Backoff(uint32_t seed, const BackoffPolicy& policy)
    : policy_(policy), state_(seed != 0 ? seed : 0x9E3779B9u), failures_(0), wrongTokens_(0), resumeAt_(0),
      waiting_(false), reason_("") {}

uint32_t Backoff::random() {
  // xorshift32: plenty for spreading retries, and the same on every platform
  state_ ^= state_ << 13;
  state_ ^= state_ >> 17;
  state_ ^= state_ << 5;
  return state_;
}

uint32_t Backoff::exponential(uint32_t first, uint32_t max, unsigned step) {
  uint32_t ceiling = first;
  for (unsigned i = 0; i < step && ceiling < max; i++) ceiling = ceiling > max / 2 ? max : ceiling * 2;
  if (ceiling > max) ceiling = max;
  uint32_t half = ceiling / 2;
  return half + random() % (ceiling - half + 1);
}

uint32_t Backoff::wait(uint32_t ms, uint32_t nowMs, const char* why) {
  reason_ = why;
  waiting_ = ms > 0;
  resumeAt_ = nowMs + ms;
  return ms;
}

void Backoff::reset() {
  failures_ = 0;
  wrongTokens_ = 0;
  waiting_ = false;
  reason_ = "";
}

uint32_t Backoff::afterAnswer(int status, long retryAfterSeconds, uint32_t nowMs) {
  if (status >= 200 && status < 300) {
    reset();
    return 0;
  }
  if (status == 401 || (status >= 300 && status < 400)) {
    // Neither a wrong token nor a redirect (fly.io sends http:// to https://) mends itself.
    uint32_t ceiling = policy_.wrongTokenMs;
    for (unsigned i = 0; i < wrongTokens_ && ceiling < policy_.wrongTokenMaxMs; i++) {
      ceiling = ceiling > policy_.wrongTokenMaxMs / 2 ? policy_.wrongTokenMaxMs : ceiling * 2;
    }
    wrongTokens_++;
    failures_++;
    return wait(ceiling + random() % (ceiling / 10 + 1), nowMs,
                status == 401 ? "the server refused the token (401): check the token in config.h"
                              : "the server redirects (3xx): check DOORCAST_URL in config.h (https://?)");
  }
  wrongTokens_ = 0;
  if ((status == 429 || status == 503) && retryAfterSeconds >= 0) {
    long seconds = retryAfterSeconds > 3600 ? 3600 : retryAfterSeconds;
    uint32_t ms = static_cast<uint32_t>(seconds) * 1000;
    failures_++;
    return wait(ms + random() % (ms / 10 + 1), nowMs,
                status == 429 ? "the server asks for fewer requests (429)" : "the server is busy (503)");
  }
  if (status >= 400 && status < 500 && status != 429) {
    // This request was wrong (a bad body, too large, no such endpoint): the next may be fine.
    return wait(0, nowMs, "the server rejected that request");
  }
  return wait(exponential(policy_.firstMs, policy_.maxMs, failures_++), nowMs,
              status == 429 ? "the server asks for fewer requests (429)"
              : status == 503 ? "the server is busy (503)" : "the server failed (5xx)");
}

uint32_t Backoff::afterConnectionLoss(uint32_t nowMs) {
  return wait(exponential(policy_.firstMs, policy_.maxMs, failures_++), nowMs, "no connection to the server");
}

bool Backoff::ready(uint32_t nowMs) const {
  return !waiting_ || static_cast<int32_t>(nowMs - resumeAt_) >= 0;
}

uint32_t Backoff::remainingMs(uint32_t nowMs) const {
  return ready(nowMs) ? 0 : resumeAt_ - nowMs;
}

}  // namespace doorcast
