// URLs, request heads, and answers: the recorded answers in testdata are real doorcast responses (a 200
// with Content-Length, a 401 and a 400 chunked, the 400 with Connection: close).
#include <cstring>
#include <string>

#include "check.h"
#include "doorcast/device_link.h"
#include "doorcast/http.h"
#include "doorcast/protocol.h"
#include "doorcast/response_reader.h"
#include "doorcast/url.h"
#include "scripted_transport.h"

using namespace doorcast;
using doorcast_test::Bytes;
using doorcast_test::ScriptedTransport;
using doorcast_test::testdata;

namespace {

// Feeds an answer one byte at a time.
void feedBytewise(ResponseReader& reader, const Bytes& answer) {
  reader.reset();
  for (size_t i = 0; i < answer.size() && !reader.done() && !reader.failed(); i++) reader.feed(&answer[i], 1);
}

const char* kAnswer200 =
    "HTTP/1.1 200 \r\nContent-Type: application/json\r\nContent-Length: 81\r\n\r\n"
    "{\"success\":true,\"chunk_id\":3,\"sequence\":50,\"size\":2048,\"clients\":2,\"stored\":true}";

}  // namespace

TEST(urlsWithAndWithoutPortAndPrefix) {
  Url url;
  CHECK(parseUrl("https://doorcast.fly.dev", url));
  CHECK(url.https);
  CHECK_EQ(std::string(url.host), std::string("doorcast.fly.dev"));
  CHECK_EQ(url.port, 443);
  CHECK_EQ(std::string(url.basePath), std::string(""));

  CHECK(parseUrl("http://192.168.1.20:8080/", url));
  CHECK(!url.https);
  CHECK_EQ(std::string(url.host), std::string("192.168.1.20"));
  CHECK_EQ(url.port, 8080);
  CHECK_EQ(std::string(url.basePath), std::string(""));

  CHECK(parseUrl("http://example.org/doorcast/", url));
  CHECK_EQ(url.port, 80);
  CHECK_EQ(std::string(url.basePath), std::string("/doorcast"));

  CHECK(!parseUrl("ftp://example.org", url));
  CHECK(!parseUrl("http://", url));
  CHECK(!parseUrl("http://host:99999", url));
  CHECK(!parseUrl("http://host:", url));
  CHECK(!parseUrl("http://host?x=1", url));
}

TEST(postHeadCarriesTokenTypeLengthAndSequence) {
  Url url;
  parseUrl("http://127.0.0.1:8080", url);
  char head[512];
  size_t n = formatPostHead(head, sizeof head, url, kAudioPath, "secret-token", "application/octet-stream",
                            2048, 17);
  CHECK_EQ(std::string(head, n),
           std::string("POST /api/v1/devices/doorbell/mic-stream HTTP/1.1\r\n"
                       "Host: 127.0.0.1:8080\r\n"
                       "Authorization: Bearer secret-token\r\n"
                       "Content-Type: application/octet-stream\r\n"
                       "Content-Length: 2048\r\n"
                       "X-Sequence: 17\r\n"
                       "\r\n"));
  parseUrl("https://doorcast.fly.dev/base", url);
  n = formatPostHead(head, sizeof head, url, "/x", "t", "a/b", 0, -1);
  CHECK_EQ(std::string(head, n),
           std::string("POST /base/x HTTP/1.1\r\nHost: doorcast.fly.dev\r\nAuthorization: Bearer t\r\n"
                       "Content-Type: a/b\r\nContent-Length: 0\r\n\r\n"));
  CHECK_EQ(formatPostHead(head, 40, url, "/x", "t", "a/b", 0, -1), 0u);  // too small: nothing half-written
}

TEST(getHeadWithAndWithoutViewerToken) {
  Url url;
  parseUrl("http://example.org:8080", url);
  char head[256];
  size_t n = formatGetHead(head, sizeof head, url, "/api/v1/stream/camera?fps=5", nullptr);
  CHECK_EQ(std::string(head, n), std::string("GET /api/v1/stream/camera?fps=5 HTTP/1.1\r\nHost: example.org:8080\r\n\r\n"));
  n = formatGetHead(head, sizeof head, url, "/api/v1/stream/audio", "viewer");
  CHECK_EQ(std::string(head, n),
           std::string("GET /api/v1/stream/audio HTTP/1.1\r\nHost: example.org:8080\r\nAuthorization: Bearer viewer\r\n\r\n"));
}

TEST(recordedAnswerWithContentLength) {
  ResponseReader reader;
  feedBytewise(reader, testdata("answer-200.http"));
  CHECK(reader.done());
  CHECK_EQ(reader.head().status, 200);
  CHECK(reader.reusable());
  int64_t clients = -1;
  bool stored = false;
  CHECK(jsonNumber(reader.body(), "clients", clients));
  CHECK_EQ(clients, 0);
  CHECK(jsonBool(reader.body(), "stored", stored));
  CHECK(stored);
}

