#include "doorcast/frame_form.h"

#include "doorcast/text.h"

namespace doorcast {

FrameForm::FrameForm(const char* boundary)
    : boundary_(boundary), headLength_(0), tailLength_(0), jpegLength_(0) {
  head_[0] = '\0';
  TextBuilder(contentType_, sizeof contentType_).add("multipart/form-data; boundary=").add(boundary_);
  TextBuilder tail(tail_, sizeof tail_);
  tail.add("\r\n--").add(boundary_).add("--\r\n");
  tailLength_ = tail.finish();
}

namespace {

void openField(TextBuilder& form, const char* boundary, const char* name) {
  form.add("--").add(boundary).add("\r\nContent-Disposition: form-data; name=\"").add(name).add("\"\r\n\r\n");
}

}  // namespace

bool FrameForm::begin(const char* deviceId, uint64_t frameId, uint64_t timestampMs, size_t jpegLength) {
  TextBuilder form(head_, sizeof head_);
  if (deviceId != nullptr) {
    openField(form, boundary_, "device_id");
    form.add(deviceId).add("\r\n");
  }
  openField(form, boundary_, "frame_id");
  form.addNumber(frameId).add("\r\n");
  if (timestampMs > 0) {
    openField(form, boundary_, "timestamp");
    form.addNumber(timestampMs).add("\r\n");
  }
  form.add("--").add(boundary_).add("\r\nContent-Disposition: form-data; name=\"frame\"; filename=\"frame.jpg\"\r\n");
  form.add("Content-Type: image/jpeg\r\n\r\n");
  headLength_ = form.finish();
  jpegLength_ = jpegLength;
  return headLength_ > 0 && tailLength_ > 0;
}

}  // namespace doorcast
