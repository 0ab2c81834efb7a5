// One kept-alive connection from a device to the server, carrying one request at a time.
//
// The doorbell keeps one for frames and one for audio, so audio never waits behind a frame upload and
// each stream's posts stay in order. A new TCP (and TLS) connection per post would cost a handshake every
// 64 ms; this one is opened once and reused until the server closes it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "doorcast/http.h"
#include "doorcast/response_reader.h"
#include "doorcast/transport.h"
#include "doorcast/url.h"

namespace doorcast {

// A piece of a request body; a frame goes out as three (form head, the JPEG, form tail) without a copy.
struct Span {
  const uint8_t* data;
  size_t length;
};

// The server's answer to one post, or why there was none.
struct Answer {
  int status;                // the HTTP status; 0 when no answer came (failure says why)
  const char* failure;       // nullptr when there is an answer
  long retryAfterSeconds;    // -1 when absent
  int stored;                // the JSON answer's "stored": 1 or 0, -1 when absent
  int64_t clients;           // "clients": how many watch or listen; -1 when absent
  const char* body;          // the answer's first bytes, for the log; valid until the next post

  bool ok() const { return status >= 200 && status < 300; }
};

class DeviceLink {
 public:
  DeviceLink(Transport& transport, const Url& server, const char* token, uint32_t answerTimeoutMs = 5000);

  // Sends one POST whose body is the spans in order, and reads the whole answer. A kept-alive connection
  // that turns out to be closed already is replaced once, so the post is not lost (the server drops a
  // repeat by its frame_id or X-Sequence if the first one did arrive). sequence < 0 sends no X-Sequence.
  Answer post(const char* path, const char* contentType, const Span* spans, size_t count, int64_t sequence = -1);

  void close();
  bool open() const { return open_; }

 private:
  Answer attempt(const char* head, size_t headLength, const Span* spans, size_t count, bool& retry);
  Answer failure(const char* why);

  Transport& transport_;
  const Url& server_;
  const char* token_;
  uint32_t answerTimeoutMs_;
  bool open_;
  ResponseReader reader_;
};

}  // namespace doorcast
