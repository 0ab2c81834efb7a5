#include "doorcast/device_link.h"

namespace doorcast {

DeviceLink::DeviceLink(Transport& transport, const Url& server, const char* token, uint32_t answerTimeoutMs)
    : transport_(transport), server_(server), token_(token), answerTimeoutMs_(answerTimeoutMs), open_(false) {}

void DeviceLink::close() {
  transport_.close();
  open_ = false;
}

Answer DeviceLink::failure(const char* why) {
  close();
  Answer answer;
  answer.status = 0;
  answer.failure = why;
  answer.retryAfterSeconds = -1;
  answer.stored = -1;
  answer.clients = -1;
  answer.body = "";
  return answer;
}

Answer DeviceLink::post(const char* path, const char* contentType, const Span* spans, size_t count,
                        int64_t sequence) {
  uint64_t length = 0;
  for (size_t i = 0; i < count; i++) length += spans[i].length;
  char head[512];
  size_t headLength = formatPostHead(head, sizeof head, server_, path, token_, contentType, length, sequence);
  if (headLength == 0) return failure("request head too long (token or path)");
  bool retry = false;
  Answer answer = attempt(head, headLength, spans, count, retry);
  if (retry) answer = attempt(head, headLength, spans, count, retry);
  return answer;
}

Answer DeviceLink::attempt(const char* head, size_t headLength, const Span* spans, size_t count, bool& retry) {
  bool reused = open_;
  retry = false;
  if (!open_) {
    if (!transport_.connect(server_.host, server_.port)) return failure("could not connect");
    open_ = true;
  }
  bool sent = transport_.write(reinterpret_cast<const uint8_t*>(head), headLength);
  for (size_t i = 0; sent && i < count; i++) {
    if (spans[i].length > 0) sent = transport_.write(spans[i].data, spans[i].length);
  }
  if (!sent) {
    retry = reused;
    return failure("connection lost while sending");
  }
  reader_.reset();
  bool anything = false;
  uint8_t buffer[512];
  while (!reader_.done() && !reader_.failed()) {
    long n = transport_.read(buffer, sizeof buffer, answerTimeoutMs_);
    if (n == 0) return failure("no answer in time");
    if (n < 0) {
      reader_.endOfStream();
      if (reader_.done()) break;
      retry = reused && !anything;  // the server had closed the idle connection before this request
      return failure("connection closed before the answer");
    }
    anything = true;
    reader_.feed(buffer, static_cast<size_t>(n));
  }
  if (reader_.failed()) return failure("answer is not HTTP");
  if (!reader_.reusable()) close();

  Answer answer;
  answer.status = reader_.head().status;
  answer.failure = nullptr;
  answer.retryAfterSeconds = reader_.head().retryAfterSeconds;
  bool stored;
  answer.stored = jsonBool(reader_.body(), "stored", stored) ? (stored ? 1 : 0) : -1;
  int64_t clients;
  answer.clients = jsonNumber(reader_.body(), "clients", clients) ? clients : -1;
  answer.body = reader_.body();
  return answer;
}

}  // namespace doorcast
