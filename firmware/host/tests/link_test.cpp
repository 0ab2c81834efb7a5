// LinkClient against a scripted server on a loopback port: the upgrade and its answers (101, a wrong
// accept key, 401, 404), messages both ways byte for byte, ping and pong, the close handshake from either
// side, a message too big, a silent server, and the reconnect's backoff.
#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "check.h"
#include "delay_proxy.h"
#include "doorcast/link.h"
#include "doorcast/link_retry.h"
#include "doorcast/protocol.h"
#include "doorcast/url.h"
#include "doorcast/websocket.h"
#include "fake_server.h"
#include "posix_transport.h"

using namespace doorcast;
using doorcast_host::HostPlatform;
using doorcast_host::PosixTransport;
using doorcast_test::FakeServer;
using doorcast_test::Peer;

namespace {

struct Heard : LinkListener {
  std::vector<std::pair<bool, bool>> watching;
  std::vector<Notice> refused;
  std::vector<uint64_t> sequences;
  std::string speaker;
  void onWatching(bool camera, bool audio) override { watching.push_back({camera, audio}); }
  void onRefused(const Notice& notice) override { refused.push_back(notice); }
  void onSpeakerAudio(uint64_t sequence, const uint8_t* pcm, size_t bytes) override {
    sequences.push_back(sequence);
    speaker.append(reinterpret_cast<const char*>(pcm), bytes);
  }
};

// One client of the fake server, as the doorbell holds it.
struct Client {
  explicit Client(uint16_t port, const LinkPolicy& policy = LinkPolicy())
      : buffer(4096), link(transport, url(port), "s3cret", platform, heard, buffer.data(), buffer.size(), policy) {}

  static const Url& url(uint16_t port) {
    static Url server;
    parseUrl(("http://127.0.0.1:" + std::to_string(port)).c_str(), server);
    return server;
  }

  // Polls until done() or timeoutMs.
  template <typename Done>
  bool pollUntil(Done done, uint32_t timeoutMs = 3000) {
    uint32_t started = doorcast_host::nowMs();
    while (!done()) {
      if (doorcast_host::nowMs() - started > timeoutMs) return false;
      link.poll(20);
    }
    return true;
  }

