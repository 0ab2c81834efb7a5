// Stand-in for the Arduino-ESP32 2.0.x WiFiClientSecure library's WiFiClientSecure.h: what doorcast's
// firmware uses, declared as there. See README.md beside this file.
#pragma once

#include "WiFi.h"

class WiFiClientSecure : public WiFiClient {
 public:
  int connect(const char* host, uint16_t port) override;
  size_t write(const uint8_t* buf, size_t size) override;
  int available() override;
  int read(uint8_t* buf, size_t size) override;
  void stop() override;
  uint8_t connected() override;
  void setCACert(const char* rootCA);
  void setHandshakeTimeout(unsigned long handshake_timeout);
};
