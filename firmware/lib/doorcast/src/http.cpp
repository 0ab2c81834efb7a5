#include "doorcast/http.h"

#include <cstring>

#include "doorcast/text.h"

namespace doorcast {

const size_t LineBuffer::kMaxLine;

void LineBuffer::clear() {
  length_ = 0;
  text_[0] = '\0';
  ended_ = false;
}

bool LineBuffer::add(uint8_t byte) {
  if (ended_) clear();
  if (byte == '\n') {
    if (length_ > 0 && text_[length_ - 1] == '\r') length_--;
    text_[length_] = '\0';
    ended_ = true;
    return true;
  }
  if (length_ < kMaxLine) {
    text_[length_++] = static_cast<char>(byte);
    text_[length_] = '\0';
  }
  return false;
}

void ResponseHead::clear() {
  status = 0;
  retryAfterSeconds = -1;
  contentLength = -1;
  chunked = false;
  connectionClose = false;
  boundary[0] = '\0';
  sampleRate = 0;
  channels = 0;
  bitDepth = 0;
}

namespace {

long smallNumber(const char* value) {
  uint64_t n;
  if (!parseNumber(value, n) || n > 86400UL * 366) return -1;
  return static_cast<long>(n);
}

// boundary=value or boundary="value", up to ';' or the end.
void takeBoundary(const char* contentType, char* out, size_t cap) {
  out[0] = '\0';
  const char* at = findIgnoringCase(contentType, "boundary=");
  if (at == nullptr) return;
  at += 9;
  bool quoted = *at == '"';
  if (quoted) at++;
  size_t n = 0;
  while (at[n] != '\0' && (quoted ? at[n] != '"' : (at[n] != ';' && at[n] != ' ' && at[n] != '\t'))) n++;
  if (n == 0 || n >= cap) return;
  std::memcpy(out, at, n);
  out[n] = '\0';
}

}  // namespace

bool ResponseHead::take(const char* line, bool statusLine) {
  if (statusLine) {
    clear();
    // "HTTP/1.1 200 " (Tomcat sends no reason phrase) or "HTTP/1.1 200 OK"
    if (std::strncmp(line, "HTTP/", 5) != 0) return false;
    const char* code = std::strchr(line, ' ');
    if (code == nullptr) return false;
    code++;
    if (code[0] < '1' || code[0] > '5' || code[1] < '0' || code[1] > '9' || code[2] < '0' || code[2] > '9') {
      return false;
    }
    if (code[3] != '\0' && code[3] != ' ') return false;
    status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    return true;
  }
  const char* value;
  if ((value = headerValue(line, "Content-Length")) != nullptr) {
    uint64_t n;
    contentLength = parseNumber(value, n) ? static_cast<int64_t>(n) : -1;
  } else if ((value = headerValue(line, "Transfer-Encoding")) != nullptr) {
    chunked = findIgnoringCase(value, "chunked") != nullptr;
  } else if ((value = headerValue(line, "Connection")) != nullptr) {
    connectionClose = findIgnoringCase(value, "close") != nullptr;
  } else if ((value = headerValue(line, "Retry-After")) != nullptr) {
    retryAfterSeconds = smallNumber(value);  // an HTTP date is left as "absent"
  } else if ((value = headerValue(line, "Content-Type")) != nullptr) {
    takeBoundary(value, boundary, sizeof boundary);
  } else if ((value = headerValue(line, "X-Sample-Rate")) != nullptr) {
    sampleRate = smallNumber(value);
  } else if ((value = headerValue(line, "X-Channels")) != nullptr) {
    channels = smallNumber(value);
  } else if ((value = headerValue(line, "X-Bit-Depth")) != nullptr) {
    bitDepth = smallNumber(value);
  }
  return true;
}

namespace {

void addRequestLine(TextBuilder& head, const char* method, const Url& server, const char* path) {
  head.add(method).add(" ").add(server.basePath).add(path).add(" HTTP/1.1\r\nHost: ").add(server.host);
  if (server.port != (server.https ? 443 : 80)) head.add(":").addNumber(server.port);
  head.add("\r\n");
}

}  // namespace

size_t formatPostHead(char* out, size_t cap, const Url& server, const char* path, const char* token,
                      const char* contentType, uint64_t contentLength, int64_t sequence) {
  TextBuilder head(out, cap);
  addRequestLine(head, "POST", server, path);
  head.add("Authorization: Bearer ").add(token).add("\r\n");
  head.add("Content-Type: ").add(contentType).add("\r\n");
  head.add("Content-Length: ").addNumber(contentLength).add("\r\n");
  if (sequence >= 0) head.add("X-Sequence: ").addNumber(static_cast<uint64_t>(sequence)).add("\r\n");
  head.add("\r\n");
  return head.finish();
}

size_t formatGetHead(char* out, size_t cap, const Url& server, const char* pathAndQuery, const char* token) {
  TextBuilder head(out, cap);
  addRequestLine(head, "GET", server, pathAndQuery);
  if (token != nullptr && token[0] != '\0') head.add("Authorization: Bearer ").add(token).add("\r\n");
  head.add("\r\n");
  return head.finish();
}

}  // namespace doorcast
