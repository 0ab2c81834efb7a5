// The portable code against a real doorcast: DOORCAST_URL (plain http://) and DOORCAST_TOKEN, the device
// token. Frames and audio go up the way the doorbell sends them and come back down the streams the way a
// display and a speaker read them; what comes back must be what went up, byte for byte.
//
// Skipped (exit 77) without DOORCAST_URL. The byte-for-byte checks need a server no other doorbell sends to;
// on one with the simulated doorbell on they are skipped, saying so (quiet_server.h).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "check.h"
#include "doorcast/audio_reader.h"
#include "doorcast/backoff.h"
#include "doorcast/device_link.h"
#include "doorcast/frame_form.h"
#include "doorcast/http.h"
#include "doorcast/mjpeg_reader.h"
#include "doorcast/pcm.h"
#include "doorcast/protocol.h"
#include "doorcast/ring.h"
#include "doorcast/url.h"
#include "posix_transport.h"
#include "quiet_server.h"

using namespace doorcast;
using doorcast_host::nowMs;
using doorcast_host::PosixTransport;
using doorcast_test::Bytes;
using doorcast_test::testdata;

namespace {

Url server;
std::string token;
std::string busy;  // why the server is not quiet, or ""

// Frame ids and audio sequences above any this server has seen, so that none is taken for a repeat.
uint64_t freshNumber() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

// Posts a frame as the doorbell does; on 429 waits as the backoff says and tries again.
Answer postFrame(DeviceLink& link, Backoff& backoff, const Bytes& jpeg, uint64_t frameId) {
  FrameForm form;
  CHECK(form.begin("host-test", frameId, freshNumber(), jpeg.size()));
  Span spans[] = {{form.head(), form.headLength()}, {jpeg.data(), jpeg.size()}, {form.tail(), form.tailLength()}};
  for (int attempt = 0;; attempt++) {
    Answer answer = link.post(kFramePath, form.contentType(), spans, 3);
    uint32_t wait = answer.status == 0 ? backoff.afterConnectionLoss(nowMs())
                                       : backoff.afterAnswer(answer.status, answer.retryAfterSeconds, nowMs());
    if (answer.status != 429 || attempt == 3) return answer;
    std::this_thread::sleep_for(std::chrono::milliseconds(wait));
  }
}

// Opens a stream with a GET over transport.
bool openStream(PosixTransport& transport, const char* pathAndQuery) {
  char head[512];
  size_t n = formatGetHead(head, sizeof head, server, pathAndQuery, nullptr);
  return transport.connect(server.host, server.port) &&
         transport.write(reinterpret_cast<const uint8_t*>(head), n);
}

struct Frame {
  Bytes jpeg;
  uint64_t sequence;
  bool repeat;
};

// Reads the camera stream until the next frame, for at most timeoutMs.
class CameraViewer {
 public:
  CameraViewer() : buffer_(256 * 1024), reader_(buffer_.data(), buffer_.size()) {}

  bool open(const char* pathAndQuery) { return openStream(transport_, pathAndQuery); }

  bool next(Frame& frame, uint32_t timeoutMs) {
    uint32_t started = nowMs();
    for (;;) {
      while (pending_ < filled_) {
        size_t used = reader_.feed(chunk_ + pending_, filled_ - pending_);
        pending_ += used;
        if (reader_.failed()) {
          std::cout << "    camera stream failed: " << reader_.error() << std::endl;
          return false;
        }
        if (reader_.frameReady()) {
          frame.jpeg.assign(reader_.frame(), reader_.frame() + reader_.frameLength());
          frame.sequence = reader_.sequence();
          frame.repeat = reader_.repeat();
          return true;
        }
      }
      uint32_t spent = nowMs() - started;
      if (spent >= timeoutMs) return false;
      long n = transport_.read(chunk_, sizeof chunk_, timeoutMs - spent);
      if (n <= 0) return false;
      filled_ = static_cast<size_t>(n);
      pending_ = 0;
    }
  }

  const MjpegReader& reader() const { return reader_; }

