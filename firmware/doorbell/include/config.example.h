// The doorbell's settings. Copy this file to config.h beside it and fill it in; config.h stays out of git
// (firmware/.gitignore), since it holds your Wi-Fi password and the device token.
#pragma once

#include <doorcast/isrg_root_x1.h>

#define WIFI_SSID "your-wifi"
#define WIFI_PASSWORD "your-password"

// The doorcast server, without a trailing slash: https://<your app>.fly.dev, or http://192.168.1.20:8080
// on your own network.
#define DOORCAST_URL "https://your-app.fly.dev"
// The server's device token: doorcast.security.device-token (DOORCAST_SECURITY_DEVICE_TOKEN), or this
// doorbell's doorcast.devices.<id>.token on a server with several.
#define DEVICE_TOKEN "change-me"
// Sent with every frame as device_id; the server keeps it as information only (the token says who posts).
#define DEVICE_ID "front-door"

// The CA certificate an https:// server's chain must lead to, as PEM text. ISRG Root X1 (Let's Encrypt)
// covers fly.io. For a server whose certificate comes from another CA, put that CA's root here instead:
//   #define DOORCAST_CA_CERT "-----BEGIN CERTIFICATE-----\n" "MIIF...\n" ... "-----END CERTIFICATE-----\n"
// Unused for http:// URLs.
#define DOORCAST_CA_CERT doorcast::kIsrgRootX1

// Camera: frames a second while someone watches (one every 2 s while nobody does, and this rate for 5 s
// after a ring), picture size and JPEG quality (0-63, lower is better and bigger).
// VGA at 12 gives frames of roughly 10-25 KB.
#define FRAMES_PER_SECOND 5
#define FRAME_SIZE FRAMESIZE_VGA
#define JPEG_QUALITY 12

// INMP441 microphone (see docs/esp32.md, "Wiring"): SCK, WS and SD on free GPIOs, L/R to GND.
#define MIC_SCK_PIN 14
#define MIC_WS_PIN 15
#define MIC_SD_PIN 13
// Each bit doubles the level. The INMP441 is quiet: 0 keeps the top 16 of its 24 bits as they are.
#define MIC_GAIN_BITS 3
// L/R to GND puts the INMP441 in the left slot. If the log's mic level stays 0, set this to 1.
#define MIC_RIGHT_SLOT 0

// The push button, between this GPIO and GND (the internal pull-up holds it high).
#define BUTTON_PIN 12

// A MAX98357A I2S amplifier for talk-back (see docs/esp32.md, "The speaker"): 1 if fitted. It shares the
// microphone's SCK (BCLK) and WS (LRC) and takes DIN on GPIO 2, the header's last free pin.
#define SPEAKER_FITTED 0
#define SPEAKER_DIN_PIN 2
// Each bit halves the speaker's level (0: as the viewer's phone sent it).
#define SPEAKER_ATTENUATION_BITS 0
