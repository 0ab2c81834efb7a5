// The doorbell: an AI-Thinker ESP32-CAM that sends its camera and an INMP441 microphone to doorcast, rings
// when its button is pressed, and plays what viewers say on a MAX98357A if one is fitted. The protocol (the
// link, forms, chunks, answers, backoff, what to send next) is in firmware/lib/doorcast; this file is the
// hardware and the tasks that drive it.
//
// The link: one WebSocket (one TLS session) carries frames, audio and rings up and the speaker's audio and
// the server's notices down. The link task owns it and asks the UplinkPlanner what goes next: a ring at
// once, then the microphone's chunks, then a frame only when no audio waits (the camera grabs the newest
// picture, so frames the uplink cannot carry are dropped). While nobody views the camera it sends a frame
// every 2 s; while nobody listens the microphone sends nothing. The microphone task only records and
// queues. The button is polled in loop().
//
// A server without the link answers its upgrade 404: the doorbell then posts as before, each stream on a
// kept-alive connection of its own (the link task posts the frames and rings, the microphone task its
// chunks), and tries the link again every few minutes (doorcast::LinkRetry), so that a server updated to
// one with the link gets it without the doorbell restarting.
#include <Arduino.h>
#include <WiFi.h>
#include <driver/i2s.h>
#include <esp_camera.h>

#include <DoorcastArduino.h>
#include <doorcast/backoff.h>
#include <doorcast/button.h>
#include <doorcast/device_link.h>
#include <doorcast/doorbell_uplink.h>
#include <doorcast/frame_form.h>
#include <doorcast/link.h>
#include <doorcast/link_retry.h>
#include <doorcast/pcm.h>
#include <doorcast/protocol.h>
#include <doorcast/ring.h>
#include <doorcast/uplink.h>
#include <doorcast/url.h>
#include <doorcast/websocket.h>

#include "config.h"

// Settings added after some config.h files were written: their defaults.
#ifndef SPEAKER_FITTED
#define SPEAKER_FITTED 0
#endif
#ifndef SPEAKER_DIN_PIN
#define SPEAKER_DIN_PIN 2
#endif
#ifndef SPEAKER_ATTENUATION_BITS
#define SPEAKER_ATTENUATION_BITS 0
#endif