 private:
  PosixTransport transport_;
  std::vector<uint8_t> buffer_;
  MjpegReader reader_;
  uint8_t chunk_[1460];
  size_t filled_ = 0;
  size_t pending_ = 0;
};

struct Collect : PcmSink {
  Bytes pcm;
  void onPcm(const uint8_t* data, size_t bytes) override { pcm.insert(pcm.end(), data, data + bytes); }
};

// Reads the audio stream into sink until it holds at least `bytes`, for at most timeoutMs.
bool listenUntil(PosixTransport& transport, AudioStreamReader& reader, const Collect& sink, size_t bytes,
                 uint32_t timeoutMs) {
  uint32_t started = nowMs();
  uint8_t chunk[1460];
  while (sink.pcm.size() < bytes || !reader.streaming()) {
    uint32_t spent = nowMs() - started;
    if (spent >= timeoutMs) return false;
    long n = transport.read(chunk, sizeof chunk, timeoutMs - spent);
    if (n <= 0) return false;
    reader.feed(chunk, static_cast<size_t>(n));
    if (reader.failed()) {
      std::cout << "    audio stream failed: " << reader.error() << std::endl;
      return false;
    }
  }
  return true;
}

}  // namespace

TEST(framesPostedAsTheDoorbellDoesComeBackByteForByte) {
  if (!busy.empty()) return doorcast_test::skipTest(busy);
  PosixTransport posting;
  DeviceLink link(posting, server, token.c_str());
  Backoff backoff(1);
  std::vector<Bytes> jpegs = {testdata("frame-1.jpg"), testdata("frame-2.jpg"), testdata("frame-3.jpg")};
  uint64_t frameId = freshNumber();

  // The newest frame comes at once to a new viewer.
  Answer first = postFrame(link, backoff, jpegs[0], frameId++);
  CHECK_EQ(first.status, 200);
  CHECK_EQ(first.stored, 1);
  CameraViewer viewer;
  CHECK(viewer.open(kCameraStreamPath));
  Frame frame;
  CHECK(viewer.next(frame, 5000));
  CHECK_EQ(frame.jpeg, jpegs[0]);

  // Then each new one, in order.
  uint64_t lastSequence = frame.sequence;
  for (size_t i = 1; i < jpegs.size(); i++) {
    Answer answer = postFrame(link, backoff, jpegs[i], frameId++);
    CHECK_EQ(answer.status, 200);
    CHECK(link.open());  // one kept-alive connection for all the posts
    bool got = false;
    while ((got = viewer.next(frame, 5000)) && frame.repeat) {
    }
    CHECK(got);
    CHECK_EQ(frame.jpeg, jpegs[i]);
    CHECK(frame.sequence > lastSequence);
    lastSequence = frame.sequence;
  }

  // With nothing new for a second the server sends the same frame again, which reads as a repeat.
  CHECK(viewer.next(frame, 3000));
  CHECK(frame.repeat);
  CHECK_EQ(frame.sequence, lastSequence);
  CHECK_EQ(frame.jpeg, jpegs.back());
  CHECK_EQ(viewer.reader().oversized(), 0u);
}

