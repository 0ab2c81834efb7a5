// The multipart/form-data body of one frame post, laid out as three pieces so that the JPEG goes to the
// connection straight from the camera's buffer:
//
//   head:  --B CRLF  Content-Disposition: form-data; name="device_id"  CRLF CRLF  front-door CRLF
//          --B ... name="frame_id" ... 41 CRLF
//          --B ... name="timestamp" ... 1764111111000 CRLF        (only once the clock is set)
//          --B CRLF  Content-Disposition: form-data; name="frame"; filename="frame.jpg" CRLF
//          Content-Type: image/jpeg CRLF CRLF
//   the JPEG, FF D8 ... FF D9
//   tail:  CRLF --B-- CRLF
//
// The server checks that the frame part is a whole JPEG and answers 400 otherwise.
#pragma once

#include <cstddef>
#include <cstdint>

namespace doorcast {

class FrameForm {
 public:
  // The boundary must not occur in a JPEG; at this length and with CR LF "--" before it, it will not.
  explicit FrameForm(const char* boundary = "doorcast-frame-5f1c9a");

  // Lays out the head for one frame. deviceId may be null (the field is left out), timestampMs 0 (left
  // out: the device's clock is not set yet). False if the fields do not fit.
  bool begin(const char* deviceId, uint64_t frameId, uint64_t timestampMs, size_t jpegLength);

  const uint8_t* head() const { return reinterpret_cast<const uint8_t*>(head_); }
  size_t headLength() const { return headLength_; }
  const uint8_t* tail() const { return reinterpret_cast<const uint8_t*>(tail_); }
  size_t tailLength() const { return tailLength_; }
  // head + JPEG + tail: the request's Content-Length.
  size_t contentLength() const { return headLength_ + jpegLength_ + tailLength_; }
  // "multipart/form-data; boundary=...", for the request's Content-Type.
  const char* contentType() const { return contentType_; }

 private:
  const char* boundary_;
  char head_[448];
  size_t headLength_;
  char tail_[96];
  size_t tailLength_;
  size_t jpegLength_;
  char contentType_[112];
};

}  // namespace doorcast