TEST(recordedChunkedAnswers) {
  ResponseReader reader;
  feedBytewise(reader, testdata("answer-401.http"));
  CHECK(reader.done());
  CHECK_EQ(reader.head().status, 401);
  CHECK(reader.reusable());  // no Connection: close
  char detail[96];
  CHECK(jsonString(reader.body(), "detail", detail, sizeof detail));
  CHECK_EQ(std::string(detail), std::string("The bearer token is not valid for this endpoint"));

  feedBytewise(reader, testdata("answer-400.http"));
  CHECK(reader.done());
  CHECK_EQ(reader.head().status, 400);
  CHECK(!reader.reusable());  // the server closes after a 400
  CHECK(std::string(reader.body()).find("16-bit PCM needs an even number") != std::string::npos);
}

TEST(answerWithoutLengthEndsWhenTheConnectionCloses) {
  std::string answer = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\n\r\nbusy";
  ResponseReader reader;
  reader.feed(reinterpret_cast<const uint8_t*>(answer.data()), answer.size());
  CHECK(!reader.done());
  reader.endOfStream();
  CHECK(reader.done());
  CHECK(!reader.reusable());
  CHECK_EQ(reader.head().retryAfterSeconds, 7L);
  CHECK_EQ(std::string(reader.body()), std::string("busy"));
}

TEST(retryAfterAsADateCountsAsAbsent) {
  ResponseHead head;
  head.take("HTTP/1.1 429 ", true);
  head.take("Retry-After: Wed, 21 Oct 2015 07:28:00 GMT", false);
  CHECK_EQ(head.status, 429);
  CHECK_EQ(head.retryAfterSeconds, -1L);
  CHECK(!head.take("SSH-2.0-OpenSSH", true));
}

TEST(longLinesAreCutNotSplit) {
  LineBuffer line;
  std::string text = "X-Long: " + std::string(500, 'a') + "\r\n";
  bool ended = false;
  for (char c : text) ended = line.add(static_cast<uint8_t>(c));
  CHECK(ended);
  CHECK_EQ(line.length(), LineBuffer::kMaxLine);
}

TEST(deviceLinkKeepsTheConnectionAndParsesTheAnswer) {
  Url url;
  parseUrl("http://127.0.0.1:8080", url);
  ScriptedTransport transport;
  transport.answers = {{kAnswer200, kAnswer200}};
  DeviceLink link(transport, url, "token");
  const uint8_t body[] = {1, 2, 3, 4};
  Span span = {body, sizeof body};
  Answer first = link.post("/p", "application/octet-stream", &span, 1, 5);
  Answer second = link.post("/p", "application/octet-stream", &span, 1, 6);
  CHECK(first.ok());
  CHECK(second.ok());
  CHECK_EQ(first.stored, 1);
  CHECK_EQ(first.clients, 2);
  CHECK_EQ(transport.connects, 1);  // both posts over one connection
  CHECK(link.open());
  CHECK(transport.written[0].find("X-Sequence: 6\r\n\r\n\x01\x02\x03\x04") != std::string::npos);
}

TEST(aKeptConnectionTheServerClosedIsReplacedOnce) {
  Url url;
  parseUrl("http://127.0.0.1:8080", url);
  ScriptedTransport transport;
  // After its one answer the first connection reads as closed, as when the server closed it while idle.
  transport.answers = {{kAnswer200}, {kAnswer200}};
  DeviceLink link(transport, url, "token");
  Span span = {reinterpret_cast<const uint8_t*>("ab"), 2};
  CHECK(link.post("/p", "text/plain", &span, 1).ok());
  CHECK(link.post("/p", "text/plain", &span, 1).ok());
  CHECK_EQ(transport.connects, 2);
  CHECK_EQ(transport.written[1].substr(0, 10), std::string("POST /p HT"));
}

TEST(aNewConnectionClosedWithoutAnswerIsNotRetried) {
  Url url;
  parseUrl("http://127.0.0.1:8080", url);
  ScriptedTransport transport;
  transport.answers = {{""}};
  DeviceLink link(transport, url, "token");
  Span span = {reinterpret_cast<const uint8_t*>("ab"), 2};
  Answer lost = link.post("/p", "text/plain", &span, 1);
  CHECK_EQ(lost.status, 0);
  CHECK_EQ(std::string(lost.failure), std::string("connection closed before the answer"));
  CHECK_EQ(transport.connects, 1);
  CHECK(!link.open());
}

TEST(aClosingAnswerClosesTheLink) {
  Url url;
  parseUrl("http://127.0.0.1:8080", url);
  ScriptedTransport transport;
  transport.answers = {{doorcast_test::textOf(testdata("answer-400.http"))}};
  DeviceLink link(transport, url, "token");
  Span span = {reinterpret_cast<const uint8_t*>("a"), 1};
  Answer answer = link.post("/p", "application/octet-stream", &span, 1);
  CHECK_EQ(answer.status, 400);
  CHECK(!link.open());
  CHECK_EQ(transport.closes, 1);
}

TEST(noServerIsAFailureNotAStatus) {
  Url url;
  parseUrl("http://127.0.0.1:8080", url);
  ScriptedTransport transport;
  transport.refuseConnections = true;
  DeviceLink link(transport, url, "token");
  Answer answer = link.post("/p", "text/plain", nullptr, 0);
  CHECK_EQ(answer.status, 0);
  CHECK_EQ(std::string(answer.failure), std::string("could not connect"));
}

int main() { return doorcast_test::runAll(); }
