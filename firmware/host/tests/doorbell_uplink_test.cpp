// DoorbellUplink, the loop the doorbell's link task runs, against the scripted server: what goes first,
// and what the server's watching notice changes.
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "check.h"
#include "doorcast/doorbell_uplink.h"
#include "doorcast/link.h"
#include "doorcast/protocol.h"
#include "doorcast/uplink.h"
#include "doorcast/websocket.h"
#include "fake_server.h"
#include "posix_transport.h"

using namespace doorcast;
using doorcast_host::HostPlatform;
using doorcast_host::nowMs;
using doorcast_host::PosixTransport;
using doorcast_test::FakeServer;
using doorcast_test::Peer;

namespace {

struct TestSources : UplinkSources {
  std::string jpeg = std::string("\xff\xd8", 2) + std::string(9000, 'j') + std::string("\xff\xd9", 2);
  std::deque<uint64_t> audio;
  std::string pcm = std::string(kChunkBytes, 'p');
  int grabbed = 0, released = 0;
  bool grabFrame(const uint8_t*& data, size_t& length, uint64_t& timestampMs) override {
    grabbed++;
    data = reinterpret_cast<const uint8_t*>(jpeg.data());
    length = jpeg.size();
    timestampMs = 0;
    return true;
  }
  void releaseFrame() override { released++; }
  size_t audioWaiting() override { return audio.size(); }
  const uint8_t* takeAudio(uint64_t& sequence, uint64_t& timestampMs) override {
    if (audio.empty()) return nullptr;
    sequence = audio.front();
    audio.pop_front();
    timestampMs = 0;
    return reinterpret_cast<const uint8_t*>(pcm.data());
  }
};

// The types of the messages the server got, in order, as a string: "r" ring, "f" frame, "a" audio.
struct Recorder {
  std::string types;
  std::mutex lock;
  FakeServer::Handler handler(const std::string& notice) {
    return [this, notice](int fd) {
      FakeServer::sendAll(fd, FakeServer::switching(FakeServer::readHead(fd)) + FakeServer::frame(kOpText, notice));
      Peer peer(fd);
      Peer::Received one;
      while (peer.read(one) && one.opcode != kOpClose) {
        if (one.opcode != kOpBinary || one.payload.empty()) continue;
        std::lock_guard<std::mutex> guard(lock);
        types += one.payload[0] == kMessageRing ? 'r' : one.payload[0] == kMessageFrame ? 'f' : 'a';
      }
      FakeServer::sendAll(fd, FakeServer::frame(kOpClose, one.payload));
    };
  }
  std::string seen() {
    std::lock_guard<std::mutex> guard(lock);
    return types;
  }
};

struct Doorbell {
  explicit Doorbell(uint16_t port) : buffer(4096) {
    parseUrl(("http://127.0.0.1:" + std::to_string(port)).c_str(), url);
    UplinkPolicy policy;
    policy.fullIntervalMs = 100;
    planner.reset(new UplinkPlanner(policy));
    link.reset(new LinkClient(transport, url, "s3cret", platform, listener, buffer.data(), buffer.size()));
    uplink.reset(new DoorbellUplink(*link, *planner, sources, platform, true));
  }
  void run(uint32_t ms) {
    uint32_t started = nowMs();
    while (nowMs() - started < ms) uplink->step();
  }
  Url url;
  PosixTransport transport;
  HostPlatform platform;
  LinkListener listener;
  TestSources sources;
  std::vector<uint8_t> buffer;
  std::unique_ptr<UplinkPlanner> planner;
  std::unique_ptr<LinkClient> link;
  std::unique_ptr<DoorbellUplink> uplink;
};

}  // namespace

