// When to try again after the server said no or could not be reached.
//
//   2xx                      go on at once, and forget earlier failures
//   400, 404, 413, 415       that request was wrong; the next may be fine: go on at once
//   401                      the token is wrong: retrying soon cannot help, so wait long (a minute,
//                            doubling to ten), and say so in the log
//   3xx                      the same: the URL is wrong (fly.io redirects http:// to https://), and
//                            the firmware follows no redirects
//   429, 503 with Retry-After wait at least what it says (plus up to a tenth, so that many devices
//                            told the same do not all come back in the same second)
//   429, 503 without it, any other status, a lost connection
//                            capped exponential: 0.5 s, 1 s, 2 s ... 30 s, each drawn between half
//                            and all of it (jitter), so reconnecting devices spread out
//
// Live media that waited is worth nothing: while a stream waits, its frames or chunks are dropped.
#pragma once

#include <cstdint>

namespace doorcast {

struct BackoffPolicy {
  uint32_t firstMs;
  uint32_t maxMs;
  uint32_t wrongTokenMs;
  uint32_t wrongTokenMaxMs;

  BackoffPolicy() : firstMs(500), maxMs(30000), wrongTokenMs(60000), wrongTokenMaxMs(600000) {}
};

class Backoff {
 public:
  // seed: anything that differs between devices (esp_random() on an ESP32), for the jitter.
  explicit Backoff(uint32_t seed = 1, const BackoffPolicy& policy = BackoffPolicy());

  // After an answer with this status: how long to wait, in ms (0: go on), counted from nowMs.
  uint32_t afterAnswer(int status, long retryAfterSeconds, uint32_t nowMs);
  // After a connection that failed, broke, or gave no answer in time.
  uint32_t afterConnectionLoss(uint32_t nowMs);
  // Things work again (a stream delivers): the next failure starts from the first wait.
  void reset();

  // Whether the wait is over, on a millisecond clock that may wrap (millis()).
  bool ready(uint32_t nowMs) const;
  uint32_t remainingMs(uint32_t nowMs) const;

  // Why the last wait, for the log; "" when there was none.
  const char* reason() const { return reason_; }
  // The last answers were 401s or redirects: the device's settings are wrong.
  bool wrongToken() const { return wrongTokens_ > 0; }
  unsigned failures() const { return failures_; }

 private:
  uint32_t exponential(uint32_t first, uint32_t max, unsigned step);
  uint32_t random();
  uint32_t wait(uint32_t ms, uint32_t nowMs, const char* why);

  BackoffPolicy policy_;
  uint32_t state_;
  unsigned failures_;
  unsigned wrongTokens_;
  uint32_t resumeAt_;
  bool waiting_;
  const char* reason_;
};

}  // namespace doorcast
