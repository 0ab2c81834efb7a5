// The link against a real doorcast: DOORCAST_URL (plain http://) and DOORCAST_TOKEN, the device token, as
// for the live test; DOORCAST_VIEWER_TOKEN too if the server has a viewer token. The link is opened the
// way the doorbell opens it, and what goes up comes back where viewers read it: frames from the snapshot,
// audio from the audio stream byte for byte, a ring from the events stream; the server's watching notices
// follow a viewer; talk-back comes down as 0x11 messages. Frames, audio and the ring go once directly and
// once through a proxy that adds 100 and 200 ms of round trip.
//
// Skipped (exit 77) without DOORCAST_URL, and with "skipped: server has no link (404)" against a server
// that answers the upgrade 404 (one from before the link). Nothing listening at DOORCAST_URL fails with
// that one line. The checks of what comes back need a server no other doorbell sends to; on one with the
// simulated doorbell on they are skipped, saying so (quiet_server.h).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "check.h"
#include "delay_proxy.h"
#include "doorcast/audio_reader.h"
#include "doorcast/device_link.h"
#include "doorcast/doorbell_uplink.h"
#include "doorcast/mjpeg_reader.h"
#include "doorcast/uplink.h"
#include "doorcast/http.h"
#include "doorcast/link.h"
#include "doorcast/pcm.h"
#include "doorcast/protocol.h"
#include "doorcast/url.h"
#include "doorcast/websocket.h"
#include "posix_transport.h"
#include "quiet_server.h"

using namespace doorcast;
using doorcast_host::HostPlatform;
using doorcast_host::nowMs;
using doorcast_host::PosixTransport;
using doorcast_test::Bytes;
using doorcast_test::DelayProxy;
using doorcast_test::testdata;

namespace {

std::string serverUrl;
Url server;
std::string token;
std::string viewerToken;
std::string busy;  // why the server is not quiet, or ""

uint64_t freshNumber() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}


struct Heard : LinkListener {
  std::vector<std::pair<bool, bool>> watching;
  std::vector<std::string> refused;
  std::string speaker;
  std::vector<uint64_t> speakerSequences;
  void onWatching(bool camera, bool audio) override { watching.push_back({camera, audio}); }
  void onRefused(const Notice& notice) override {
    refused.push_back(std::string(notice.refusedKind) + " " + std::to_string(notice.status) + " " + notice.detail);
  }
  void onSpeakerAudio(uint64_t sequence, const uint8_t* pcm, size_t bytes) override {
    speakerSequences.push_back(sequence);
    speaker.append(reinterpret_cast<const char*>(pcm), bytes);
  }
};

// The doorbell's side: one link to `url` (the server, or a proxy in front of it).
struct Doorbell {
  explicit Doorbell(const std::string& url, const std::string& deviceToken = token)
      : buffer(64 * 1024), tokenText(deviceToken) {
    parseUrl(url.c_str(), where);
    LinkPolicy policy;
    policy.pingAfterMs = 500;  // a round trip measured within the test's few seconds
    link.reset(new LinkClient(transport, where, tokenText.c_str(), platform, heard, buffer.data(), buffer.size(), policy));
  }
  ~Doorbell() { link->close(); }

  // Keeps the link served (pongs, notices) for ms.
  void serve(uint32_t ms) {
    uint32_t started = nowMs();
    while (nowMs() - started < ms && link->isOpen()) link->poll(std::min<uint32_t>(10, ms - (nowMs() - started)));
  }
  template <typename Done>
  bool serveUntil(Done done, uint32_t timeoutMs) {
    uint32_t started = nowMs();
    while (!done()) {
      if (nowMs() - started > timeoutMs || !link->isOpen()) return false;
      link->poll(10);
    }
    return true;
  }

  Url where;
  PosixTransport transport;
  HostPlatform platform;
  Heard heard;
  std::vector<uint8_t> buffer;
  std::string tokenText;
  std::unique_ptr<LinkClient> link;
};

struct HttpAnswer {
  int status = 0;
  std::string head;
  std::string body;
};

