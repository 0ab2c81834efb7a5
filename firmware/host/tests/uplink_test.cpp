// The UplinkPlanner: what the doorbell sends next over its one link. Its rules one by one, then the whole
// doorbell simulated over an uplink of a given rate with a socket send buffer as lwIP has (writes block
// while it is full): audio stays real time and frames are dropped, newest first, when the uplink is slower
// than the camera.
#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "check.h"
#include "doorcast/protocol.h"
#include "doorcast/uplink.h"
#include "doorcast/websocket.h"

using doorcast::UplinkPlanner;
using doorcast::UplinkPolicy;

namespace {

UplinkPolicy tenFps() {
  UplinkPolicy policy;
  policy.fullIntervalMs = 100;
  return policy;
}

}  // namespace

TEST(framesComeAtTheFullRateWhileSomeoneWatches) {
  UplinkPlanner planner(tenFps());
  CHECK(planner.frameNow(1000, 0));  // the first at once
  planner.frameSent(1000, 1002, 9000);
  CHECK(!planner.frameNow(1050, 0));
  CHECK(planner.frameNow(1100, 0));
  planner.frameSent(1100, 1101, 9000);
  CHECK_EQ(planner.intervalMs(1150), 100u);
}

TEST(nobodyWatchingMeansAFrameEveryTwoSecondsAndNoAudio) {
  UplinkPlanner planner(tenFps());
  planner.setWatching(false, false);
  CHECK(!planner.sendAudio());
  CHECK(planner.frameNow(0, 0));
  planner.frameSent(0, 1, 9000);
  CHECK(!planner.frameNow(1999, 0));
  CHECK(planner.frameNow(2000, 0));
  planner.frameSent(2000, 2001, 9000);
  // The first viewer gets a fresh picture at once, then the full rate.
  planner.setWatching(true, false);
  CHECK(planner.frameNow(2300, 0));
  planner.frameSent(2300, 2301, 9000);
  CHECK(planner.frameNow(2400, 0));
  CHECK(!planner.sendAudio());
  planner.setWatching(true, true);
  CHECK(planner.sendAudio());
}

TEST(aRingGoesFirstThenAFreshFrameThenTheFullRateForAWhile) {
  UplinkPlanner planner(tenFps());
  planner.setWatching(false, false);
  CHECK(planner.frameNow(0, 0));
  planner.frameSent(0, 1, 9000);
  planner.ringPressed(500);
  CHECK(planner.ringDue());
  CHECK(!planner.frameNow(500, 0));  // the ring before anything
  planner.ringSent();
  CHECK(!planner.ringDue());
  CHECK(planner.frameNow(501, 0));  // a fresh frame right after it, though the idle interval has not passed
  planner.frameSent(501, 502, 9000);
  CHECK(planner.frameNow(601, 0));  // then the full rate
  planner.frameSent(601, 602, 9000);
  CHECK_EQ(planner.intervalMs(5400), 100u);
  CHECK_EQ(planner.intervalMs(5501), 2000u);  // 5 s after the press, back to idle
}

TEST(waitingAudioHoldsTheFrameAndAHeldFrameIsDroppedNotQueued) {
  UplinkPlanner planner(tenFps());
  CHECK(planner.frameNow(0, 0));
  planner.frameSent(0, 1, 9000);
  CHECK(!planner.frameNow(100, 1));
  CHECK(!planner.frameNow(110, 2));
  CHECK_EQ(planner.framesHeld(), 1u);  // one frame the camera would have sent, counted once
  CHECK(planner.frameNow(120, 0));
}

TEST(aFrameWhoseWriteBlockedSpacesTheNextToLeaveRoomForAudio) {
  UplinkPlanner planner(tenFps());
  CHECK(planner.frameNow(0, 0));
  planner.frameSent(0, 180, 9000);  // 50 KB/s: 400 kbit/s
  CHECK_EQ(planner.measuredBytesPerSecond(), 50000u);
  // 90 % of 50 KB/s less 32.5 KB/s of audio leaves 12.5 KB/s: a 9 KB frame every 720 ms.
  CHECK(!planner.frameNow(719, 0));
  CHECK(planner.frameNow(720, 0));
  planner.frameSent(720, 725, 9000);  // that one went at once: the uplink has room again
  CHECK(planner.frameNow(820, 0));
}

