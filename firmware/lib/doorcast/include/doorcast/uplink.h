// What the doorbell sends next over its one link, decided here so it is tested on the host:
//
// - A ring goes at once, before anything else.
// - Audio goes next, every chunk, while someone listens (watching.audio); nothing while nobody does.
// - A frame goes only when no audio waits, so audio never queues behind more than the one frame already
//   on its way. The camera runs with CAMERA_GRAB_LATEST: a frame not sent is a frame not grabbed, so when
//   the uplink is slower than the camera, frames are dropped and the newest wins.
// - Frames come at the full rate while someone views the camera (watching.camera), and one every
//   idleIntervalMs while nobody does: that keeps the snapshot fresh, the doorbell online, and gives a
//   ring's picture frames from before the press. After a ring: a fresh frame at once, then the full rate
//   for ringBoostMs, so the ring's clip has frames.
// - On an uplink too slow even for audio, a frame held for idleIntervalMs goes anyway.
// - A frame whose write blocked long enough to measure the uplink (the socket's buffer was full) sets the
//   uplink's rate; frames then get what is left of it after audio, and are spaced to fit.
#pragma once

#include <cstddef>
#include <cstdint>

namespace doorcast {

struct UplinkPolicy {
  uint32_t fullIntervalMs;       // 1000 / FRAMES_PER_SECOND
  uint32_t idleIntervalMs;       // a frame this often while nobody views the camera
  uint32_t ringBoostMs;          // full rate this long after a ring
  uint32_t audioBytesPerSecond;  // what audio takes of the uplink, framing included
  uint32_t uplinkSharePercent;   // of the measured rate, what the planner counts on
  uint32_t measurableWriteMs;    // a write that blocked at least this long measures the uplink

  UplinkPolicy()
      : fullIntervalMs(200), idleIntervalMs(2000), ringBoostMs(5000), audioBytesPerSecond(32500),
        uplinkSharePercent(90), measurableWriteMs(20) {}
};

class UplinkPlanner {
 public:
  explicit UplinkPlanner(const UplinkPolicy& policy = UplinkPolicy());

  // From the server's watching notice (both true until it says).
  void setWatching(bool camera, bool audio);
  bool watchingCamera() const { return camera_; }
  // Whether the microphone's chunks go up at all.
  bool sendAudio() const { return audio_; }

  // A press: its ring goes first (ringDue() until ringSent()), then a fresh frame, then the full rate.
  void ringPressed(uint32_t nowMs);
  bool ringDue() const { return ringsWaiting_ > 0; }
  void ringSent();

  // Whether to grab and send a frame now. audioWaiting: chunks queued for the link.
  bool frameNow(uint32_t nowMs, size_t audioWaiting);
  // A frame of bytes went out, its write taking from startedMs to finishedMs.
  void frameSent(uint32_t startedMs, uint32_t finishedMs, size_t bytes);
  // The interval frames are due at right now.
  uint32_t intervalMs(uint32_t nowMs) const;
  // The uplink's measured rate, bytes a second; 0 while no write has blocked long enough to tell.
  uint32_t measuredBytesPerSecond() const { return rate_; }
  // Frames that were due but not sent because audio was waiting or the uplink was full.
  uint32_t framesHeld() const { return held_; }

  // The link opened again: forget the old link's measure.
  void linkOpened();

 private:
  UplinkPolicy policy_;
  bool camera_;
  bool audio_;
  unsigned ringsWaiting_;
  bool freshFrame_;
  bool boosting_;
  uint32_t boostUntil_;
  bool sentAny_;
  uint32_t lastFrameAt_;
  bool spaced_;
  uint32_t notBefore_;
  uint32_t rate_;
  uint32_t held_;
  bool wasDue_;
  uint32_t heldSince_;
};

}  // namespace doorcast