// One request on a connection of its own, read to its end ("Connection: close").
HttpAnswer request(const std::string& method, const std::string& pathAndQuery, const std::string& bearer,
                   const std::string& extraHeaders = "", const std::string& body = "") {
  PosixTransport transport;
  HttpAnswer answer;
  if (!transport.connect(server.host, server.port)) return answer;
  std::string text = method + " " + std::string(server.basePath) + pathAndQuery + " HTTP/1.1\r\nHost: " +
                     server.host + "\r\nConnection: close\r\n" + extraHeaders;
  if (!bearer.empty()) text += "Authorization: Bearer " + bearer + "\r\n";
  if (method == "POST") text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  text += "\r\n" + body;
  transport.write(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  std::string all;
  uint8_t chunk[4096];
  long n;
  while ((n = transport.read(chunk, sizeof chunk, 5000)) > 0) all.append(reinterpret_cast<char*>(chunk), static_cast<size_t>(n));
  size_t end = all.find("\r\n\r\n");
  if (end == std::string::npos || all.compare(0, 5, "HTTP/") != 0) return answer;
  answer.head = all.substr(0, end);
  answer.body = all.substr(end + 4);
  answer.status = std::atoi(all.c_str() + all.find(' ') + 1);
  if (answer.head.find("Transfer-Encoding: chunked") != std::string::npos) {
    std::string plain;
    size_t at = 0;
    for (;;) {
      size_t line = answer.body.find("\r\n", at);
      if (line == std::string::npos) break;
      size_t size = std::strtoul(answer.body.c_str() + at, nullptr, 16);
      if (size == 0) break;
      plain += answer.body.substr(line + 2, size);
      at = line + 2 + size + 2;
    }
    answer.body = plain;
  }
  return answer;
}

// A stream held open: the request sent, its bytes read as they come.
struct Stream {
  explicit Stream(const std::string& pathAndQuery) {
    char head[512];
    size_t n = formatGetHead(head, sizeof head, server, pathAndQuery.c_str(), viewerToken.c_str());
    opened = transport.connect(server.host, server.port) && transport.write(reinterpret_cast<const uint8_t*>(head), n);
  }
  // Reads until text holds `needle` (after what was read before) or timeoutMs passed.
  bool readUntil(const std::string& needle, uint32_t timeoutMs) {
    uint32_t started = nowMs();
    size_t from = text.size();
    while (text.find(needle, from >= needle.size() ? from - needle.size() + 1 : 0) == std::string::npos) {
      uint32_t spent = nowMs() - started;
      if (spent >= timeoutMs) return false;
      uint8_t chunk[4096];
      long n = transport.read(chunk, sizeof chunk, timeoutMs - spent);
      if (n <= 0) return false;
      text.append(reinterpret_cast<char*>(chunk), static_cast<size_t>(n));
    }
    return true;
  }
  PosixTransport transport;
  bool opened = false;
  std::string text;
};

struct Collect : PcmSink {
  Bytes pcm;
  void onPcm(const uint8_t* data, size_t bytes) override { pcm.insert(pcm.end(), data, data + bytes); }
};

// A 440 Hz tone in link-sized chunks.
std::vector<Bytes> toneChunks(size_t count) {
  std::vector<Bytes> chunks;
  for (size_t c = 0; c < count; c++) {
    Bytes chunk(kChunkBytes);
    for (size_t i = 0; i < kChunkSamples; i++) {
      double t = static_cast<double>(c * kChunkSamples + i) / kSampleRate;
      int16_t sample = static_cast<int16_t>(8000 * std::sin(2 * M_PI * 440 * t + 0.3));
      chunk[2 * i] = static_cast<uint8_t>(sample & 0xFF);
      chunk[2 * i + 1] = static_cast<uint8_t>((sample >> 8) & 0xFF);
    }
    chunks.push_back(chunk);
  }
  return chunks;
}

// Frames, audio and a ring over a link to url; each must come out where viewers read it.
void framesAudioAndRingArrive(const std::string& url, const char* label) {
  Doorbell doorbell(url);
  uint32_t openStarted = nowMs();
  if (!CHECK(doorbell.link->open() == LinkOutcome::kOpen)) {
    std::cout << "    " << label << ": the link did not open: " << doorbell.link->lastError() << std::endl;
    return;
  }
  uint32_t openMs = nowMs() - openStarted;

  // Frames: each is the snapshot soon after it went up.
  std::vector<Bytes> jpegs = {testdata("frame-1.jpg"), testdata("frame-2.jpg"), testdata("frame-3.jpg")};
  uint64_t frameId = freshNumber();
  for (const Bytes& jpeg : jpegs) {
    Span span = {jpeg.data(), jpeg.size()};
    CHECK(doorbell.link->send(kMessageFrame, frameId++, freshNumber(), &span, 1));
    bool seen = false;
    uint32_t started = nowMs();
    while (!seen && nowMs() - started < 3000) {
      doorbell.serve(50);
      HttpAnswer snapshot = request("GET", "/api/v1/stream/camera/snapshot", viewerToken);
      seen = snapshot.status == 200 && snapshot.body == doorcast_test::textOf(jpeg);
    }
    CHECK(seen);
  }

  // Audio: a listener first (its first keep-alive silence shows it is served), then 16 chunks at real
  // time; the listener hears them byte for byte, in order.
  Stream listening(kAudioStreamPath);
  Collect sink;
  AudioStreamReader reader(sink);
  uint32_t started = nowMs();
  while (sink.pcm.size() < 2 && nowMs() - started < 5000) {
    uint8_t chunk[1460];
    long n = listening.transport.read(chunk, sizeof chunk, 100);
    if (n > 0) reader.feed(chunk, static_cast<size_t>(n));
    doorbell.link->poll(0);
  }
  CHECK(reader.streaming());
  size_t silence = sink.pcm.size();
  std::vector<Bytes> chunks = toneChunks(16);
  Bytes sent;
  uint64_t sequence = freshNumber();
  uint32_t next = nowMs();
  for (const Bytes& chunk : chunks) {
    Span span = {chunk.data(), chunk.size()};
    CHECK(doorbell.link->send(kMessageAudio, sequence++, freshNumber(), &span, 1));
    sent.insert(sent.end(), chunk.begin(), chunk.end());
    next += 64;
    while (static_cast<int32_t>(nowMs() - next) < 0) {
      uint8_t piece[1460];
      long n = listening.transport.read(piece, sizeof piece, 5);
      if (n > 0) reader.feed(piece, static_cast<size_t>(n));
      doorbell.link->poll(0);
    }
  }
  started = nowMs();
  while (sink.pcm.size() < silence + sent.size() && nowMs() - started < 5000) {
    uint8_t piece[1460];
    long n = listening.transport.read(piece, sizeof piece, 20);
    if (n > 0) reader.feed(piece, static_cast<size_t>(n));
    doorbell.link->poll(0);
  }
  // Keep-alive silence may come between chunks only if the doorbell was quiet a second: it was not.
  Bytes heard(sink.pcm.begin() + static_cast<long>(silence),
              sink.pcm.begin() + static_cast<long>(std::min(sink.pcm.size(), silence + sent.size())));
  CHECK(heard == sent);

  // A ring reaches the events stream within a second plus the round trip.
  Stream events("/api/v1/stream/events");
  CHECK(events.readUntil("\r\n\r\n", 3000));  // the stream is open
  doorbell.serve(200);
  uint32_t rang = nowMs();
  CHECK(doorbell.link->sendRing(freshNumber(), freshNumber()));
  bool ringSeen = false;
  while (!ringSeen && nowMs() - rang < 3000) {
    events.readUntil("\n", 20);
    ringSeen = events.text.find("event: ring") != std::string::npos || events.text.find("event:ring") != std::string::npos;
    doorbell.link->poll(0);
  }
  uint32_t ringMs = nowMs() - rang;
  CHECK(ringSeen);
  CHECK(doorbell.serveUntil([&] { return doorbell.link->rttMs() > 0; }, 3000));
  CHECK(doorbell.heard.refused.empty());
  for (const std::string& why : doorbell.heard.refused) std::cout << "    refused: " << why << std::endl;
  std::cout << "    " << label << ": link open in " << openMs << " ms, 3 frames and " << chunks.size()
            << " audio chunks arrived byte for byte, ring on the events stream after " << ringMs
            << " ms, ping round trip " << doorbell.link->rttMs() << " ms" << std::endl;
}

}  // namespace