TEST(aViewerAskingForFewerFramesGetsFewer) {
  if (!busy.empty()) return doorcast_test::skipTest(busy);
  PosixTransport posting;
  DeviceLink link(posting, server, token.c_str());
  Backoff backoff(2);
  Bytes jpeg = testdata("frame-1.jpg");
  uint64_t frameId = freshNumber();
  CHECK_EQ(postFrame(link, backoff, jpeg, frameId++).status, 200);
  CameraViewer viewer;
  CHECK(viewer.open("/api/v1/stream/camera?fps=2"));
  Frame frame;
  CHECK(viewer.next(frame, 5000));
  // 20 new frames over a second, posted beside the viewer; at 2 fps it gets two or three of them.
  int posted = 0;
  std::thread doorbell([&] {
    for (int i = 0; i < 20; i++) {
      posted += postFrame(link, backoff, jpeg, frameId++).status == 200 ? 1 : 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  uint32_t started = nowMs();
  int fresh = 0;
  while (nowMs() - started < 1300 && viewer.next(frame, 1300 - (nowMs() - started))) {
    if (!frame.repeat) fresh++;
  }
  doorbell.join();
  CHECK_EQ(posted, 20);
  CHECK(fresh >= 1 && fresh <= 4);
  std::cout << "    20 frames posted, " << fresh << " shown at ?fps=2" << std::endl;
}

TEST(audioChunksPostedAsTheDoorbellDoesComeBackByteForByte) {
  if (!busy.empty()) return doorcast_test::skipTest(busy);
  PosixTransport listening;
  Collect sink;
  AudioStreamReader reader(sink);
  CHECK(openStream(listening, kAudioStreamPath));
  // The server's first keep-alive silence shows that this listener's writer is running: every chunk
  // posted from now on reaches it.
  CHECK(listenUntil(listening, reader, sink, 2, 5000));
  CHECK_EQ(reader.head().sampleRate, 16000L);
  size_t silence = sink.pcm.size();

  // A 440 Hz tone as the INMP441 delivers it (24-bit samples in 32-bit slots), converted and chunked
  // as on the doorbell, then posted with X-Sequence.
  const size_t chunks = 8;
  std::vector<int32_t> slots(chunks * kChunkSamples);
  for (size_t i = 0; i < slots.size(); i++) {
    double tone = 0.25 * std::sin(2 * M_PI * 440 * static_cast<double>(i) / kSampleRate + 0.3);
    slots[i] = static_cast<int32_t>(tone * 0x7FFFFF) * 256;
  }
  std::vector<int16_t> samples(slots.size());
  MicConverter mic(0, false);
  mic.convert(slots.data(), slots.size(), samples.data());

  PosixTransport posting;
  DeviceLink link(posting, server, token.c_str());
  PcmChunker chunker(freshNumber());
  Bytes posted;
  for (size_t at = 0; at < samples.size();) {
    at += chunker.add(samples.data() + at, samples.size() - at);
    if (!chunker.ready()) continue;
    Span span = {chunker.chunk(), chunker.chunkBytes()};
    Answer answer = link.post(kAudioPath, "application/octet-stream", &span, 1, static_cast<int64_t>(chunker.sequence()));
    CHECK_EQ(answer.status, 200);
    CHECK_EQ(answer.stored, 1);
    CHECK(answer.clients >= 1);
    posted.insert(posted.end(), chunker.chunk(), chunker.chunk() + chunker.chunkBytes());
    chunker.next();
  }
  CHECK_EQ(posted.size(), chunks * kChunkBytes);
  CHECK(listenUntil(listening, reader, sink, silence + posted.size(), 5000));
  Bytes heard(sink.pcm.begin() + static_cast<long>(silence),
              sink.pcm.begin() + static_cast<long>(std::min(sink.pcm.size(), silence + posted.size())));
  CHECK_EQ(heard, posted);
  CHECK(std::all_of(sink.pcm.begin(), sink.pcm.begin() + static_cast<long>(silence), [](uint8_t b) { return b == 0; }));
}

TEST(aWrongTokenGets401AndTheBackoffWaitsLong) {
  PosixTransport posting;
  std::string wrong = "not-" + token;
  DeviceLink link(posting, server, wrong.c_str());
  Backoff backoff(3);
  Bytes jpeg = testdata("frame-1.jpg");
  FrameForm form;
  form.begin("host-test", freshNumber(), 0, jpeg.size());
  Span spans[] = {{form.head(), form.headLength()}, {jpeg.data(), jpeg.size()}, {form.tail(), form.tailLength()}};
  Answer answer = link.post(kFramePath, form.contentType(), spans, 3);
  CHECK_EQ(answer.status, 401);
  CHECK(std::string(answer.body).find("not valid") != std::string::npos);
  uint32_t now = nowMs();
  uint32_t wait = backoff.afterAnswer(answer.status, answer.retryAfterSeconds, now);
  CHECK(wait >= 60000);
  CHECK(!backoff.ready(now + 59000));
  CHECK(backoff.wrongToken());
  std::cout << "    backoff: wait " << wait << " ms: " << backoff.reason() << std::endl;
}

TEST(ringIsPostedWithTheDeviceToken) {
  PosixTransport posting;
  DeviceLink link(posting, server, token.c_str());
  Answer answer = postRing(link, freshNumber());
  // doorcast answers a ring with 2xx; 404 would be a URL that does not lead to it, 401 a wrong token.
  CHECK(ringOutcome(answer) == RingOutcome::kDelivered);
  std::cout << "    ring answered " << answer.status << std::endl;
}

int main() {
  const char* url = std::getenv("DOORCAST_URL");
  const char* deviceToken = std::getenv("DOORCAST_TOKEN");
  if (url == nullptr || url[0] == '\0') doorcast_test::skip("DOORCAST_URL is not set");
  if (deviceToken == nullptr || deviceToken[0] == '\0') doorcast_test::skip("DOORCAST_TOKEN is not set");
  if (!parseUrl(url, server)) {
    std::cout << "DOORCAST_URL is not an http:// or https:// URL: " << url << std::endl;
    return 1;
  }
  if (server.https) doorcast_test::skip("the host tests speak plain HTTP; give DOORCAST_URL as http://");
  token = deviceToken;
  // One clear line rather than a failure per test when there is nothing to test against.
  PosixTransport probe;
  if (!probe.connect(server.host, server.port)) {
    std::cout << "nothing listens at DOORCAST_URL (" << url << "): start doorcast there, or unset DOORCAST_URL"
              << std::endl;
    return 1;
  }
  probe.close();
  busy = doorcast_test::busyServer(server, "");
  return doorcast_test::runAll();
}
