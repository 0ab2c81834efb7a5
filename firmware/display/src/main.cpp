// The display: an ESP32-WROVER with a TFT that shows the doorbell's camera, read from
// GET /api/v1/stream/camera?fps=... by the portable MJPEG reader (firmware/lib/doorcast) and drawn with
// TJpg_Decoder. When the stream breaks, goes quiet, or the server refuses it, the display says so on the
// screen and connects again after the backoff's wait; a new viewer gets the newest frame at once, so a
// reconnect costs little.
#include <Arduino.h>
#include <TFT_eSPI.h>
#include <TJpg_Decoder.h>

#include <DoorcastArduino.h>
#include <doorcast/backoff.h>
#include <doorcast/http.h>
#include <doorcast/mjpeg_reader.h>
#include <doorcast/protocol.h>
#include <doorcast/text.h>
#include <doorcast/url.h>

#include "config.h"

namespace {

// The server sends a part at least once a second (a keep-alive re-send of the last frame, or a blank
// line before the first): five seconds without a byte means the connection is dead.
const uint32_t kQuietMs = 5000;

TFT_eSPI tft;
doorcast::Url server;
doorcast_arduino::ServerConnection connection;
doorcast::Backoff backoff(1);
doorcast::MjpegReader* reader;  // over a buffer allocated once in PSRAM
char path[160];
bool streaming = false;
uint32_t lastByteAt = 0;
uint32_t shownAt = 0;

bool toScreen(int16_t x, int16_t y, uint16_t w, uint16_t h, uint16_t* pixels) {
  if (y >= tft.height()) return false;  // below the screen: stop decoding this frame
  tft.pushImage(x, y, w, h, pixels);
  return true;
}

void showStatus(const char* text) {
  Serial.printf("[display] %s\n", text);
  tft.fillRect(0, tft.height() - 16, tft.width(), 16, TFT_BLACK);
  tft.setTextColor(TFT_WHITE, TFT_BLACK);
  tft.drawString(text, 2, tft.height() - 14, 2);
}

void draw(const uint8_t* jpeg, size_t length) {
  uint16_t width = 0, height = 0;
  if (TJpgDec.getJpgSize(&width, &height, jpeg, length) != JDR_OK) {
    Serial.println("[display] a frame that is not a JPEG the decoder takes");
    return;
  }
  // The decoder scales by 1, 2, 4 or 8: the least that fits the screen.
  uint8_t scale = 1;
  while (scale < 8 && (width / scale > tft.width() || height / scale > tft.height())) scale *= 2;
  TJpgDec.setJpgScale(scale);
  TJpgDec.drawJpg(0, 0, jpeg, length);
  shownAt = millis();
}

void dropStream(const char* why) {
  connection.transport().close();
  streaming = false;
  uint32_t wait = backoff.afterConnectionLoss(millis());
  char text[96];
  snprintf(text, sizeof text, "%s; again in %lu s", why, static_cast<unsigned long>((wait + 999) / 1000));
  showStatus(text);
}

void openStream() {
  if (!connection.transport().connect(server.host, server.port)) {
    dropStream("no connection to the server");
    return;
  }
  char head[384];
  size_t n = doorcast::formatGetHead(head, sizeof head, server, path, VIEWER_TOKEN);
  if (n == 0 || !connection.transport().write(reinterpret_cast<const uint8_t*>(head), n)) {
    dropStream("could not send the request");
    return;
  }
  reader->reset();
  streaming = true;
  lastByteAt = millis();
}

// Feeds what arrived to the reader, drawing each new frame; repeats (the server's keep-alive) are not
// decoded again.
void take(const uint8_t* data, size_t length) {
  while (length > 0) {
    size_t used = reader->feed(data, length);
    data += used;
    length -= used;
    if (reader->frameReady()) {
      if (!reader->repeat()) draw(reader->frame(), reader->frameLength());
      backoff.reset();
    }
    if (reader->failed()) {
      const doorcast::ResponseHead& head = reader->head();
      connection.transport().close();
      streaming = false;
      uint32_t wait = head.status != 0 && head.status != 200
                          ? backoff.afterAnswer(head.status, head.retryAfterSeconds, millis())
                          : backoff.afterConnectionLoss(millis());
      Serial.printf("[display] %s (HTTP %d): %s\n", reader->error(), head.status, backoff.reason());
      char text[96];
      snprintf(text, sizeof text, "HTTP %d; again in %lu s", head.status, static_cast<unsigned long>((wait + 999) / 1000));
      showStatus(text);
      return;
    }
    if (reader->ended()) {
      dropStream("the stream ended");
      return;
    }
  }
}

}  // namespace

void setup() {
  Serial.begin(115200);
  tft.init();
  tft.setRotation(SCREEN_ROTATION);
  tft.fillScreen(TFT_BLACK);
  TJpgDec.setSwapBytes(true);
  TJpgDec.setCallback(toScreen);

  size_t capacity = JPEG_MAX;
  uint8_t* buffer = static_cast<uint8_t*>(psramFound() ? ps_malloc(capacity) : malloc(capacity));
  if (buffer == nullptr) {
    showStatus("no memory for the frame buffer: lower JPEG_MAX");
    return;
  }
  static doorcast::MjpegReader mjpeg(buffer, capacity);
  reader = &mjpeg;

  if (!doorcast::parseUrl(DOORCAST_URL, server)) {
    showStatus("DOORCAST_URL in config.h is not a URL");
    reader = nullptr;
    return;
  }
  doorcast::TextBuilder query(path, sizeof path);
  query.add(doorcast::kCameraStreamPath).add("?fps=").add(STREAM_FPS);
  if (DOORBELL[0] != '\0') query.add("&device=").add(DOORBELL);
  connection.begin(server, DOORCAST_CA_CERT);
  showStatus("joining Wi-Fi");
  doorcast_arduino::connectWifi(WIFI_SSID, WIFI_PASSWORD);
  backoff = doorcast::Backoff(esp_random());
  showStatus("connecting");
}

void loop() {
  if (reader == nullptr) {
    delay(1000);
    return;
  }
  if (!streaming) {
    if (backoff.ready(millis())) openStream();
    else delay(20);
    return;
  }
  static uint8_t chunk[1460];
  long n = connection.transport().read(chunk, sizeof chunk, 100);
  if (n < 0) {
    dropStream("the server closed the stream");
  } else if (n == 0) {
    if (millis() - lastByteAt > kQuietMs) dropStream("the stream went quiet");
  } else {
    lastByteAt = millis();
    take(chunk, static_cast<size_t>(n));
  }
}