namespace {

// A JPEG grown to about `bytes` with a comment segment (FF FE) after its start marker: still a whole JPEG.
Bytes paddedJpeg(const Bytes& jpeg, size_t bytes, uint8_t fill) {
  size_t pad = bytes > jpeg.size() + 4 ? bytes - jpeg.size() - 4 : 0;
  Bytes out = {0xFF, 0xD8, 0xFF, 0xFE, static_cast<uint8_t>((pad + 2) >> 8), static_cast<uint8_t>(pad + 2)};
  out.insert(out.end(), pad, fill);
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

// The doorbell's media for DoorbellUplink: a camera that always has a newest 9 KB picture, and a
// microphone that records a chunk every 64 ms (each chunk's samples all say its number, so a listener can
// tell them apart and check their order).
struct RealTimeSources : UplinkSources {
  explicit RealTimeSources(uint64_t firstSequence) : first(firstSequence), started(nowMs()) {
    Bytes jpeg = testdata("frame-1.jpg");
    for (uint8_t i = 0; i < 4; i++) jpegs.push_back(paddedJpeg(jpeg, 9 * 1024, static_cast<uint8_t>('a' + i)));
  }
  bool grabFrame(const uint8_t*& data, size_t& length, uint64_t& timestampMs) override {
    const Bytes& jpeg = jpegs[grabbed++ % jpegs.size()];
    data = jpeg.data();
    length = jpeg.size();
    timestampMs = freshNumber();
    return true;
  }
  void releaseFrame() override {}
  size_t audioWaiting() override {
    if (stopped) return 0;
    uint64_t recorded = (nowMs() - started) / 64;
    return static_cast<size_t>(recorded - taken);
  }
  const uint8_t* takeAudio(uint64_t& sequence, uint64_t& timestampMs) override {
    if (audioWaiting() == 0) return nullptr;
    sequence = first + taken;
    timestampMs = freshNumber();
    uint16_t mark = static_cast<uint16_t>(1 + taken % 30000);
    for (size_t i = 0; i < kChunkSamples; i++) {
      chunk[2 * i] = static_cast<uint8_t>(mark & 0xFF);
      chunk[2 * i + 1] = static_cast<uint8_t>(mark >> 8);
    }
    taken++;
    return chunk;
  }
  uint64_t first;
  uint32_t started;
  uint64_t taken = 0;
  size_t grabbed = 0;
  bool stopped = false;
  std::vector<Bytes> jpegs;
  uint8_t chunk[kChunkBytes];
};

// Audio chunks posted back to back for `ms` through the proxy, as the doorbell does without the link.
double postedChunksPerSecond(const std::string& url, uint32_t ms) {
  Url through;
  parseUrl(url.c_str(), through);
  PosixTransport transport;
  DeviceLink posting(transport, through, token.c_str());
  Bytes pcm(kChunkBytes, 0x11);
  uint64_t sequence = freshNumber();
  uint32_t started = nowMs();
  int posted = 0;
  while (nowMs() - started < ms) {
    Span span = {pcm.data(), pcm.size()};
    Answer answer = posting.post(kAudioPath, "application/octet-stream", &span, 1, static_cast<int64_t>(sequence++));
    if (answer.ok()) posted++;
  }
  return posted * 1000.0 / (nowMs() - started);
}

// The doorbell's own loop (DoorbellUplink) for `seconds` over a link to url, with a camera viewer and an
// audio listener on the server: what share of the audio and of the frames sent reach them, in order.
void realTimeOverTheLink(const std::string& url, const char* label, uint32_t seconds) {
  Stream viewer(kCameraStreamPath);
  Stream listening(kAudioStreamPath);
  CHECK(viewer.opened && listening.opened);
  std::vector<uint8_t> frameBuffer(256 * 1024);
  MjpegReader frames(frameBuffer.data(), frameBuffer.size());
  Collect heard;
  AudioStreamReader audio(heard);
  std::atomic<bool> done{false};
  std::atomic<int> framesSeen{0};
  std::thread watching([&] {
    uint8_t chunk[8192];
    while (!done) {
      long n = viewer.transport.read(chunk, sizeof chunk, 50);
      if (n < 0) break;
      for (size_t at = 0; n > 0 && at < static_cast<size_t>(n);) {
        at += frames.feed(chunk + at, static_cast<size_t>(n) - at);
        if (frames.failed()) return;
        if (frames.frameReady() && !frames.repeat()) framesSeen++;
      }
    }
  });
  std::thread listeningThread([&] {
    uint8_t chunk[8192];
    while (!done) {
      long n = listening.transport.read(chunk, sizeof chunk, 50);
      if (n < 0) break;
      if (n > 0) audio.feed(chunk, static_cast<size_t>(n));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // both streams are served
  int framesBefore = framesSeen;
  size_t heardBefore = heard.pcm.size();

  Doorbell doorbell(url);
  CHECK(doorbell.link->open() == LinkOutcome::kOpen);
  RealTimeSources sources(freshNumber());
  UplinkPolicy policy;
  policy.fullIntervalMs = 100;  // 10 fps
  UplinkPlanner planner(policy);
  DoorbellUplink uplink(*doorbell.link, planner, sources, doorbell.platform, true);
  uplink.linkOpened();
  uint32_t started = nowMs();
  while (nowMs() - started < seconds * 1000 && uplink.step()) {
  }
  sources.stopped = true;
  uint32_t drained = nowMs();
  while (nowMs() - drained < 1500 && uplink.step()) {
  }
  done = true;
  watching.join();
  listeningThread.join();

  // The chunks heard since the doorbell started, by their numbers: each once, in order.
  size_t chunksHeard = 0;
  bool inOrder = true;
  uint16_t last = 0;
  for (size_t at = heardBefore; at + 1 < heard.pcm.size(); at += 2) {
    uint16_t mark = static_cast<uint16_t>(heard.pcm[at] | heard.pcm[at + 1] << 8);
    if (mark == 0 || mark == last) continue;  // keep-alive silence, or the same chunk going on
    if (last != 0 && mark != last + 1) inOrder = false;
    last = mark;
    chunksHeard++;
  }
  int framesArrived = framesSeen - framesBefore;
  double audioShare = 100.0 * static_cast<double>(chunksHeard) / static_cast<double>(sources.taken);
  double frameShare = 100.0 * framesArrived / std::max<uint32_t>(1, uplink.framesSent());
  CHECK_EQ(uplink.audioSent(), static_cast<uint32_t>(sources.taken));
  CHECK(audioShare >= 97);
  CHECK(inOrder);
  CHECK(frameShare >= 90);
  CHECK(uplink.framesSent() >= seconds * 9);  // nothing held them back: the proxy adds delay, not a limit
  std::cout << "    " << label << ", the doorbell's loop for " << seconds << " s: audio " << chunksHeard << " of "
            << sources.taken << " chunks heard (" << static_cast<int>(audioShare) << " %), in order: "
            << (inOrder ? "yes" : "no") << "; frames " << framesArrived << " of " << uplink.framesSent()
            << " seen (" << static_cast<int>(frameShare) << " %)" << std::endl;
}

}  // namespace

TEST(theDoorbellsLoopAt200MsRoundTripKeepsRealTimeWherePostsCannot) {
  if (!busy.empty()) return doorcast_test::skipTest(busy);
  DelayProxy proxy(server.host, server.port, 100);
  realTimeOverTheLink(proxy.url(), "200 ms round trip, link", 5);
  double posts = postedChunksPerSecond(proxy.url(), 3000);
  std::cout << "    200 ms round trip, posts: " << posts << " audio chunks a second, "
            << static_cast<int>(100 * posts / 15.625) << " % of real time" << std::endl;
}

TEST(theLinkCarriesFramesAudioAndARing) {
  if (!busy.empty()) return doorcast_test::skipTest(busy);
  framesAudioAndRingArrive(serverUrl, "direct");
}

TEST(theLinkCarriesThemAt100MsRoundTrip) {
  if (!busy.empty()) return doorcast_test::skipTest(busy);
  DelayProxy proxy(server.host, server.port, 50);
  framesAudioAndRingArrive(proxy.url(), "100 ms round trip");
}

TEST(theLinkCarriesThemAt200MsRoundTrip) {
  if (!busy.empty()) return doorcast_test::skipTest(busy);
  DelayProxy proxy(server.host, server.port, 100);
  framesAudioAndRingArrive(proxy.url(), "200 ms round trip");
}

TEST(watchingNoticesFollowAViewer) {
  Doorbell doorbell(serverUrl);
  CHECK(doorbell.link->open() == LinkOutcome::kOpen);
  // The first notice comes as the link opens: nobody watches yet (the tests' other streams are closed).
  CHECK(doorbell.serveUntil([&] { return !doorbell.heard.watching.empty(); }, 1000));
  bool watchedBefore = !doorbell.heard.watching.empty() && doorbell.heard.watching.back().first;
  {
    Stream viewer(kCameraStreamPath);
    CHECK(viewer.opened);
    uint32_t opened = nowMs();
    bool told = doorbell.serveUntil([&] { return doorbell.link->watchingCamera(); }, 1500);
    CHECK(told);
    if (told && !watchedBefore) std::cout << "    watching.camera=true after " << nowMs() - opened << " ms" << std::endl;
  }
  // The viewer is gone; the server says so within its sweep interval (a few seconds).
  uint32_t closed = nowMs();
  bool told = doorbell.serveUntil([&] { return !doorbell.link->watchingCamera(); }, 15000);
  CHECK(told);
  if (told) std::cout << "    watching.camera=false after " << nowMs() - closed << " ms" << std::endl;
}

TEST(talkBackComesDownAsSpeakerMessagesByteForByte) {
  Doorbell doorbell(serverUrl);
  CHECK(doorbell.link->open() == LinkOutcome::kOpen);
  doorbell.serve(300);
  std::vector<Bytes> chunks = toneChunks(5);
  std::string said;
  std::string talker = "host-test-" + std::to_string(freshNumber());
  for (size_t i = 0; i < chunks.size(); i++) {
    HttpAnswer answer = request("POST", "/api/v1/stream/talk", viewerToken,
                                "Content-Type: application/octet-stream\r\nX-Talk-Id: " + talker +
                                    "\r\nX-Sequence: " + std::to_string(i) + "\r\n",
                                doorcast_test::textOf(chunks[i]));
    CHECK_EQ(answer.status, 200);
    said += doorcast_test::textOf(chunks[i]);
    doorbell.serve(20);
  }
  CHECK(doorbell.serveUntil([&] { return doorbell.heard.speaker.size() >= said.size(); }, 3000));
  CHECK(doorbell.heard.speaker == said);
  CHECK(std::is_sorted(doorbell.heard.speakerSequences.begin(), doorbell.heard.speakerSequences.end()));
}

TEST(aWrongTokenIsRefusedBeforeTheUpgrade) {
  Doorbell doorbell(serverUrl, "not-" + token);
  CHECK(doorbell.link->maintain() == LinkOutcome::kWrongToken);
  CHECK_EQ(doorbell.link->lastStatus(), 401);
  CHECK(doorbell.link->backoff().wrongToken());
}

int main() {
  const char* url = std::getenv("DOORCAST_URL");
  const char* deviceToken = std::getenv("DOORCAST_TOKEN");
  const char* viewer = std::getenv("DOORCAST_VIEWER_TOKEN");
  if (url == nullptr || url[0] == '\0') doorcast_test::skip("DOORCAST_URL is not set");
  if (deviceToken == nullptr || deviceToken[0] == '\0') doorcast_test::skip("DOORCAST_TOKEN is not set");
  if (!parseUrl(url, server)) {
    std::cout << "DOORCAST_URL is not an http:// or https:// URL: " << url << std::endl;
    return 1;
  }
  if (server.https) doorcast_test::skip("the host tests speak plain HTTP; give DOORCAST_URL as http://");
  serverUrl = url;
  token = deviceToken;
  viewerToken = viewer != nullptr ? viewer : "";

  // One clear line rather than a failure per test when there is nothing to test against.
  PosixTransport probe;
  if (!probe.connect(server.host, server.port)) {
    std::cout << "nothing listens at DOORCAST_URL (" << url << "): start doorcast there, or unset DOORCAST_URL"
              << std::endl;
    return 1;
  }
  probe.close();
  Doorbell first(serverUrl);
  LinkOutcome outcome = first.link->open();
  if (outcome == LinkOutcome::kNoLink) doorcast_test::skip("server has no link (404) at " + serverUrl);
  if (outcome != LinkOutcome::kOpen) {
    std::cout << "the link to " << url << " did not open: " << first.link->lastError() << " (HTTP "
              << first.link->lastStatus() << ")" << std::endl;
    return 1;
  }
  first.link->close();
  busy = doorcast_test::busyServer(server, viewerToken);
  return doorcast_test::runAll();
}
