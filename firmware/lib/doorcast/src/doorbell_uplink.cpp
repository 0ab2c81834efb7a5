#include "doorcast/doorbell_uplink.h"

#include "doorcast/websocket.h"

namespace doorcast {

DoorbellUplink::DoorbellUplink(LinkClient& link, UplinkPlanner& planner, UplinkSources& sources,
                               LinkPlatform& platform, bool camera, uint32_t idleWaitMs)
    : link_(link), planner_(planner), sources_(sources), platform_(platform), camera_(camera),
      idleWaitMs_(idleWaitMs), pressesWaiting_(0), pressCounter_(0), frameId_(0), framesSent_(0), audioSent_(0),
      ringsSent_(0) {}

void DoorbellUplink::press(uint64_t timestampMs) {
  if (pressesWaiting_ == 4) return;
  pressedAt_[pressesWaiting_++] = timestampMs;
  planner_.ringPressed(platform_.millis());
}

void DoorbellUplink::linkOpened() {
  planner_.linkOpened();
  planner_.setWatching(link_.watchingCamera(), link_.watchingAudio());
}

bool DoorbellUplink::step() {
  if (!link_.isOpen()) return false;
  planner_.setWatching(link_.watchingCamera(), link_.watchingAudio());
  bool sent = false;
  if (planner_.ringDue() && pressesWaiting_ > 0) {
    // The press counter is the ring's id: from 0 after each boot, as frame and audio numbers.
    if (link_.sendRing(pressCounter_, pressedAt_[0])) {
      pressCounter_++;
      ringsSent_++;
      planner_.ringSent();
      for (size_t i = 1; i < pressesWaiting_; i++) pressedAt_[i - 1] = pressedAt_[i];
      pressesWaiting_--;
    }
    sent = true;
  } else if (camera_ && planner_.frameNow(platform_.millis(), sources_.audioWaiting())) {
    const uint8_t* jpeg;
    size_t length;
    uint64_t timestamp;
    if (sources_.grabFrame(jpeg, length, timestamp)) {
      uint32_t started = platform_.millis();
      Span span = {jpeg, length};
      if (link_.send(kMessageFrame, frameId_++, timestamp, &span, 1)) {
        planner_.frameSent(started, platform_.millis(), length);
        framesSent_++;
      }
      sources_.releaseFrame();
    }
    sent = true;
  } else if (sources_.audioWaiting() > 0) {
    uint64_t sequence, timestamp;
    const uint8_t* pcm = sources_.takeAudio(sequence, timestamp);
    if (pcm != nullptr) {
      Span span = {pcm, kChunkBytes};
      if (link_.send(kMessageAudio, sequence, timestamp, &span, 1)) audioSent_++;
      sent = true;
    }
  }
  // What the server sent: notices, speaker audio, pings. A turn that sent nothing waits a little for it.
  return link_.poll(sent ? 0 : idleWaitMs_);
}

}  // namespace doorcast
