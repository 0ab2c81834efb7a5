// The MJPEG reader against a stream recorded from a real doorcast (testdata/camera-stream.http: the
// response head, two blank preamble lines before the first frame, frames 1 and 2, the keep-alive re-send
// of frame 2, frame 3), fed in pieces of every size from 1 byte to the whole stream.
#include <algorithm>
#include <vector>

#include "check.h"
#include "doorcast/mjpeg_reader.h"

using doorcast::MjpegReader;
using doorcast_test::Bytes;
using doorcast_test::bytesOf;
using doorcast_test::literal;
using doorcast_test::testdata;

namespace {

struct Seen {
  Bytes jpeg;
  uint64_t sequence;
  bool repeat;
};

// Feeds stream in pieces of pieceSize, as a socket might deliver it, and collects every frame.
std::vector<Seen> readInPieces(MjpegReader& reader, const Bytes& stream, size_t pieceSize) {
  std::vector<Seen> seen;
  reader.reset();
  for (size_t at = 0; at < stream.size(); at += pieceSize) {
    const uint8_t* piece = stream.data() + at;
    size_t left = std::min(pieceSize, stream.size() - at);
    while (left > 0) {
      size_t used = reader.feed(piece, left);
      piece += used;
      left -= used;
      if (reader.frameReady()) {
        seen.push_back({Bytes(reader.frame(), reader.frame() + reader.frameLength()), reader.sequence(),
                        reader.repeat()});
      }
      if (reader.failed()) return seen;
      if (used == 0 && !reader.frameReady()) break;
    }
  }
  return seen;
}

}  // namespace

TEST(recordedStreamGivesEveryFrameWhateverThePieceSize) {
  Bytes stream = testdata("camera-stream.http");
  Bytes frame1 = testdata("frame-1.jpg");
  Bytes frame2 = testdata("frame-2.jpg");
  Bytes frame3 = testdata("frame-3.jpg");
  std::vector<uint8_t> buffer(64 * 1024);
  MjpegReader reader(buffer.data(), buffer.size());
  int wrong = 0;
  for (size_t piece = 1; piece <= stream.size(); piece++) {
    std::vector<Seen> seen = readInPieces(reader, stream, piece);
    bool right = !reader.failed() && reader.streaming() && seen.size() == 4 && seen[0].jpeg == frame1 &&
                 seen[1].jpeg == frame2 && seen[2].jpeg == frame2 && seen[3].jpeg == frame3 &&
                 seen[0].sequence == 1 && seen[1].sequence == 2 && seen[2].sequence == 2 && seen[3].sequence == 3 &&
                 !seen[0].repeat && !seen[1].repeat && seen[2].repeat && !seen[3].repeat;
    if (!right && wrong++ < 3) {
      CHECK(right);
      std::cout << "      piece size " << piece << ": " << seen.size() << " frames, error '" << reader.error()
                << "'" << std::endl;
    }
  }
  CHECK_EQ(wrong, 0);
}

TEST(responseHeadIsRead) {
  Bytes stream = testdata("camera-stream.http");
  std::vector<uint8_t> buffer(64 * 1024);
  MjpegReader reader(buffer.data(), buffer.size());
  readInPieces(reader, stream, stream.size());
  CHECK_EQ(reader.head().status, 200);
  CHECK_EQ(std::string(reader.head().boundary), std::string("doorcast"));
  CHECK(reader.head().connectionClose);
  CHECK(!reader.head().chunked);
  CHECK_EQ(reader.frames(), 4u);
  CHECK(reader.timestamp() > 1700000000000ULL);
}

TEST(framesLargerThanTheBufferAreSkippedNotStored) {
  Bytes stream = testdata("camera-stream.http");
  Bytes frame3 = testdata("frame-3.jpg");
  std::vector<uint8_t> buffer(frame3.size() - 1);  // frames 1 and 2 fit, frame 3 does not
  MjpegReader reader(buffer.data(), buffer.size());
  std::vector<Seen> seen = readInPieces(reader, stream, 7);
  CHECK(!reader.failed());
  CHECK_EQ(seen.size(), 3u);
  CHECK_EQ(reader.oversized(), 1u);
}

TEST(aRefusedStreamReportsStatusAndRetryAfter) {
  Bytes answer = bytesOf(
      "HTTP/1.1 503 \r\nRetry-After: 5\r\nContent-Type: application/problem+json\r\nConnection: close\r\n\r\n"
      "{\"detail\":\"This server already streams to its limit of 1 viewers; try again shortly\"}");
  uint8_t buffer[1024];
  MjpegReader reader(buffer, sizeof buffer);
  reader.feed(answer.data(), answer.size());
  CHECK(reader.failed());
  CHECK(!reader.streaming());
  CHECK_EQ(reader.head().status, 503);
  CHECK_EQ(reader.head().retryAfterSeconds, 5L);
}