namespace {

// The AI-Thinker board: the OV2640's pins, as in esp32-camera's pin map for it.
const int kCameraPwdn = 32, kCameraXclk = 0, kCameraSda = 26, kCameraScl = 27;
const int kCameraD7 = 35, kCameraD6 = 34, kCameraD5 = 39, kCameraD4 = 36;
const int kCameraD3 = 21, kCameraD2 = 19, kCameraD1 = 18, kCameraD0 = 5;
const int kCameraVsync = 25, kCameraHref = 23, kCameraPclk = 22;
const int kFlashLed = 4;  // the bright white LED; it would glow faintly if left floating
const int kRedLed = 33;   // the small red LED on the back, lit when low: blinks on a press

// I2S0 drives the camera's parallel bus on the ESP32, so the microphone takes I2S1; a speaker shares that
// port (full duplex: the same clocks, its own data pin).
const i2s_port_t kMicPort = I2S_NUM_1;
// DMA buffers hold 8 x 512 samples = 256 ms: the microphone keeps recording while a post is under way.
const int kMicDmaBuffers = 8;
const int kMicDmaSamples = 512;

doorcast::Url server;
// The link's connection; the camera's posts reuse it on a server without the link.
doorcast_arduino::ServerConnection mainConnection;
doorcast_arduino::ServerConnection micConnection;  // only for posting, on a server without the link
doorcast::DeviceLink cameraLink(mainConnection.transport(), server, DEVICE_TOKEN);
doorcast::DeviceLink micLink(micConnection.transport(), server, DEVICE_TOKEN);

QueueHandle_t rings;  // presses (epoch ms, 0 if the clock is unset) waiting to be sent

// 64 ms of audio on its way from the microphone task to the link task.
struct AudioChunk {
  uint64_t sequence;
  uint64_t timestampMs;
  uint8_t pcm[doorcast::kChunkBytes];
};
// 8 chunks: 512 ms, enough to wait behind one large frame on a slow uplink. When full, the oldest goes.
const int kAudioQueueLength = 8;
QueueHandle_t audioQueue;

volatile bool posting = false;   // the server has no link: frames, chunks and rings go as posts
volatile bool micWanted = true;  // someone listens (the server's watching.audio)

bool startCamera() {
  camera_config_t config = {};
  config.pin_pwdn = kCameraPwdn;
  config.pin_reset = -1;
  config.pin_xclk = kCameraXclk;
  config.pin_sccb_sda = kCameraSda;
  config.pin_sccb_scl = kCameraScl;
  config.pin_d7 = kCameraD7;
  config.pin_d6 = kCameraD6;
  config.pin_d5 = kCameraD5;
  config.pin_d4 = kCameraD4;
  config.pin_d3 = kCameraD3;
  config.pin_d2 = kCameraD2;
  config.pin_d1 = kCameraD1;
  config.pin_d0 = kCameraD0;
  config.pin_vsync = kCameraVsync;
  config.pin_href = kCameraHref;
  config.pin_pclk = kCameraPclk;
  config.xclk_freq_hz = 20000000;
  config.ledc_timer = LEDC_TIMER_0;
  config.ledc_channel = LEDC_CHANNEL_0;
  config.pixel_format = PIXFORMAT_JPEG;
  config.frame_size = FRAME_SIZE;
  config.jpeg_quality = JPEG_QUALITY;
  // Two buffers in PSRAM, and esp_camera_fb_get() always returns the newest picture rather than one
  // that waited in the queue while the last frame was uploading.
  config.fb_count = 2;
  config.fb_location = CAMERA_FB_IN_PSRAM;
  config.grab_mode = CAMERA_GRAB_LATEST;
  esp_err_t err = esp_camera_init(&config);
  if (err != ESP_OK) Serial.printf("[camera] esp_camera_init failed: 0x%x\n", err);
  return err == ESP_OK;
}

bool startMicrophone() {
  i2s_config_t config = {};
  config.mode = static_cast<i2s_mode_t>(I2S_MODE_MASTER | I2S_MODE_RX | (SPEAKER_FITTED ? I2S_MODE_TX : 0));
  config.sample_rate = doorcast::kSampleRate;
  config.bits_per_sample = I2S_BITS_PER_SAMPLE_32BIT;  // the INMP441's 24 bits come in 32-bit slots
  config.channel_format = MIC_RIGHT_SLOT ? I2S_CHANNEL_FMT_ONLY_RIGHT : I2S_CHANNEL_FMT_ONLY_LEFT;
  config.communication_format = I2S_COMM_FORMAT_STAND_I2S;
  config.intr_alloc_flags = ESP_INTR_FLAG_LEVEL1;
  // ESP-IDF 4.4's names (Arduino-ESP32 2.0.x); 5.x renamed them dma_desc_num and dma_frame_num.
  config.dma_buf_count = kMicDmaBuffers;
  config.dma_buf_len = kMicDmaSamples;
  config.use_apll = false;
  config.tx_desc_auto_clear = true;  // the speaker plays silence, not the last buffer again, when talk stops
  i2s_pin_config_t pins = {};
  pins.mck_io_num = I2S_PIN_NO_CHANGE;
  pins.bck_io_num = MIC_SCK_PIN;
  pins.ws_io_num = MIC_WS_PIN;
  pins.data_out_num = SPEAKER_FITTED ? SPEAKER_DIN_PIN : I2S_PIN_NO_CHANGE;
  pins.data_in_num = MIC_SD_PIN;
  esp_err_t err = i2s_driver_install(kMicPort, &config, 0, nullptr);
  if (err == ESP_OK) err = i2s_set_pin(kMicPort, &pins);
  if (err != ESP_OK) Serial.printf("[mic] I2S setup failed: 0x%x\n", err);
  return err == ESP_OK;
}

// Feeds an answer to the stream's backoff and says in the log what is going on.
void act(const char* stream, const doorcast::Answer& answer, doorcast::Backoff& backoff) {
  bool wasFailing = backoff.failures() > 0;
  uint32_t now = millis();
  uint32_t wait = answer.status == 0 ? backoff.afterConnectionLoss(now)
                                     : backoff.afterAnswer(answer.status, answer.retryAfterSeconds, now);
  if (answer.ok()) {
    if (wasFailing) Serial.printf("[%s] posting again\n", stream);
    return;
  }
  if (answer.status == 0) {
    Serial.printf("[%s] %s\n", stream, answer.failure);
  } else {
    Serial.printf("[%s] HTTP %d %s\n", stream, answer.status, answer.body);
  }
  if (wait > 0) Serial.printf("[%s] %s: pausing %lu ms\n", stream, backoff.reason(), static_cast<unsigned long>(wait));
}

// Posts the oldest waiting ring, if any, over the camera's connection.
void postWaitingRing() {
  static bool toldNoEndpoint = false;
  static int attempts = 0;
  uint64_t pressedAt;
  if (xQueuePeek(rings, &pressedAt, 0) != pdTRUE) return;
  doorcast::Answer answer = doorcast::postRing(cameraLink, pressedAt);
  doorcast::RingOutcome outcome = doorcast::ringOutcome(answer);
  if (outcome == doorcast::RingOutcome::kRetry && ++attempts < 5) {
    Serial.printf("[ring] not delivered (%s), trying again\n", answer.failure != nullptr ? answer.failure : "busy");
    return;
  }
  xQueueReceive(rings, &pressedAt, 0);
  attempts = 0;
  if (outcome == doorcast::RingOutcome::kDelivered) {
    Serial.println("[ring] delivered");
  } else if (outcome == doorcast::RingOutcome::kNotOnServer) {
    // POST /api/v1/devices/doorbell/ring exists on every doorcast with the link; a 404 here is an older
    // server, or a URL that does not lead to doorcast.
    if (!toldNoEndpoint) Serial.println("[ring] the server answered 404 for the ring: is DOORCAST_URL this doorcast?");
    toldNoEndpoint = true;
  } else {
    Serial.printf("[ring] dropped: HTTP %d %s\n", answer.status, answer.body);
  }
}

// One turn of posting, on a server without the link: the waiting ring, then a frame, then the rest of the
// frame interval. Runs in the link task, which owns the connection it shares with the link.
void postTurn(bool camera) {
  static doorcast::FrameForm form;
  static doorcast::Backoff backoff(esp_random());
  static uint64_t frameId = 0;  // from 0 after every boot: the server takes a much lower number for a restart
  const uint32_t interval = 1000 / FRAMES_PER_SECOND;
  uint32_t started = millis();
  postWaitingRing();
  if (camera && backoff.ready(started)) {
    camera_fb_t* frame = esp_camera_fb_get();
    if (frame != nullptr) {
      // The JPEG goes to the connection straight from the camera's buffer, between the form's head and
      // tail; the driver fills the other buffer meanwhile.
      if (form.begin(DEVICE_ID, frameId++, doorcast_arduino::epochMs(), frame->len)) {
        doorcast::Span spans[] = {
            {form.head(), form.headLength()}, {frame->buf, frame->len}, {form.tail(), form.tailLength()}};
        act("camera", cameraLink.post(doorcast::kFramePath, form.contentType(), spans, 3), backoff);
      }
      esp_camera_fb_return(frame);
    }
  }
  uint32_t spent = millis() - started;
  vTaskDelay(pdMS_TO_TICKS(spent < interval ? interval - spent : 1));
}

// Plays 16-bit PCM from the link on the MAX98357A: each sample into the 32-bit slot the shared I2S port
// runs at. Never blocks the link: what does not fit in the DMA buffers (128+ ms) is dropped.
void playSpeaker(const uint8_t* pcm, size_t bytes) {
#if SPEAKER_FITTED
  static int32_t slots[256];
  size_t samples = bytes / 2;
  for (size_t at = 0; at < samples;) {
    size_t n = samples - at < 256 ? samples - at : 256;
    for (size_t i = 0; i < n; i++) {
      int16_t sample = static_cast<int16_t>(pcm[2 * (at + i)] | pcm[2 * (at + i) + 1] << 8);
      slots[i] = static_cast<int32_t>(sample) << (16 - SPEAKER_ATTENUATION_BITS);
    }
    size_t written = 0;
    i2s_write(kMicPort, slots, n * sizeof(int32_t), &written, 0);
    at += n;
  }
#else
  (void)pcm, (void)bytes;
#endif
}

void micTask(void*) {
  static int32_t slots[doorcast::kChunkSamples];
  static int16_t samples[doorcast::kChunkSamples];
  static AudioChunk chunk;
  doorcast::MicConverter mic(MIC_GAIN_BITS);
  doorcast::PcmChunker chunker(0);
  doorcast::Backoff backoff(esp_random());
  uint32_t levelShownAt = millis();
  for (;;) {
    size_t bytes = 0;
    i2s_read(kMicPort, slots, sizeof slots, &bytes, portMAX_DELAY);  // 64 ms of recording
    size_t count = bytes / sizeof(int32_t);
    mic.convert(slots, count, samples);
    for (size_t at = 0; at < count;) {
      at += chunker.add(samples + at, count - at);
      if (!chunker.ready()) break;
      if (posting) {
        if (backoff.ready(millis())) {
          doorcast::Span span = {chunker.chunk(), chunker.chunkBytes()};
          act("mic", micLink.post(doorcast::kAudioPath, "application/octet-stream", &span, 1,
                                  static_cast<int64_t>(chunker.sequence())), backoff);
        }
      } else if (micWanted) {
        chunk.sequence = chunker.sequence();
        chunk.timestampMs = doorcast_arduino::epochMs();
        memcpy(chunk.pcm, chunker.chunk(), chunker.chunkBytes());
        if (xQueueSend(audioQueue, &chunk, 0) != pdTRUE) {
          static AudioChunk oldest;
          xQueueReceive(audioQueue, &oldest, 0);  // the link is behind: the oldest chunk goes
          xQueueSend(audioQueue, &chunk, 0);
        }
      }
      chunker.next();
    }
    if (millis() - levelShownAt > 10000) {
      Serial.printf("[mic] peak level %d of 32767\n", mic.takePeak());
      levelShownAt = millis();
    }
  }
}

class ArduinoPlatform : public doorcast::LinkPlatform {
 public:
  uint32_t millis() override { return ::millis(); }
  uint32_t random() override { return esp_random(); }
};

// The camera's newest picture and the microphone's queue, for the link.
class Sources : public doorcast::UplinkSources {
 public:
  bool grabFrame(const uint8_t*& jpeg, size_t& length, uint64_t& timestampMs) override {
    frame_ = esp_camera_fb_get();  // CAMERA_GRAB_LATEST: the newest, never one that waited
    if (frame_ == nullptr) return false;
    jpeg = frame_->buf;
    length = frame_->len;
    timestampMs = doorcast_arduino::epochMs();
    return true;
  }
  void releaseFrame() override {
    if (frame_ != nullptr) esp_camera_fb_return(frame_);
    frame_ = nullptr;
  }
  size_t audioWaiting() override { return uxQueueMessagesWaiting(audioQueue); }
  const uint8_t* takeAudio(uint64_t& sequence, uint64_t& timestampMs) override {
    if (xQueueReceive(audioQueue, &chunk_, 0) != pdTRUE) return nullptr;
    sequence = chunk_.sequence;
    timestampMs = chunk_.timestampMs;
    return chunk_.pcm;
  }

