// Reads GET /api/v1/stream/camera as it arrives, in pieces of any size, into one caller-owned buffer.
//
// What comes over the socket (close-delimited, never chunked):
//
//   HTTP/1.1 200 CRLF ... Content-Type: multipart/x-mixed-replace;boundary=doorcast CRLF CRLF
//   CRLF CRLF ...                 blank lines, one a second, until the server has a first frame
//   --doorcast CRLF
//   Content-Type: image/jpeg CRLF
//   Content-Length: 7275 CRLF
//   X-Timestamp: 1795649688661 CRLF
//   X-Sequence: 29 CRLF
//   CRLF                          the blank line: the JPEG starts with the next byte
//   <exactly 7275 bytes of JPEG> CRLF
//   --doorcast CRLF               ends this part and opens the next
//   ...
//
// With no new frame for a second the server sends the last one again with the same X-Sequence; such a
// part is reported as a repeat, which a display need not decode again. The header lines of a part may
// come in any order. Anything else (a part without Content-Length, a JPEG not followed by CR LF and the
// boundary, chunked encoding from a proxy) fails the reader: drop the connection and open a new one, which
// costs little since a new viewer gets the newest frame at once.
#pragma once

#include <cstddef>
#include <cstdint>

#include "doorcast/http.h"

namespace doorcast {

class MjpegReader {
 public:
  // Frames longer than capacity are read past and counted in oversized(), never stored.
  MjpegReader(uint8_t* frameBuffer, size_t capacity);

  // Starts again at a response head, for a new connection.
  void reset();

  // Takes bytes as they arrived; returns how many it used. It stops right after a frame is complete so
  // that the caller can use it (frameReady()) before more bytes arrive: feed the rest afterwards.
  size_t feed(const uint8_t* data, size_t len);

  // The response head was 200 with a multipart boundary: parts follow.
  bool streaming() const;
  bool failed() const { return state_ == kFailed; }
  // The server closed the multipart body with its final boundary.
  bool ended() const { return state_ == kEnded; }
  const char* error() const { return error_; }
  const ResponseHead& head() const { return head_; }

  // A whole frame has just been read; valid until the next feed().
  bool frameReady() const { return frameReady_; }
  const uint8_t* frame() const { return frame_; }
  size_t frameLength() const { return frameLength_; }
  // Its X-Sequence (0 when absent) and X-Timestamp (server arrival, epoch ms; 0 when absent).
  uint64_t sequence() const { return sequence_; }
  uint64_t timestamp() const { return timestamp_; }
  // The same X-Sequence as the frame before it: the server's keep-alive re-send.
  bool repeat() const { return repeat_; }

  uint32_t frames() const { return frames_; }
  uint32_t oversized() const { return oversized_; }

 private:
  enum State { kStatus, kHead, kPreamble, kPartHeaders, kBody, kAfterBody, kBoundary, kEnded, kFailed };

  void onLine(const char* line);
  void fail(const char* why);
  // 1 for "--boundary", 2 for the closing "--boundary--", 0 for anything else.
  int boundaryLine(const char* line) const;
  void partDone();

  uint8_t* buffer_;
  size_t capacity_;
  State state_;
  const char* error_;
  ResponseHead head_;
  LineBuffer line_;

  // the part being read
  int64_t partLength_;
  uint64_t partSequence_;
  uint64_t partTimestamp_;
  bool partHasSequence_;
  uint64_t remaining_;
  size_t stored_;
  bool fits_;

  // the last complete frame
  bool frameReady_;
  const uint8_t* frame_;
  size_t frameLength_;
  uint64_t sequence_;
  uint64_t timestamp_;
  bool repeat_;
  bool haveSequence_;

  uint32_t frames_;
  uint32_t oversized_;
};

}  // namespace doorcast