TEST(aRingGoesBeforeWaitingAudioAndAFreshFrameAfterIt) {
  Recorder recorder;
  FakeServer server(recorder.handler("{\"type\":\"watching\",\"camera\":false,\"audio\":true}"));
  Doorbell doorbell(server.port());
  CHECK(doorbell.link->open() == LinkOutcome::kOpen);
  doorbell.uplink->linkOpened();
  doorbell.run(50);  // the link's first frame
  doorbell.sources.audio = {0, 1, 2};
  doorbell.uplink->press(1764111111000ULL);
  doorbell.run(50);
  doorbell.link->close();
  // The first frame; then the ring, the three waiting chunks, and a fresh frame though nobody watches.
  CHECK_EQ(recorder.seen(), std::string("fraaaf"));
  CHECK_EQ(doorbell.uplink->ringsSent(), 1u);
  CHECK_EQ(doorbell.sources.grabbed, doorbell.sources.released);
}

TEST(nobodyWatchingMeansOneFrameInTwoSecondsAndARingBringsTheFullRate) {
  Recorder recorder;
  FakeServer server(recorder.handler("{\"type\":\"watching\",\"camera\":false,\"audio\":false}"));
  Doorbell doorbell(server.port());
  CHECK(doorbell.link->open() == LinkOutcome::kOpen);
  doorbell.uplink->linkOpened();
  doorbell.run(1000);
  CHECK_EQ(doorbell.uplink->framesSent(), 1u);
  doorbell.uplink->press(0);
  doorbell.run(1000);  // 5 s at the full rate start: about 10 frames in this second
  uint32_t afterRing = doorbell.uplink->framesSent() - 1;
  doorbell.link->close();
  CHECK(afterRing >= 8 && afterRing <= 12);
  CHECK_EQ(recorder.seen().substr(0, 3), std::string("frf"));
}

TEST(aViewerArrivingBringsAFreshFrameAtOnce) {
  std::atomic<bool> viewerCame{false};
  std::atomic<int> frames{0};
  FakeServer server([&](int fd) {
    FakeServer::sendAll(fd, FakeServer::switching(FakeServer::readHead(fd)) +
                                FakeServer::frame(kOpText, "{\"type\":\"watching\",\"camera\":false,\"audio\":false}"));
    Peer peer(fd);
    Peer::Received one;
    while (peer.read(one) && one.opcode != kOpClose) {
      if (one.opcode == kOpBinary) frames++;
      if (frames == 1 && !viewerCame) {
        viewerCame = true;
        FakeServer::sendAll(fd, FakeServer::frame(kOpText, "{\"type\":\"watching\",\"camera\":true,\"audio\":false}"));
      }
    }
    FakeServer::sendAll(fd, FakeServer::frame(kOpClose, one.payload));
  });
  Doorbell doorbell(server.port());
  CHECK(doorbell.link->open() == LinkOutcome::kOpen);
  doorbell.uplink->linkOpened();
  doorbell.run(500);  // idle would be one frame in 2 s; watched, 10 fps
  doorbell.link->close();
  CHECK(doorbell.link->watchingCamera());
  CHECK(frames >= 4);
}

TEST(pressesHandedToThePostsAreNotRungAgainOnTheNextLink) {
  Recorder recorder;
  FakeServer server(recorder.handler("{\"type\":\"watching\",\"camera\":false,\"audio\":false}"));
  Doorbell doorbell(server.port());
  // Pressed while the server had no link: the doorbell posted these rings, and forgets them here.
  doorbell.uplink->press(1764111111000ULL);
  doorbell.uplink->press(1764111112000ULL);
  CHECK_EQ(doorbell.uplink->pressesWaiting(), 2u);
  doorbell.uplink->forgetPresses();
  CHECK_EQ(doorbell.uplink->pressesWaiting(), 0u);
  // The link comes back (LinkRetry's try), and a ring goes first when one waits: none does.
  CHECK(doorbell.link->open() == LinkOutcome::kOpen);
  doorbell.uplink->linkOpened();
  doorbell.run(300);
  doorbell.link->close();
  CHECK_EQ(doorbell.uplink->ringsSent(), 0u);
  CHECK(recorder.seen().find('r') == std::string::npos);
}

int main() { return doorcast_test::runAll(); }
