// The speaker's settings. Copy this file to config.h beside it and fill it in; config.h stays out of git.
#pragma once

#include <doorcast/isrg_root_x1.h>

#define WIFI_SSID "your-wifi"
#define WIFI_PASSWORD "your-password"

// The doorcast server, without a trailing slash: https://<your app>.fly.dev or http://192.168.1.20:8080.
#define DOORCAST_URL "https://your-app.fly.dev"
// The server's viewer token if it has one (doorcast.security.viewer-token), else "".
#define VIEWER_TOKEN ""
// Which doorbell on a server with several (its doorcast.devices.<id>), else "" for the default one.
#define DOORBELL ""

// The CA certificate an https:// server's chain must lead to (see the doorbell's config.example.h).
#define DOORCAST_CA_CERT doorcast::kIsrgRootX1

// The amplifier's I2S pins (a MAX98357A: BCLK, LRC, DIN).
#define SPEAKER_BCLK_PIN 26
#define SPEAKER_LRCK_PIN 25
#define SPEAKER_DOUT_PIN 22