TEST(aChunkedStreamIsRefusedRatherThanDrawnAsGarbage) {
  Bytes answer = bytesOf(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
      "Content-Type: multipart/x-mixed-replace;boundary=doorcast\r\n\r\n1c\r\n--doorcast\r\n");
  uint8_t buffer[1024];
  MjpegReader reader(buffer, sizeof buffer);
  reader.feed(answer.data(), answer.size());
  CHECK(reader.failed());
  CHECK(std::string(reader.error()).find("chunked") != std::string::npos);
}

TEST(aPartWithoutContentLengthFails) {
  Bytes stream = bytesOf(
      "HTTP/1.1 200 \r\nContent-Type: multipart/x-mixed-replace;boundary=doorcast\r\n\r\n"
      "--doorcast\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xd9\r\n--doorcast\r\n");
  uint8_t buffer[1024];
  MjpegReader reader(buffer, sizeof buffer);
  reader.feed(stream.data(), stream.size());
  CHECK(reader.failed());
  CHECK(!reader.frameReady());
}

TEST(aWrongContentLengthFailsInsteadOfGivingAShiftedFrame) {
  // Content-Length one short: the byte after "the JPEG" is FF D9's last, not CR LF.
  Bytes stream = bytesOf(
      "HTTP/1.1 200 \r\nContent-Type: multipart/x-mixed-replace;boundary=doorcast\r\n\r\n"
      "--doorcast\r\nContent-Length: 3\r\n\r\n\xff\xd8\xff\xd9\r\n--doorcast\r\n");
  uint8_t buffer[1024];
  MjpegReader reader(buffer, sizeof buffer);
  size_t used = 0;
  bool sawFrame = false;
  while (used < stream.size() && !reader.failed()) {
    used += reader.feed(stream.data() + used, stream.size() - used);
    sawFrame = sawFrame || reader.frameReady();
  }
  CHECK(reader.failed());
  CHECK(!sawFrame);
}

TEST(headersInAnyOrderQuotedBoundaryAndTheClosingBoundary) {
  Bytes stream = literal(
      "HTTP/1.0 200 OK\r\ncontent-type: multipart/x-mixed-replace; boundary=\"frame\"\r\n\r\n"
      "This is a preamble line.\r\n"
      "--frame\r\nx-sequence: 7\r\ncontent-length: 4\r\ncontent-type: image/jpeg\r\n\r\n\xff\xd8\xff\xd9\r\n"
      "--frame  \r\nContent-Length: 4\r\n\r\n\xff\xd8\x00\xd9\r\n--frame--\r\n");
  uint8_t buffer[16];
  MjpegReader reader(buffer, sizeof buffer);
  std::vector<Bytes> frames;
  size_t used = 0;
  while (used < stream.size() && !reader.failed() && !reader.ended()) {
    used += reader.feed(stream.data() + used, stream.size() - used);
    if (reader.frameReady()) frames.push_back(Bytes(reader.frame(), reader.frame() + reader.frameLength()));
  }
  CHECK(!reader.failed());
  CHECK(reader.ended());
  CHECK_EQ(frames.size(), 2u);
  if (frames.size() == 2) {
    CHECK_EQ(frames[0], Bytes({0xff, 0xd8, 0xff, 0xd9}));
    CHECK_EQ(frames[1], Bytes({0xff, 0xd8, 0x00, 0xd9}));
  }
}

TEST(aStreamCutMidFrameGivesNothingAndWaitsForMore) {
  Bytes stream = testdata("camera-stream.http");
  std::vector<uint8_t> buffer(64 * 1024);
  MjpegReader reader(buffer.data(), buffer.size());
  // Everything up to the middle of the first JPEG.
  std::string text(stream.begin(), stream.end());
  size_t firstJpeg = text.find("\r\n\r\n\xff\xd8");
  CHECK(firstJpeg != std::string::npos);
  size_t cut = firstJpeg + 4 + 100;
  size_t used = reader.feed(stream.data(), cut);
  CHECK_EQ(used, cut);
  CHECK(!reader.frameReady());
  CHECK(!reader.failed());
  CHECK(reader.streaming());
}

int main() { return doorcast_test::runAll(); }
