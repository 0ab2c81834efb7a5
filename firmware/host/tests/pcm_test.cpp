// Microphone samples to 16-bit PCM chunks, and the audio stream read back: testdata/audio-stream.http
// was recorded from a real doorcast (the head, 10 ms of keep-alive silence, then two posted chunks of
// testdata/tone-440hz.pcm).
#include <algorithm>
#include <cmath>
#include <vector>

#include "check.h"
#include "doorcast/audio_reader.h"
#include "doorcast/pcm.h"

using namespace doorcast;
using doorcast_test::Bytes;
using doorcast_test::testdata;

namespace {

// What an INMP441 delivers: a 24-bit sample in the top of a 32-bit slot.
int32_t slot(int32_t sample24) { return static_cast<int32_t>(static_cast<uint32_t>(sample24) << 8); }

struct Collect : PcmSink {
  Bytes pcm;
  bool oddCall = false;
  void onPcm(const uint8_t* data, size_t bytes) override {
    oddCall = oddCall || bytes % 2 != 0;
    pcm.insert(pcm.end(), data, data + bytes);
  }
};

}  // namespace

TEST(the24BitSampleBecomesItsTop16Bits) {
  MicConverter mic(0, false);
  int32_t in[] = {slot(0), slot(256), slot(-256), slot(0x7FFFFF), slot(-0x800000), slot(1000 * 256 + 255)};
  int16_t out[6];
  mic.convert(in, 6, out);
  CHECK_EQ(out[0], 0);
  CHECK_EQ(out[1], 1);
  CHECK_EQ(out[2], -1);
  CHECK_EQ(out[3], 32767);
  CHECK_EQ(out[4], -32768);
  CHECK_EQ(out[5], 1000);
  CHECK_EQ(mic.takePeak(), 32767);
  CHECK_EQ(mic.takePeak(), 0);
}

TEST(gainAmplifiesAndClipsInsteadOfWrappingAround) {
  MicConverter mic(3, false);
  int32_t in[] = {slot(1000 * 256), slot(-1000 * 256), slot(5000 * 256), slot(-5000 * 256)};
  int16_t out[4];
  mic.convert(in, 4, out);
  CHECK_EQ(out[0], 8000);
  CHECK_EQ(out[1], -8000);
  CHECK_EQ(out[2], 32767);
  CHECK_EQ(out[3], -32768);
}

TEST(theMicrophonesDcOffsetIsRemoved) {
  // A 440 Hz tone riding on a DC offset of 3000 (16-bit steps), as a real INMP441 may have.
  MicConverter mic(0, true);
  std::vector<int32_t> in(16000);
  for (size_t i = 0; i < in.size(); i++) {
    double tone = 8000 * std::sin(2 * M_PI * 440 * static_cast<double>(i) / 16000);
    in[i] = slot(static_cast<int32_t>((tone + 3000) * 256));
  }
  std::vector<int16_t> out(in.size());
  mic.convert(in.data(), in.size(), out.data());
  // After the first quarter second the mean is gone and the tone is intact.
  double sum = 0;
  int16_t highest = 0;
  for (size_t i = 4000; i < out.size(); i++) {
    sum += out[i];
    highest = std::max(highest, out[i]);
  }
  double mean = sum / static_cast<double>(out.size() - 4000);
  CHECK(std::fabs(mean) < 50);
  CHECK(highest > 7600 && highest < 8400);
}

TEST(chunksAre2048LittleEndianBytesNumberedInOrder) {
  PcmChunker chunker(100);
  std::vector<int16_t> samples(1500);
  for (size_t i = 0; i < samples.size(); i++) samples[i] = static_cast<int16_t>(i * 37 - 20000);
  size_t taken = chunker.add(samples.data(), 600);
  CHECK_EQ(taken, 600u);
  CHECK(!chunker.ready());
  taken = chunker.add(samples.data() + 600, 900);
  CHECK_EQ(taken, 424u);  // up to 1024 samples
  CHECK(chunker.ready());
  CHECK_EQ(chunker.chunkBytes(), 2048u);
  CHECK_EQ(chunker.sequence(), 100u);
  bool littleEndian = true;
  for (size_t i = 0; i < 1024; i++) {
    uint16_t value = static_cast<uint16_t>(samples[i]);
    littleEndian = littleEndian && chunker.chunk()[2 * i] == (value & 0xFF) && chunker.chunk()[2 * i + 1] == (value >> 8);
  }
  CHECK(littleEndian);
  chunker.next();
  CHECK_EQ(chunker.sequence(), 101u);
  CHECK(!chunker.ready());
}

TEST(recordedAudioStreamGivesWholeSamplesWhateverThePieceSize) {
  Bytes stream = testdata("audio-stream.http");
  Bytes tone = testdata("tone-440hz.pcm");
  Bytes expected(320, 0);  // the keep-alive silence came first
  expected.insert(expected.end(), tone.begin(), tone.end());
  int wrong = 0;
  for (size_t piece = 1; piece <= stream.size(); piece++) {
    Collect sink;
    AudioStreamReader reader(sink);
    for (size_t at = 0; at < stream.size(); at += piece) {
      reader.feed(stream.data() + at, std::min(piece, stream.size() - at));
    }
    bool right = reader.streaming() && !sink.oddCall && sink.pcm == expected;
    if (!right && wrong++ < 3) {
      CHECK(right);
      std::cout << "      piece size " << piece << ": " << sink.pcm.size() << " bytes" << std::endl;
    }
  }
  CHECK_EQ(wrong, 0);
}

TEST(audioStreamHeadIsChecked) {
  Collect sink;
  AudioStreamReader reader(sink);
  Bytes stream = testdata("audio-stream.http");
  reader.feed(stream.data(), stream.size());
  CHECK_EQ(reader.head().sampleRate, 16000L);
  CHECK_EQ(reader.head().channels, 1L);
  CHECK_EQ(reader.head().bitDepth, 16L);

  std::string other = "HTTP/1.1 200 \r\nX-Sample-Rate: 44100\r\n\r\n\x01\x02";
  reader.reset();
  reader.feed(reinterpret_cast<const uint8_t*>(other.data()), other.size());
  CHECK(reader.failed());

  std::string full = "HTTP/1.1 503 \r\nRetry-After: 5\r\n\r\n{}";
  reader.reset();
  reader.feed(reinterpret_cast<const uint8_t*>(full.data()), full.size());
  CHECK(reader.failed());
  CHECK_EQ(reader.head().status, 503);
  CHECK_EQ(reader.head().retryAfterSeconds, 5L);
}

int main() { return doorcast_test::runAll(); }
