// The doorbell's side of the link, one turn at a time: the next message the UplinkPlanner allows (a ring,
// a frame, a chunk of audio), then what the server sent. The ESP32's link task and the host's live test
// run this same loop; only the sources differ (the camera and the microphone's queue, or test media).
#pragma once

#include <cstddef>
#include <cstdint>

#include "doorcast/link.h"
#include "doorcast/protocol.h"
#include "doorcast/uplink.h"

namespace doorcast {

// Where frames and audio come from.
class UplinkSources {
 public:
  virtual ~UplinkSources() {}
  // The newest picture, held until releaseFrame(); false if there is none. timestampMs: epoch ms or 0.
  virtual bool grabFrame(const uint8_t*& jpeg, size_t& length, uint64_t& timestampMs) = 0;
  virtual void releaseFrame() = 0;
  // Chunks of audio recorded and not yet sent.
  virtual size_t audioWaiting() = 0;
  // The oldest of them (kChunkBytes of PCM, valid until the next call), or nullptr.
  virtual const uint8_t* takeAudio(uint64_t& sequence, uint64_t& timestampMs) = 0;
};

class DoorbellUplink {
 public:
  // camera: whether there is one to grab from. idleWaitMs: how long a turn with nothing to send waits for
  // the server.
  DoorbellUplink(LinkClient& link, UplinkPlanner& planner, UplinkSources& sources, LinkPlatform& platform,
                 bool camera, uint32_t idleWaitMs = 5);

  // A press to ring for (at most 4 wait; a fifth while four wait is the same visitor).
  void press(uint64_t timestampMs);
  size_t pressesWaiting() const { return pressesWaiting_; }
  uint64_t pressWaiting(size_t i) const { return pressedAt_[i]; }
  // The presses waiting were handed on (to the posts, on a server without the link): forget them.
  void forgetPresses() { pressesWaiting_ = 0; }

  // A new link is open: the planner starts afresh with it.
  void linkOpened();
  // One turn on the open link. False once the link is lost (the caller's maintain() opens the next).
  bool step();

  uint32_t framesSent() const { return framesSent_; }
  uint32_t audioSent() const { return audioSent_; }
  uint32_t ringsSent() const { return ringsSent_; }

 private:
  LinkClient& link_;
  UplinkPlanner& planner_;
  UplinkSources& sources_;
  LinkPlatform& platform_;
  bool camera_;
  uint32_t idleWaitMs_;
  uint64_t pressedAt_[4];
  size_t pressesWaiting_;
  uint64_t pressCounter_;
  uint64_t frameId_;
  uint32_t framesSent_;
  uint32_t audioSent_;
  uint32_t ringsSent_;
};

}  // namespace doorcast
