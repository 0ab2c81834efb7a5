// The Arduino side of doorcast's firmware, shared by the doorbell, the display and the speaker: a
// doorcast::Transport over WiFiClient (http://) or WiFiClientSecure (https://), Wi-Fi, and the clock.
// All protocol logic is in the portable library (firmware/lib/doorcast); this stays as thin as it can.
#pragma once

#include <Arduino.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>

#include <doorcast/transport.h>
#include <doorcast/url.h>

namespace doorcast_arduino {

// doorcast::Transport over a WiFiClient or a WiFiClientSecure.
class ClientTransport : public doorcast::Transport {
 public:
  ClientTransport() : client_(nullptr), noDelay_(false) {}
  // noDelay: send small writes at once (TCP_NODELAY) on a plain connection; TLS sets its own socket up.
  void use(WiFiClient& client, bool noDelay) {
    client_ = &client;
    noDelay_ = noDelay;
  }

  bool connect(const char* host, uint16_t port) override;
  bool write(const uint8_t* data, size_t len) override;
  long read(uint8_t* buffer, size_t cap, uint32_t timeoutMs) override;
  void close() override;

 private:
  WiFiClient* client_;
  bool noDelay_;
};

// One connection to the server, plain or TLS as the URL's scheme says. For https:// the server's
// certificate chain must lead to caCert (PEM text; see config.example.h and docs/esp32.md).
class ServerConnection {
 public:
  void begin(const doorcast::Url& url, const char* caCert);
  doorcast::Transport& transport() { return transport_; }

 private:
  WiFiClient plain_;
  WiFiClientSecure secure_;
  ClientTransport transport_;
};

// Joins the Wi-Fi network, with modem sleep off (it delays every packet to the next beacon) and
// reconnecting by itself after a drop. Blocks until connected.
void connectWifi(const char* ssid, const char* password);

// Starts SNTP; the clock is set a few seconds after Wi-Fi is up.
void startClock();
// Epoch milliseconds once SNTP has set the clock, else 0 (the frame's timestamp and the ring's are
// then left out rather than sent wrong).
uint64_t epochMs();

}  // namespace doorcast_arduino
