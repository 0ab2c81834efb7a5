// The doorbell: an AI-Thinker ESP32-CAM that posts its camera and an INMP441 microphone to doorcast, and
// rings when its button is pressed. The protocol (forms, chunks, answers, backoff, the ring) is in
// firmware/lib/doorcast; this file is the hardware and the tasks that drive it.
//
// Two FreeRTOS tasks, one per stream, each with its own kept-alive connection, so that audio never
// waits behind a frame upload. Neither queues: while a stream backs off, its frames or chunks are
// dropped, because live media that arrives late is worth nothing. The button is polled in loop() and
// its rings go out over the camera's connection between two frames.
#include <Arduino.h>
#include <WiFi.h>
#include <driver/i2s.h>
#include <esp_camera.h>

#include <DoorcastArduino.h>
#include <doorcast/backoff.h>
#include <doorcast/button.h>
#include <doorcast/device_link.h>
#include <doorcast/frame_form.h>
#include <doorcast/pcm.h>
#include <doorcast/protocol.h>
#include <doorcast/ring.h>
#include <doorcast/url.h>

#include "config.h"

namespace {

// The AI-Thinker board: the OV2640's pins, as in esp32-camera's pin map for it.
const int kCameraPwdn = 32, kCameraXclk = 0, kCameraSda = 26, kCameraScl = 27;
const int kCameraD7 = 35, kCameraD6 = 34, kCameraD5 = 39, kCameraD4 = 36;
const int kCameraD3 = 21, kCameraD2 = 19, kCameraD1 = 18, kCameraD0 = 5;
const int kCameraVsync = 25, kCameraHref = 23, kCameraPclk = 22;
const int kFlashLed = 4;  // the bright white LED; it would glow faintly if left floating
const int kRedLed = 33;   // the small red LED on the back, lit when low: blinks on a press

// I2S0 drives the camera's parallel bus on the ESP32, so the microphone takes I2S1.
const i2s_port_t kMicPort = I2S_NUM_1;
// DMA buffers hold 8 x 512 samples = 256 ms: the microphone keeps recording while a post is under way.
const int kMicDmaBuffers = 8;
const int kMicDmaSamples = 512;

doorcast::Url server;
doorcast_arduino::ServerConnection cameraConnection;
doorcast_arduino::ServerConnection micConnection;
doorcast::DeviceLink cameraLink(cameraConnection.transport(), server, DEVICE_TOKEN);
doorcast::DeviceLink micLink(micConnection.transport(), server, DEVICE_TOKEN);

QueueHandle_t rings;  // presses (epoch ms, 0 if the clock is unset) waiting for the camera task to post

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
  config.mode = static_cast<i2s_mode_t>(I2S_MODE_MASTER | I2S_MODE_RX);
  config.sample_rate = doorcast::kSampleRate;
  config.bits_per_sample = I2S_BITS_PER_SAMPLE_32BIT;  // the INMP441's 24 bits come in 32-bit slots
  config.channel_format = MIC_RIGHT_SLOT ? I2S_CHANNEL_FMT_ONLY_RIGHT : I2S_CHANNEL_FMT_ONLY_LEFT;
  config.communication_format = I2S_COMM_FORMAT_STAND_I2S;
  config.intr_alloc_flags = ESP_INTR_FLAG_LEVEL1;
  config.dma_desc_num = kMicDmaBuffers;
  config.dma_frame_num = kMicDmaSamples;
  config.use_apll = false;
  i2s_pin_config_t pins = {};
  pins.mck_io_num = I2S_PIN_NO_CHANGE;
  pins.bck_io_num = MIC_SCK_PIN;
  pins.ws_io_num = MIC_WS_PIN;
  pins.data_out_num = I2S_PIN_NO_CHANGE;
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
    if (!toldNoEndpoint) Serial.println("[ring] this server has no ring endpoint yet (404): presses are only logged");
    toldNoEndpoint = true;
  } else {
    Serial.printf("[ring] dropped: HTTP %d %s\n", answer.status, answer.body);
  }
}

void cameraTask(void*) {
  doorcast::FrameForm form;
  doorcast::Backoff backoff(esp_random());
  uint64_t frameId = 0;  // from 0 after every boot: the server takes a much lower number for a restart
  const uint32_t interval = 1000 / FRAMES_PER_SECOND;
  for (;;) {
    uint32_t started = millis();
    postWaitingRing();
    if (backoff.ready(started)) {
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
}

void micTask(void*) {
  static int32_t slots[doorcast::kChunkSamples];
  static int16_t samples[doorcast::kChunkSamples];
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
      if (backoff.ready(millis())) {
        doorcast::Span chunk = {chunker.chunk(), chunker.chunkBytes()};
        act("mic", micLink.post(doorcast::kAudioPath, "application/octet-stream", &chunk, 1,
                                static_cast<int64_t>(chunker.sequence())), backoff);
      }
      chunker.next();
    }
    if (millis() - levelShownAt > 10000) {
      Serial.printf("[mic] peak level %d of 32767\n", mic.takePeak());
      levelShownAt = millis();
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

  if (!doorcast::parseUrl(DOORCAST_URL, server)) {
    Serial.printf("DOORCAST_URL in config.h is not an http:// or https:// URL: %s\n", DOORCAST_URL);
    return;
  }
  cameraConnection.begin(server, DOORCAST_CA_CERT);
  micConnection.begin(server, DOORCAST_CA_CERT);
  doorcast_arduino::connectWifi(WIFI_SSID, WIFI_PASSWORD);
  doorcast_arduino::startClock();
  Serial.printf("doorcast: posting to %s://%s:%u%s\n", server.https ? "https" : "http", server.host, server.port,
                server.basePath);

  bool camera = startCamera();
  bool microphone = startMicrophone();
  // Audio first: it has the tighter deadline. Each task gets enough stack for a TLS write.
  if (microphone) xTaskCreate(micTask, "mic", 12288, nullptr, 2, nullptr);
  if (camera) xTaskCreate(cameraTask, "camera", 12288, nullptr, 1, nullptr);
  if (!camera) Serial.println("[camera] not streaming: no camera found, or no PSRAM");
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