 private:
  camera_fb_t* frame_ = nullptr;
  AudioChunk chunk_;
};

// What the server says over the link besides watching (which the uplink reads from the link itself).
class Listener : public doorcast::LinkListener {
 public:
  void onWatching(bool camera, bool audio) override {
    micWanted = audio;
    Serial.printf("[link] camera %s, microphone %s\n", camera ? "watched" : "not watched (a frame every 2 s)",
                  audio ? "heard" : "not heard (not sent)");
  }
  void onRefused(const doorcast::Notice& notice) override {
    Serial.printf("[link] the server refused %s %lld: %lld %s\n", notice.refusedKind,
                  static_cast<long long>(notice.id), static_cast<long long>(notice.status), notice.detail);
  }
  void onSpeakerAudio(uint64_t, const uint8_t* pcm, size_t bytes) override { playSpeaker(pcm, bytes); }
};

// The link's task: opens the link and keeps it; doorcast::DoorbellUplink sends what the planner says. On a
// server without the link it posts the frames and rings itself, and tries the link again when LinkRetry
// says.
void linkTask(void* cameraPresent) {
  static ArduinoPlatform platform;
  static doorcast::UplinkPolicy policy;
  policy.fullIntervalMs = 1000 / FRAMES_PER_SECOND;
  static doorcast::UplinkPlanner planner(policy);
  static Listener listener;
  static Sources sources;
  // The largest message from the server is a chunk of speaker audio (up to 16 KB, as a talk post); its
  // buffer goes to PSRAM, leaving the internal RAM to the TLS session.
  const size_t receivedCapacity = 16 * 1024 + doorcast::kMessageHeaderBytes + 1;
  static uint8_t* received = static_cast<uint8_t*>(ps_malloc(receivedCapacity));
  if (received == nullptr) received = static_cast<uint8_t*>(malloc(receivedCapacity));
  static doorcast::LinkClient link(mainConnection.transport(), server, DEVICE_TOKEN, platform, listener, received,
                                   receivedCapacity);
  static doorcast::DoorbellUplink uplink(link, planner, sources, platform, cameraPresent != nullptr);
  static doorcast::LinkRetry retry(esp_random());
  uint32_t loggedAt = millis();
  bool wasOpen = false;
  for (;;) {
    if (retry.isPosting()) {
      if (!retry.due(millis())) {
        postTurn(cameraPresent != nullptr);
        continue;
      }
      // The posts' connection is the link's: closed here, so that neither takes the other's for its own.
      cameraLink.close();
      if (link.open() != doorcast::LinkOutcome::kOpen) {
        retry.posting(millis());
        Serial.printf("[link] still none (%s): posting; next try in %lu s\n", link.lastError(),
                      static_cast<unsigned long>(retry.remainingMs(millis()) / 1000));
        continue;
      }
      retry.linked();
      posting = false;
      Serial.println("[link] the server has the link now: posting ends");
    }
    uint64_t pressed;
    while (xQueueReceive(rings, &pressed, 0) == pdTRUE) uplink.press(pressed);
    doorcast::LinkOutcome outcome = link.maintain();
    if (outcome == doorcast::LinkOutcome::kNoLink) {
      retry.posting(millis());
      posting = true;
      wasOpen = false;
      Serial.printf("[link] the server has no link (404): posting frames and audio; trying the link again in %lu s\n",
                    static_cast<unsigned long>(retry.remainingMs(millis()) / 1000));
      // Rings that waited go out as posts.
      for (size_t i = 0; i < uplink.pressesWaiting(); i++) {
        uint64_t at = uplink.pressWaiting(i);
        xQueueSend(rings, &at, 0);
      }
      uplink.forgetPresses();
      continue;
    }
    if (outcome != doorcast::LinkOutcome::kOpen) {
      if (outcome != doorcast::LinkOutcome::kWaiting) {
        Serial.printf("[link] %s; again in %lu ms\n", link.lastError(),
                      static_cast<unsigned long>(link.backoff().remainingMs(millis())));
      }
      vTaskDelay(pdMS_TO_TICKS(100));
      continue;
    }
    if (!wasOpen) {
      // A new link: the server's first notice may have come with the upgrade's answer.
      wasOpen = true;
      uplink.linkOpened();
      micWanted = link.watchingAudio();
      Serial.println("[link] open: one connection for camera, microphone, ring and speaker");
    }
    if (!uplink.step()) {
      Serial.printf("[link] lost: %s (close code %u)\n", link.lastError(), link.serverCloseCode());
      wasOpen = false;
      continue;
    }
    if (millis() - loggedAt > 10000) {
      Serial.printf("[link] round trip %lu ms, %lu frames, %lu audio chunks, %lu rings sent; %lu frames held\n",
                    static_cast<unsigned long>(link.rttMs()), static_cast<unsigned long>(uplink.framesSent()),
                    static_cast<unsigned long>(uplink.audioSent()), static_cast<unsigned long>(uplink.ringsSent()),
                    static_cast<unsigned long>(planner.framesHeld()));
      loggedAt = millis();
    }
  }
}

}  // namespace