namespace {

// The doorbell over an uplink of bytesPerMs with a send buffer of sendBuffer bytes, for seconds: the mic
// makes a chunk every 64 ms into a queue of 8 (the oldest dropped when full); the camera could give a
// frameBytes frame every 100 ms; one sender writes what the planner says, blocking while the buffer is full.
struct Simulated {
  size_t audioMade = 0, audioDropped = 0, audioDelivered = 0;
  std::vector<uint32_t> audioLatencyMs;
  size_t framesDelivered = 0;
  bool inOrder = true;
};

Simulated simulate(double bytesPerMs, size_t frameBytes, int seconds, bool watched = true) {
  const size_t sendBuffer = 5744;  // lwIP's TCP_SND_BUF in the Arduino-ESP32 core
  const size_t audioBytes = doorcast::kChunkBytes + doorcast::kMessageHeaderBytes + 8;
  UplinkPlanner planner(tenFps());
  planner.setWatching(watched, watched);
  Simulated out;
  struct Piece {
    bool audio;
    uint32_t madeAt;
    uint64_t number;
    double left;  // bytes of it still in the send buffer or to be written
  };
  std::deque<Piece> buffer;  // what the writer handed over and the uplink has not sent, in order
  double buffered = 0;
  std::deque<std::pair<uint32_t, uint64_t>> audioQueue;
  uint64_t nextChunk = 0, lastDelivered = 0;
  bool deliveredAny = false;
  // The write under way: its bytes not yet in the buffer, and when it started.
  double writing = 0;
  bool writingFrame = false;
  uint32_t writeStarted = 0;
  size_t writeBytes = 0;
  double credit = 0;
  for (uint32_t now = 0; now < static_cast<uint32_t>(seconds) * 1000; now++) {
    if (now % 64 == 0 && planner.sendAudio()) {
      out.audioMade++;
      if (audioQueue.size() == 8) {
        audioQueue.pop_front();
        out.audioDropped++;
      }
      audioQueue.push_back({now, nextChunk++});
    }
    // The uplink sends what it can this millisecond.
    credit += bytesPerMs;
    while (credit > 0 && !buffer.empty()) {
      Piece& front = buffer.front();
      double n = std::min(credit, front.left);
      front.left -= n;
      buffered -= n;
      credit -= n;
      if (front.left > 0) break;
      if (front.audio) {
        out.audioDelivered++;
        out.audioLatencyMs.push_back(now - front.madeAt);
        if (deliveredAny && front.number <= lastDelivered) out.inOrder = false;
        lastDelivered = front.number;
        deliveredAny = true;
      } else {
        out.framesDelivered++;
      }
      buffer.pop_front();
    }
    if (buffer.empty()) credit = 0;
    // The writer puts what fits into the buffer; the last piece in the deque is the one being written.
    if (writing > 0) {
      double n = std::min(writing, static_cast<double>(sendBuffer) - buffered);
      if (n > 0) {
        writing -= n;
        buffered += n;
      }
      if (writing <= 0) {
        writing = 0;
        if (writingFrame) planner.frameSent(writeStarted, now, writeBytes);
      }
      continue;
    }
    // Idle: the planner says what goes next. A frame only when no audio waits, unless frames starve.
    if (planner.frameNow(now, audioQueue.size())) {
      buffer.push_back({false, now, 0, static_cast<double>(frameBytes)});
      writing = static_cast<double>(frameBytes);
      writingFrame = true;
      writeStarted = now;
      writeBytes = frameBytes;
    } else if (!audioQueue.empty()) {
      buffer.push_back({true, audioQueue.front().first, audioQueue.front().second, static_cast<double>(audioBytes)});
      audioQueue.pop_front();
      writing = static_cast<double>(audioBytes);
      writingFrame = false;
    }
  }
  return out;
}

uint32_t percentile(std::vector<uint32_t> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * static_cast<double>(values.size() - 1))];
}

void report(const char* what, const Simulated& s, int seconds) {
  std::cout << "    " << what << ": audio " << s.audioDelivered << " of " << s.audioMade << " chunks delivered ("
            << s.audioDropped << " dropped), latency p50 " << percentile(s.audioLatencyMs, 0.5) << " ms, p95 "
            << percentile(s.audioLatencyMs, 0.95) << " ms; frames " << s.framesDelivered << " in " << seconds
            << " s" << std::endl;
}

}  // namespace

TEST(atFourHundredKbitAudioStaysRealTimeAndFramesDrop) {
  // 400 kbit/s is 50 bytes a millisecond; audio alone needs 256 kbit/s.
  Simulated s = simulate(50, 9000, 60);
  report("400 kbit/s, 9 KB frames asked at 10 fps", s, 60);
  CHECK_EQ(s.audioDropped, size_t(0));
  CHECK(s.audioDelivered * 100 >= s.audioMade * 97);  // all but the last few still in flight
  CHECK(s.inOrder);
  CHECK(percentile(s.audioLatencyMs, 0.95) < 400);
  CHECK(s.framesDelivered >= 40);   // frames still go, under one a second
  CHECK(s.framesDelivered <= 150);  // far fewer than the 600 asked: they are what gives
}

TEST(onAFastUplinkEverythingGoes) {
  Simulated s = simulate(250, 9000, 20);  // 2 Mbit/s
  report("2 Mbit/s", s, 20);
  CHECK_EQ(s.audioDropped, size_t(0));
  CHECK(s.framesDelivered >= 190);  // 10 fps
  CHECK(percentile(s.audioLatencyMs, 0.95) < 150);
}

TEST(onAnUplinkTooSlowForAudioAloneFramesStillGoNowAndThen) {
  Simulated s = simulate(25, 9000, 30);  // 200 kbit/s
  report("200 kbit/s", s, 30);
  CHECK(s.framesDelivered >= 10);  // one every two or three seconds
  CHECK(s.audioDelivered * 100 >= s.audioMade * 60);  // what the uplink can carry
  CHECK(s.inOrder);
}

TEST(nobodyWatchingSendsAFrameEveryTwoSecondsAndNoAudio) {
  Simulated s = simulate(50, 9000, 20, false);
  CHECK_EQ(s.audioMade, size_t(0));
  CHECK(s.framesDelivered >= 9 && s.framesDelivered <= 11);
}

int main() { return doorcast_test::runAll(); }
