#include "DoorcastArduino.h"

#include <sys/time.h>

namespace doorcast_arduino {

bool ClientTransport::connect(const char* host, uint16_t port) {
  client_->stop();
  if (client_->connect(host, port) != 1) return false;
  if (noDelay_) client_->setNoDelay(true);  // a post's head and body go out without waiting for more
  return true;
}

bool ClientTransport::write(const uint8_t* data, size_t len) {
  uint32_t stalledSince = millis();
  while (len > 0) {
    size_t n = client_->write(data, len);
    if (n > 0) {
      data += n;
      len -= n;
      stalledSince = millis();
      continue;
    }
    // Nothing went out: the socket's buffer is full or the connection is gone.
    if (!client_->connected() || millis() - stalledSince > 5000) return false;
    delay(1);
  }
  return true;
}

long ClientTransport::read(uint8_t* buffer, size_t cap, uint32_t timeoutMs) {
  uint32_t started = millis();
  for (;;) {
    int available = client_->available();
    if (available > 0) {
      int n = client_->read(buffer, static_cast<size_t>(available) < cap ? static_cast<size_t>(available) : cap);
      if (n > 0) return n;
    } else if (!client_->connected()) {
      return -1;
    }
    if (millis() - started >= timeoutMs) return 0;
    delay(1);
  }
}

void ClientTransport::close() { client_->stop(); }

void ServerConnection::begin(const doorcast::Url& url, const char* caCert) {
  if (url.https) {
    secure_.setCACert(caCert);
    secure_.setHandshakeTimeout(30);  // seconds: a TLS handshake takes an ESP32 a second or two
    transport_.use(secure_, false);
  } else {
    transport_.use(plain_, true);
  }
}

void connectWifi(const char* ssid, const char* password) {
  WiFi.mode(WIFI_STA);
  WiFi.setSleep(false);
  WiFi.setAutoReconnect(true);
  WiFi.begin(ssid, password);
  Serial.printf("Wi-Fi: joining %s", ssid);
  while (WiFi.status() != WL_CONNECTED) {
    delay(250);
    Serial.print('.');
  }
  Serial.printf(" connected, %s\n", WiFi.localIP().toString().c_str());
}

void startClock() { configTime(0, 0, "pool.ntp.org", "time.google.com"); }

uint64_t epochMs() {
  timeval now;
  gettimeofday(&now, nullptr);
  if (now.tv_sec < 1600000000) return 0;  // not set yet: the ESP32 starts at 1970
  return static_cast<uint64_t>(now.tv_sec) * 1000ULL + static_cast<uint64_t>(now.tv_usec) / 1000ULL;
}

}  // namespace doorcast_arduino