void setup() {
  Serial.begin(115200);
  pinMode(kFlashLed, OUTPUT);
  digitalWrite(kFlashLed, LOW);
  pinMode(kRedLed, OUTPUT);
  digitalWrite(kRedLed, HIGH);
  pinMode(BUTTON_PIN, INPUT_PULLUP);
  rings = xQueueCreate(4, sizeof(uint64_t));
  audioQueue = xQueueCreate(kAudioQueueLength, sizeof(AudioChunk));

  if (!doorcast::parseUrl(DOORCAST_URL, server)) {
    Serial.printf("DOORCAST_URL in config.h is not an http:// or https:// URL: %s\n", DOORCAST_URL);
    return;
  }
  mainConnection.begin(server, DOORCAST_CA_CERT);
  micConnection.begin(server, DOORCAST_CA_CERT);
  doorcast_arduino::connectWifi(WIFI_SSID, WIFI_PASSWORD);
  doorcast_arduino::startClock();
  Serial.printf("doorcast: linking to %s://%s:%u%s\n", server.https ? "https" : "http", server.host, server.port,
                server.basePath);

  bool camera = startCamera();
  bool microphone = startMicrophone();
  // The microphone first: it has the tighter deadline, and only records and queues. The link task sends
  // everything; it gets enough stack for a TLS write. On a server without the link it posts the frames and
  // rings itself, and the microphone task posts its chunks.
  if (microphone) xTaskCreate(micTask, "mic", 12288, nullptr, 2, nullptr);
  xTaskCreate(linkTask, "link", 12288, camera ? reinterpret_cast<void*>(1) : nullptr, 1, nullptr);
  if (!camera) Serial.println("[camera] not streaming: no camera found, or no PSRAM");
  if (SPEAKER_FITTED && microphone) Serial.println("[speaker] MAX98357A on the microphone's I2S port");
}

void loop() {
  static doorcast::Debouncer button(false);  // pressed reads LOW: the button pulls the pin to GND
  static uint32_t blinkUntil = 0;
  uint32_t now = millis();
  if (button.update(digitalRead(BUTTON_PIN) == HIGH, now)) {
    uint64_t pressedAt = doorcast_arduino::epochMs();
    Serial.printf("[button] pressed (epoch ms %llu)\n", static_cast<unsigned long long>(pressedAt));
    digitalWrite(kRedLed, LOW);
    blinkUntil = now + 300;
    if (rings == nullptr || xQueueSend(rings, &pressedAt, 0) != pdTRUE) Serial.println("[ring] queue full");
  }
  if (blinkUntil != 0 && static_cast<int32_t>(now - blinkUntil) >= 0) {
    digitalWrite(kRedLed, HIGH);
    blinkUntil = 0;
  }
  delay(5);
}
