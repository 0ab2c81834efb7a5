// The multipart frame post, byte for byte, and its Content-Length.
#include <string>

#include "check.h"
#include "doorcast/device_link.h"
#include "doorcast/frame_form.h"
#include "doorcast/protocol.h"
#include "scripted_transport.h"

using namespace doorcast;
using doorcast_test::Bytes;
using doorcast_test::testdata;
using doorcast_test::textOf;

TEST(formIsLaidOutFieldByFieldAroundTheJpeg) {
  Bytes jpeg = testdata("frame-1.jpg");
  FrameForm form("b0undary");
  CHECK(form.begin("front-door", 41, 1764111111000ULL, jpeg.size()));
  std::string body = std::string(reinterpret_cast<const char*>(form.head()), form.headLength()) + textOf(jpeg) +
                     std::string(reinterpret_cast<const char*>(form.tail()), form.tailLength());
  std::string expected =
      "--b0undary\r\nContent-Disposition: form-data; name=\"device_id\"\r\n\r\nfront-door\r\n"
      "--b0undary\r\nContent-Disposition: form-data; name=\"frame_id\"\r\n\r\n41\r\n"
      "--b0undary\r\nContent-Disposition: form-data; name=\"timestamp\"\r\n\r\n1764111111000\r\n"
      "--b0undary\r\nContent-Disposition: form-data; name=\"frame\"; filename=\"frame.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n" +
      textOf(jpeg) + "\r\n--b0undary--\r\n";
  CHECK_EQ(body, expected);
  CHECK_EQ(form.contentLength(), expected.size());
  CHECK_EQ(std::string(form.contentType()), std::string("multipart/form-data; boundary=b0undary"));
}

TEST(deviceIdAndTimestampAreLeftOutWhenUnknown) {
  FrameForm form("b");
  CHECK(form.begin(nullptr, 0, 0, 10));
  std::string head(reinterpret_cast<const char*>(form.head()), form.headLength());
  CHECK_EQ(head, std::string("--b\r\nContent-Disposition: form-data; name=\"frame_id\"\r\n\r\n0\r\n"
                             "--b\r\nContent-Disposition: form-data; name=\"frame\"; filename=\"frame.jpg\"\r\n"
                             "Content-Type: image/jpeg\r\n\r\n"));
  CHECK_EQ(form.contentLength(), form.headLength() + 10 + form.tailLength());
}

TEST(aDeviceIdTooLongForTheHeadIsRefused) {
  FrameForm form;
  std::string name(500, 'x');
  CHECK(!form.begin(name.c_str(), 1, 0, 10));
}

TEST(thePostSendsExactlyContentLengthBytes) {
  Bytes jpeg = testdata("frame-2.jpg");
  FrameForm form;
  form.begin("front-door", 7, 0, jpeg.size());
  Url url;
  parseUrl("http://127.0.0.1:8080", url);
  doorcast_test::ScriptedTransport transport;
  transport.answers = {{"HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\n{}"}};
  DeviceLink link(transport, url, "token");
  Span spans[] = {{form.head(), form.headLength()}, {jpeg.data(), jpeg.size()}, {form.tail(), form.tailLength()}};
  CHECK(link.post(kFramePath, form.contentType(), spans, 3).ok());
  const std::string& sent = transport.written.at(0);
  size_t blank = sent.find("\r\n\r\n");
  std::string head = sent.substr(0, blank + 4);
  std::string body = sent.substr(blank + 4);
  CHECK(head.find("Content-Length: " + std::to_string(form.contentLength()) + "\r\n") != std::string::npos);
  CHECK(head.find("Content-Type: multipart/form-data; boundary=doorcast-frame-5f1c9a\r\n") != std::string::npos);
  CHECK_EQ(body.size(), form.contentLength());
  CHECK(body.find(textOf(jpeg)) != std::string::npos);
}

int main() { return doorcast_test::runAll(); }
