#include "doorcast/uplink.h"

namespace doorcast {

namespace {

bool reached(uint32_t nowMs, uint32_t at) { return static_cast<int32_t>(nowMs - at) >= 0; }

}  // namespace

UplinkPlanner::UplinkPlanner(const UplinkPolicy& policy)
    : policy_(policy), camera_(true), audio_(true), ringsWaiting_(0), freshFrame_(false), boosting_(false),
      boostUntil_(0), sentAny_(false), lastFrameAt_(0), spaced_(false), notBefore_(0), rate_(0), held_(0),
      wasDue_(false), heldSince_(0) {}

void UplinkPlanner::setWatching(bool camera, bool audio) {
  if (camera && !camera_) freshFrame_ = true;  // the first viewer gets a picture of now at once
  camera_ = camera;
  audio_ = audio;
}

void UplinkPlanner::ringPressed(uint32_t nowMs) {
  ringsWaiting_++;
  freshFrame_ = true;
  boosting_ = true;
  boostUntil_ = nowMs + policy_.ringBoostMs;
}

void UplinkPlanner::ringSent() {
  if (ringsWaiting_ > 0) ringsWaiting_--;
}

void UplinkPlanner::linkOpened() {
  spaced_ = false;
  rate_ = 0;
  freshFrame_ = true;
}

uint32_t UplinkPlanner::intervalMs(uint32_t nowMs) const {
  bool boosted = boosting_ && !reached(nowMs, boostUntil_);
  return camera_ || boosted ? policy_.fullIntervalMs : policy_.idleIntervalMs;
}

bool UplinkPlanner::frameNow(uint32_t nowMs, size_t audioWaiting) {
  if (boosting_ && reached(nowMs, boostUntil_)) boosting_ = false;
  bool due = freshFrame_ || !sentAny_ || reached(nowMs, lastFrameAt_ + intervalMs(nowMs));
  if (!due) {
    wasDue_ = false;
    return false;
  }
  bool room = ringsWaiting_ == 0 && audioWaiting == 0 && (!spaced_ || reached(nowMs, notBefore_));
  // An uplink too slow even for audio alone still gets a picture every idle interval, for the snapshot.
  bool starved = ringsWaiting_ == 0 && wasDue_ && reached(nowMs, heldSince_ + policy_.idleIntervalMs);
  if (!room && !starved) {
    // Counted once per frame the camera would have sent: held frames are dropped, not queued.
    if (!wasDue_) {
      held_++;
      heldSince_ = nowMs;
    }
    wasDue_ = true;
    return false;
  }
  wasDue_ = false;
  return true;
}

void UplinkPlanner::frameSent(uint32_t startedMs, uint32_t finishedMs, size_t bytes) {
  uint32_t tookMs = finishedMs - startedMs;
  // The next one is due an interval after this one started, not after it finished: a slow write does
  // not slow the camera below what the uplink allows.
  lastFrameAt_ = startedMs;
  sentAny_ = true;
  freshFrame_ = false;
  if (tookMs < policy_.measurableWriteMs) {
    // The socket took it at once: the uplink keeps up, as far as this frame can tell.
    spaced_ = false;
    return;
  }
  uint64_t rate = static_cast<uint64_t>(bytes) * 1000 / tookMs;
  rate_ = rate > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<uint32_t>(rate);
  uint64_t usable = rate * policy_.uplinkSharePercent / 100;
  uint64_t audio = audio_ ? policy_.audioBytesPerSecond : 0;
  // What is left for frames after audio; at least a tenth of the uplink, so a picture still goes now and then.
  uint64_t forFrames = usable > audio + rate / 10 ? usable - audio : rate / 10;
  if (forFrames == 0) forFrames = 1;
  uint64_t spacing = static_cast<uint64_t>(bytes) * 1000 / forFrames;
  if (spacing > 60000) spacing = 60000;
  spaced_ = true;
  notBefore_ = startedMs + static_cast<uint32_t>(spacing);
}

}  // namespace doorcast
