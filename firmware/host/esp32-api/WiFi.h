// Stand-in for the Arduino-ESP32 2.0.x WiFi library's WiFi.h (WiFi, WiFiClient, IPAddress): what doorcast's
// firmware uses, declared as there. See README.md beside this file.
#pragma once

#include "Arduino.h"

typedef enum { WIFI_MODE_NULL = 0, WIFI_MODE_STA, WIFI_MODE_AP, WIFI_MODE_APSTA, WIFI_MODE_MAX } wifi_mode_t;
#define WIFI_STA WIFI_MODE_STA

typedef enum {
  WL_NO_SHIELD = 255,
  WL_IDLE_STATUS = 0,
  WL_NO_SSID_AVAIL = 1,
  WL_SCAN_COMPLETED = 2,
  WL_CONNECTED = 3,
  WL_CONNECT_FAILED = 4,
  WL_CONNECTION_LOST = 5,
  WL_DISCONNECTED = 6
} wl_status_t;

class IPAddress {
 public:
  String toString() const;
};

class WiFiClass {
 public:
  bool mode(wifi_mode_t mode);
  bool setSleep(bool enabled);
  bool setAutoReconnect(bool autoReconnect);
  wl_status_t begin(const char* ssid, const char* passphrase = nullptr, int32_t channel = 0,
                    const uint8_t* bssid = nullptr, bool connect = true);
  static wl_status_t status();
  IPAddress localIP();
};
extern WiFiClass WiFi;

// Client.h, WiFiClient.h: the calls are virtual there too, so WiFiClientSecure answers them through a
// WiFiClient pointer.
class WiFiClient {
 public:
  virtual ~WiFiClient() {}
  virtual int connect(const char* host, uint16_t port);
  virtual size_t write(const uint8_t* buf, size_t size);
  virtual int available();
  virtual int read(uint8_t* buf, size_t size);
  virtual void stop();
  virtual uint8_t connected();
  int setNoDelay(bool nodelay);
};