  PosixTransport transport;
  HostPlatform platform;
  Heard heard;
  std::vector<uint8_t> buffer;
  LinkClient link;
};

// Waits for something the server thread does, for at most 2 s.
template <typename Done>
bool waitFor(Done done) {
  for (int i = 0; i < 200 && !done(); i++) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

std::string message(uint8_t type, uint64_t id, uint64_t timestamp, const std::string& payload) {
  uint8_t header[kMessageHeaderBytes];
  encodeMessageHeader(header, type, id, timestamp);
  return std::string(reinterpret_cast<char*>(header), sizeof header) + payload;
}

}  // namespace

TEST(the101OpensTheLinkAndItsFirstNoticeIsRead) {
  std::string head;
  FakeServer server([&](int fd) {
    head = FakeServer::readHead(fd);
    // The notice right behind the 101, in the same write.
    FakeServer::sendAll(fd, FakeServer::switching(head) +
                                FakeServer::frame(kOpText, "{\"type\":\"watching\",\"camera\":false,\"audio\":false}"));
    Peer peer(fd);
    Peer::Received got;
    peer.read(got);  // until the client closes
  });
  Client client(server.port());
  CHECK(client.link.open() == LinkOutcome::kOpen);
  CHECK(client.link.isOpen());
  CHECK(client.pollUntil([&] { return !client.heard.watching.empty(); }));
  CHECK(!client.link.watchingCamera());
  CHECK(!client.link.watchingAudio());
  CHECK(head.compare(0, 44, "GET /api/v1/devices/doorbell/link HTTP/1.1\r\n") == 0);
  CHECK_EQ(FakeServer::header(head, "Upgrade"), std::string("websocket"));
  CHECK_EQ(FakeServer::header(head, "Connection"), std::string("Upgrade"));
  CHECK_EQ(FakeServer::header(head, "Sec-WebSocket-Version"), std::string("13"));
  CHECK_EQ(FakeServer::header(head, "Authorization"), std::string("Bearer s3cret"));
  CHECK_EQ(FakeServer::header(head, "Host"), "127.0.0.1:" + std::to_string(server.port()));
  std::string key = FakeServer::header(head, "Sec-WebSocket-Key");
  CHECK_EQ(key.size(), size_t(24));
  client.link.close();
}

TEST(eachLinkHasAKeyOfItsOwn) {
  std::vector<std::string> keys;
  FakeServer server([&](int fd) {
    std::string head = FakeServer::readHead(fd);
    keys.push_back(FakeServer::header(head, "Sec-WebSocket-Key"));
    FakeServer::sendAll(fd, FakeServer::switching(head));
  });
  Client client(server.port());
  CHECK(client.link.open() == LinkOutcome::kOpen);
  CHECK(client.link.open() == LinkOutcome::kOpen);
  CHECK_EQ(keys.size(), size_t(2));
  if (keys.size() == 2) CHECK(keys[0] != keys[1]);
}

TEST(a101WithTheWrongAcceptKeyIsNoLink) {
  FakeServer server([&](int fd) {
    FakeServer::readHead(fd);
    FakeServer::sendAll(fd, "HTTP/1.1 101 \r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
                            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
  });
  Client client(server.port());
  CHECK(client.link.open() == LinkOutcome::kFailed);
  CHECK(!client.link.isOpen());
  CHECK(std::string(client.link.lastError()).find("Sec-WebSocket-Accept") != std::string::npos);
}

TEST(a401IsAWrongTokenAndTheBackoffWaitsLong) {
  FakeServer server([&](int fd) {
    FakeServer::readHead(fd);
    FakeServer::sendAll(fd, "HTTP/1.1 401 \r\nWWW-Authenticate: Bearer error=\"invalid_token\"\r\n"
                            "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  });
  Client client(server.port());
  CHECK(client.link.maintain() == LinkOutcome::kWrongToken);
  CHECK_EQ(client.link.lastStatus(), 401);
  CHECK(std::string(client.link.lastError()).find("token") != std::string::npos);
  CHECK(client.link.backoff().wrongToken());
  CHECK(!client.link.backoff().ready(doorcast_host::nowMs() + 59000));
  CHECK(client.link.maintain() == LinkOutcome::kWaiting);
  CHECK_EQ(server.connections(), 1);
}

TEST(a404IsAServerWithoutTheLink) {
  FakeServer server([&](int fd) {
    FakeServer::readHead(fd);
    FakeServer::sendAll(fd, "HTTP/1.1 404 \r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  });
  Client client(server.port());
  CHECK(client.link.maintain() == LinkOutcome::kNoLink);
  CHECK_EQ(client.link.lastStatus(), 404);
  CHECK(std::string(client.link.lastError()).find("posting instead") != std::string::npos);
}

TEST(aDoorbellPostingAfterA404GetsTheLinkOnceTheServerHasIt) {
  // The server is updated while the doorbell posts: its first two upgrades get 404, the third the link.
  std::atomic<int> upgrades(0);
  FakeServer server([&](int fd) {
    std::string head = FakeServer::readHead(fd);
    if (++upgrades <= 2) {
      FakeServer::sendAll(fd, "HTTP/1.1 404 \r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
      return;
    }
    FakeServer::sendAll(fd, FakeServer::switching(head));
    Peer peer(fd);
    Peer::Received one;
    while (peer.read(one) && one.opcode != kOpClose) {
    }
    FakeServer::sendAll(fd, FakeServer::frame(kOpClose, one.payload));
  });
  Client client(server.port());
  LinkRetryPolicy every;
  every.everyMs = 400;  // minutes on the doorbell; short here
  LinkRetry retry(11, every);
  uint32_t started = doorcast_host::nowMs();
  CHECK(client.link.maintain() == LinkOutcome::kNoLink);
  retry.posting(doorcast_host::nowMs());
  std::vector<uint32_t> triedAt;
  // The doorbell's loop while it posts: a try of the link whenever the retry is due.
  while (retry.isPosting() && doorcast_host::nowMs() - started < 5000) {
    uint32_t now = doorcast_host::nowMs();
    if (!retry.due(now)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // a frame posted meanwhile
      continue;
    }
    triedAt.push_back(now - started);
    if (client.link.open() == LinkOutcome::kOpen) {
      retry.linked();
    } else {
      CHECK_EQ(client.link.lastStatus(), 404);
      retry.posting(doorcast_host::nowMs());
    }
  }
  CHECK(client.link.isOpen());
  CHECK_EQ(upgrades.load(), 3);
  CHECK_EQ(triedAt.size(), 2u);
  // Each try waited at least half the interval after the one before (no hammering a server without it).
  for (size_t i = 0; i < triedAt.size(); i++) {
    uint32_t gap = triedAt[i] - (i == 0 ? 0 : triedAt[i - 1]);
    CHECK(gap >= 200);
  }
  std::cout << "    404, then tries after " << (triedAt.empty() ? 0 : triedAt[0]) << " and "
            << (triedAt.size() < 2 ? 0 : triedAt[1]) << " ms: on the link" << std::endl;
  client.link.close();
}

TEST(nothingListeningIsAFailureAndTheBackoffSpacesTheRetries) {
  uint16_t port;
  { FakeServer gone([](int) {}); port = gone.port(); }
  Client client(port);
  CHECK(client.link.maintain() == LinkOutcome::kFailed);
  uint32_t wait = client.link.backoff().remainingMs(doorcast_host::nowMs());
  CHECK(wait > 100 && wait <= 500);
  CHECK(client.link.maintain() == LinkOutcome::kWaiting);
}

TEST(messagesGoUpMaskedAndByteForByte) {
  std::vector<Peer::Received> got;
  FakeServer server([&](int fd) {
    FakeServer::sendAll(fd, FakeServer::switching(FakeServer::readHead(fd)));
    Peer peer(fd);
    Peer::Received one;
    while (peer.read(one) && one.opcode != kOpClose) got.push_back(one);
    got.push_back(one);
    FakeServer::sendAll(fd, FakeServer::frame(kOpClose, one.payload));
  });
  Client client(server.port());
  CHECK(client.link.open() == LinkOutcome::kOpen);
  std::string jpeg(9000, '\0');
  for (size_t i = 0; i < jpeg.size(); i++) jpeg[i] = static_cast<char>(i * 31 + 7);
  jpeg[0] = '\xff', jpeg[1] = '\xd8';
  std::string pcm(2048, '\x01');
  // A frame sent as three spans (as a camera buffer would be), audio as one, a ring with no payload.
  Span frameSpans[] = {{reinterpret_cast<const uint8_t*>(jpeg.data()), 100},
                       {reinterpret_cast<const uint8_t*>(jpeg.data()) + 100, 8000},
                       {reinterpret_cast<const uint8_t*>(jpeg.data()) + 8100, 900}};
  CHECK(client.link.send(kMessageFrame, 41, 1764111111000ULL, frameSpans, 3));
  Span audio = {reinterpret_cast<const uint8_t*>(pcm.data()), pcm.size()};
  CHECK(client.link.send(kMessageAudio, 7, 0, &audio, 1));
  CHECK(client.link.sendRing(1, 1764111111500ULL));
  client.link.close();
  CHECK(!client.link.isOpen());
  CHECK_EQ(client.link.serverCloseCode(), kCloseNormal);  // the server's answer to our close came back
  if (!CHECK_EQ(got.size(), size_t(4))) return;
  CHECK_EQ(int(got[0].opcode), int(kOpBinary));
  CHECK(got[0].payload == message(kMessageFrame, 41, 1764111111000ULL, jpeg));
  CHECK(got[1].payload == message(kMessageAudio, 7, 0, pcm));
  CHECK(got[2].payload == message(kMessageRing, 1, 1764111111500ULL, ""));
  CHECK_EQ(int(got[3].opcode), int(kOpClose));
  CHECK(got[3].payload == std::string("\x03\xe8", 2));
}

TEST(pingsArePongedAndSpeakerAudioComesDownInOrderEvenFragmented) {
  std::string pong;
  FakeServer server([&](int fd) {
    FakeServer::sendAll(fd, FakeServer::switching(FakeServer::readHead(fd)));
    FakeServer::sendAll(fd, FakeServer::frame(kOpPing, "are you there"));
    std::string first = message(kMessageSpeaker, 0, 0, std::string(2048, 'a'));
    std::string second = message(kMessageSpeaker, 1, 0, std::string(1000, 'b') + std::string(1048, 'c'));
    // The second comes in three fragments with a ping among them.
    FakeServer::sendAll(fd, FakeServer::frame(kOpBinary, first) + FakeServer::frame(kOpBinary, second.substr(0, 500), false) +
                                FakeServer::frame(kOpPing, "x") +
                                FakeServer::frame(kOpContinuation, second.substr(500, 1000), false) +
                                FakeServer::frame(kOpContinuation, second.substr(1500), true) +
                                FakeServer::frame(kOpText, "{\"type\":\"refused\",\"kind\":\"audio\",\"id\":9,\"status\":429,\"detail\":\"Too fast\"}") +
                                FakeServer::frame(kOpText, "not json"));
    Peer peer(fd);
    Peer::Received one;
    while (peer.read(one) && one.opcode != kOpClose) {
      if (one.opcode == kOpPong) pong += one.payload + "|";
    }
    FakeServer::sendAll(fd, FakeServer::frame(kOpClose, one.payload));
  });
  Client client(server.port());
  CHECK(client.link.open() == LinkOutcome::kOpen);
  CHECK(client.pollUntil([&] { return client.heard.sequences.size() == 2 && !client.heard.refused.empty(); }));
  client.link.poll(50);
  client.link.close();
  CHECK_EQ(pong, std::string("are you there|x|"));
  CHECK(client.heard.speaker == std::string(2048, 'a') + std::string(1000, 'b') + std::string(1048, 'c'));
  CHECK(client.heard.sequences == std::vector<uint64_t>({0, 1}));
  if (!client.heard.refused.empty()) {
    CHECK_EQ(client.heard.refused[0].status, int64_t(429));
    CHECK_EQ(std::string(client.heard.refused[0].refusedKind), std::string("audio"));
  }
  CHECK_EQ(client.link.messagesIgnored(), 1u);
}

TEST(theServersCloseIsAnsweredAndTheLinkReconnectsAfterTheBackoff) {
  std::string answer;
  std::atomic<bool> answered{false};
  FakeServer server([&](int fd) {
    FakeServer::sendAll(fd, FakeServer::switching(FakeServer::readHead(fd)));
    FakeServer::sendAll(fd, FakeServer::frame(kOpClose, std::string("\x03\xf0", 2) + "replaced by a newer link"));
    Peer peer(fd);
    Peer::Received one;
    if (peer.read(one) && one.opcode == kOpClose) answer = one.payload;
    answered = true;
  });
  Client client(server.port());
  CHECK(client.link.open() == LinkOutcome::kOpen);
  CHECK(client.pollUntil([&] { return !client.link.isOpen(); }));
  CHECK_EQ(client.link.serverCloseCode(), uint16_t(1008));
  CHECK(waitFor([&] { return answered.load(); }));
  CHECK(answer == std::string("\x03\xf0", 2));  // the code echoed
  CHECK(std::string(client.link.lastError()).find("closed the link") != std::string::npos);
  CHECK(client.link.maintain() == LinkOutcome::kWaiting);  // the capped, jittered backoff first
  uint32_t wait = client.link.backoff().remainingMs(doorcast_host::nowMs());
  CHECK(wait > 0 && wait <= 500);
  std::this_thread::sleep_for(std::chrono::milliseconds(wait + 10));
  CHECK(client.link.maintain() == LinkOutcome::kOpen);
  CHECK_EQ(server.connections(), 2);
}

TEST(aServerMessageTooBigClosesTheLinkWith1009) {
  std::string answer;
  std::atomic<bool> answered{false};
  FakeServer server([&](int fd) {
    FakeServer::sendAll(fd, FakeServer::switching(FakeServer::readHead(fd)));
    FakeServer::sendAll(fd, FakeServer::frame(kOpBinary, std::string(5000, 'x')));  // the buffer holds 4095
    Peer peer(fd);
    Peer::Received one;
    if (peer.read(one) && one.opcode == kOpClose) answer = one.payload;
    answered = true;
  });
  Client client(server.port());
  CHECK(client.link.open() == LinkOutcome::kOpen);
  CHECK(client.pollUntil([&] { return !client.link.isOpen(); }));
  CHECK(waitFor([&] { return answered.load(); }));
  CHECK(answer == std::string("\x03\xf1", 2));
  CHECK(client.heard.sequences.empty());
}

TEST(aQuietLinkIsPingedAndASilentServerLosesIt) {
  LinkPolicy policy;
  policy.pingAfterMs = 100;
  policy.deadAfterMs = 400;
  std::atomic<int> pings{0};
  std::atomic<bool> answering{true};
  FakeServer server([&](int fd) {
    FakeServer::sendAll(fd, FakeServer::switching(FakeServer::readHead(fd)));
    Peer peer(fd);
    Peer::Received one;
    while (peer.read(one, 2000) && one.opcode == kOpPing) {
      pings++;
      if (answering) FakeServer::sendAll(fd, FakeServer::frame(kOpPong, one.payload));
    }
  });
  Client client(server.port(), policy);
  CHECK(client.link.open() == LinkOutcome::kOpen);
  // Answered pings keep it open and give the round trip.
  CHECK(client.pollUntil([&] { return pings >= 3; }));
  CHECK(client.link.isOpen());
  CHECK(client.link.rttMs() < 100);
  // A server that stops answering is lost after deadAfterMs.
  answering = false;
  CHECK(client.pollUntil([&] { return !client.link.isOpen(); }, 2000));
  CHECK(std::string(client.link.lastError()).find("silent") != std::string::npos);
}

TEST(throughTheDelayProxyTheRoundTripGrowsAndNothingIsLost) {
  std::vector<std::string> got;
  FakeServer server([&](int fd) {
    FakeServer::sendAll(fd, FakeServer::switching(FakeServer::readHead(fd)));
    Peer peer(fd);
    Peer::Received one;
    while (peer.read(one) && one.opcode != kOpClose) {
      if (one.opcode == kOpPing) FakeServer::sendAll(fd, FakeServer::frame(kOpPong, one.payload));
      if (one.opcode == kOpBinary) got.push_back(one.payload);
    }
    FakeServer::sendAll(fd, FakeServer::frame(kOpClose, one.payload));
  });
  doorcast_test::DelayProxy proxy("127.0.0.1", server.port(), 100);
  LinkPolicy policy;
  policy.pingAfterMs = 300;
  Client client(proxy.port(), policy);
  uint32_t started = doorcast_host::nowMs();
  CHECK(client.link.open() == LinkOutcome::kOpen);
  CHECK(doorcast_host::nowMs() - started >= 200);  // the upgrade is one round trip
  std::string pcm(2048, '\x05');
  Span span = {reinterpret_cast<const uint8_t*>(pcm.data()), pcm.size()};
  for (uint64_t i = 0; i < 20; i++) CHECK(client.link.send(kMessageAudio, i, 0, &span, 1));
  CHECK(client.pollUntil([&] { return client.link.rttMs() > 0; }, 3000));
  CHECK(client.link.rttMs() >= 200 && client.link.rttMs() < 1000);
  client.link.close();
  CHECK(waitFor([&] { return got.size() == 20; }));
  for (size_t i = 0; i < got.size(); i++) CHECK(got[i] == message(kMessageAudio, i, 0, pcm));
  std::cout << "    ping round trip through the proxy: " << client.link.rttMs() << " ms" << std::endl;
}

int main() { return doorcast_test::runAll(); }
