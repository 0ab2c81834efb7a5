// When a posting doorbell tries the link again.
//
// A server that answers the link's upgrade 404 has no link (one from before it), and the doorbell posts
// instead (device_link.h). The server may be updated meanwhile, so while it posts the doorbell tries the
// link again every few minutes: each wait is drawn between half and all of everyMs (2.5 to 5 minutes by
// default), so that doorbells that fell back together do not all try together. An upgrade that still gets
// 404, or fails for any other reason, keeps the doorbell posting until the next try; one that opens the
// link ends the posting.
#pragma once

#include <cstdint>

namespace doorcast {

struct LinkRetryPolicy {
  uint32_t everyMs;

  LinkRetryPolicy() : everyMs(300000) {}
};

class LinkRetry {
 public:
  // seed: anything that differs between devices (esp_random() on an ESP32), for the jitter.
  explicit LinkRetry(uint32_t seed = 1, const LinkRetryPolicy& policy = LinkRetryPolicy());

  // The upgrade was not answered with the link at nowMs (404 first; later, any failed try): post, and
  // try again after the next wait.
  void posting(uint32_t nowMs);
  // The link is open: no more posting, no more tries until the next posting().
  void linked();

  bool isPosting() const { return posting_; }
  // Whether it is time to try the link again, on a millisecond clock that may wrap (millis()); never
  // while not posting.
  bool due(uint32_t nowMs) const;
  uint32_t remainingMs(uint32_t nowMs) const;
  // How many tries since the posting began.
  uint32_t tries() const { return tries_; }

 private:
  uint32_t random();

  LinkRetryPolicy policy_;
  uint32_t state_;
  bool posting_;
  uint32_t tryAt_;
  uint32_t tries_;
};

}  // namespace doorcast
