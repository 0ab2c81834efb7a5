// HTTP/1.1 as much as a doorcast device needs: request heads, and the response head read line by line.
#pragma once

#include <cstddef>
#include <cstdint>

#include "doorcast/url.h"

namespace doorcast {

// Collects bytes into one line at a time. A line longer than kMaxLine keeps its first kMaxLine characters:
// no header that doorcast's readers act on is that long, and the rest of the line must not be mistaken
// for the next one.
class LineBuffer {
 public:
  static const size_t kMaxLine = 200;

  LineBuffer() { clear(); }

  // Takes one byte; true when it was the LF that ends a line, whose text (without CR LF) is then text().
  bool add(uint8_t byte);
  const char* text() const { return text_; }
  size_t length() const { return length_; }
  void clear();

 private:
  char text_[kMaxLine + 1];
  size_t length_;
  bool ended_;
};

// What a response head said, as far as a device cares.
struct ResponseHead {
  int status;
  long retryAfterSeconds;  // -1 when absent or not a number of seconds
  int64_t contentLength;   // -1 when absent
  bool chunked;
  bool connectionClose;
  char boundary[72];  // the multipart boundary named in Content-Type, "" if none
  long sampleRate;    // X-Sample-Rate, X-Channels, X-Bit-Depth of the audio stream; 0 when absent
  long channels;
  long bitDepth;

  void clear();
  // Takes one line of the head without its CR LF: the status line first, then header lines.
  // False when the first line is not an HTTP status line.
  bool take(const char* line, bool statusLine);
};

// "POST <base><path> HTTP/1.1" with Host, the bearer token, Content-Type, Content-Length and, when
// sequence >= 0, X-Sequence. Returns the head's length, or 0 if it does not fit in out.
size_t formatPostHead(char* out, size_t cap, const Url& server, const char* path, const char* token,
                      const char* contentType, uint64_t contentLength, int64_t sequence);

// "GET <base><pathAndQuery> HTTP/1.1" with Host and, if token is neither null nor empty, a bearer token.
size_t formatGetHead(char* out, size_t cap, const Url& server, const char* pathAndQuery, const char* token);

}  // namespace doorcast
