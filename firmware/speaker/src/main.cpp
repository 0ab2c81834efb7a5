// The speaker: plays the doorbell's microphone from GET /api/v1/stream/audio through an I2S amplifier.
// The portable AudioStreamReader (firmware/lib/doorcast) checks the head and hands on whole 16-bit
// samples only (TCP may split one between two reads); i2s_write blocks while the DMA buffers are full,
// which paces the loop at the speaker's 16 kHz without timing of its own.
#include <Arduino.h>
#include <driver/i2s.h>

#include <DoorcastArduino.h>
#include <doorcast/audio_reader.h>
#include <doorcast/backoff.h>
#include <doorcast/http.h>
#include <doorcast/protocol.h>
#include <doorcast/text.h>
#include <doorcast/url.h>

#include "config.h"

namespace {

// While the doorbell is silent the server sends 10 ms of silence a second: five quiet seconds mean the
// connection is dead.
const uint32_t kQuietMs = 5000;
const i2s_port_t kSpeakerPort = I2S_NUM_0;

// Plays what the reader hands on.
class Speaker : public doorcast::PcmSink {
 public:
  void onPcm(const uint8_t* pcm, size_t bytes) override {
    size_t written = 0;
    i2s_write(kSpeakerPort, pcm, bytes, &written, portMAX_DELAY);
  }
};

doorcast::Url server;
doorcast_arduino::ServerConnection connection;
doorcast::Backoff backoff(1);
Speaker speaker;
doorcast::AudioStreamReader reader(speaker);
char path[160];
bool streaming = false;
uint32_t lastByteAt = 0;

bool startSpeaker() {
  i2s_config_t config = {};
  config.mode = static_cast<i2s_mode_t>(I2S_MODE_MASTER | I2S_MODE_TX);
  config.sample_rate = doorcast::kSampleRate;
  config.bits_per_sample = I2S_BITS_PER_SAMPLE_16BIT;
  config.channel_format = I2S_CHANNEL_FMT_ONLY_LEFT;
  config.communication_format = I2S_COMM_FORMAT_STAND_I2S;
  config.intr_alloc_flags = ESP_INTR_FLAG_LEVEL1;
  // 8 x 256 samples = 128 ms queued: enough to ride out Wi-Fi jitter, little enough to stay live. ESP-IDF
  // 4.4's names (Arduino-ESP32 2.0.x); 5.x renamed them dma_desc_num and dma_frame_num.
  config.dma_buf_count = 8;
  config.dma_buf_len = 256;
  config.use_apll = false;
  config.tx_desc_auto_clear = true;  // silence, not a repeated buffer, when the stream stalls
  i2s_pin_config_t pins = {};
  pins.mck_io_num = I2S_PIN_NO_CHANGE;
  pins.bck_io_num = SPEAKER_BCLK_PIN;
  pins.ws_io_num = SPEAKER_LRCK_PIN;
  pins.data_out_num = SPEAKER_DOUT_PIN;
  pins.data_in_num = I2S_PIN_NO_CHANGE;
  esp_err_t err = i2s_driver_install(kSpeakerPort, &config, 0, nullptr);
  if (err == ESP_OK) err = i2s_set_pin(kSpeakerPort, &pins);
  if (err != ESP_OK) Serial.printf("[speaker] I2S setup failed: 0x%x\n", err);
  return err == ESP_OK;
}

void dropStream(const char* why) {
  connection.transport().close();
  streaming = false;
  uint32_t wait = backoff.afterConnectionLoss(millis());
  Serial.printf("[speaker] %s; again in %lu ms\n", why, static_cast<unsigned long>(wait));
}

void openStream() {
  char head[384];
  size_t n = doorcast::formatGetHead(head, sizeof head, server, path, VIEWER_TOKEN);
  if (!connection.transport().connect(server.host, server.port)) {
    dropStream("no connection to the server");
  } else if (n == 0 || !connection.transport().write(reinterpret_cast<const uint8_t*>(head), n)) {
    dropStream("could not send the request");
  } else {
    reader.reset();
    streaming = true;
    lastByteAt = millis();
  }
}

}  // namespace

void setup() {
  Serial.begin(115200);
  if (!doorcast::parseUrl(DOORCAST_URL, server)) {
    Serial.printf("DOORCAST_URL in config.h is not an http:// or https:// URL: %s\n", DOORCAST_URL);
    for (;;) delay(1000);
  }
  doorcast::TextBuilder query(path, sizeof path);
  query.add(doorcast::kAudioStreamPath);
  if (DOORBELL[0] != '\0') query.add("?device=").add(DOORBELL);
  connection.begin(server, DOORCAST_CA_CERT);
  if (!startSpeaker()) {
    for (;;) delay(1000);
  }
  doorcast_arduino::connectWifi(WIFI_SSID, WIFI_PASSWORD);
  backoff = doorcast::Backoff(esp_random());
}

void loop() {
  if (!streaming) {
    if (backoff.ready(millis())) openStream();
    else delay(20);
    return;
  }
  static uint8_t chunk[1460];
  long n = connection.transport().read(chunk, sizeof chunk, 100);
  if (n < 0) {
    dropStream("the server closed the stream");
    return;
  }
  if (n == 0) {
    if (millis() - lastByteAt > kQuietMs) dropStream("the stream went quiet");
    return;
  }
  lastByteAt = millis();
  reader.feed(chunk, static_cast<size_t>(n));
  if (reader.failed()) {
    const doorcast::ResponseHead& head = reader.head();
    connection.transport().close();
    streaming = false;
    uint32_t wait = head.status != 0 && head.status != 200
                        ? backoff.afterAnswer(head.status, head.retryAfterSeconds, millis())
                        : backoff.afterConnectionLoss(millis());
    Serial.printf("[speaker] %s (HTTP %d): %s; again in %lu ms\n", reader.error(), head.status, backoff.reason(),
                  static_cast<unsigned long>(wait));
  } else if (reader.streaming()) {
    backoff.reset();
  }
}
