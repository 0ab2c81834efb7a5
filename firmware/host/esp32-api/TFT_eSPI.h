// Stand-in for bodmer/TFT_eSPI 2.5's TFT_eSPI.h: what doorcast's display uses, declared as there. The
// panel and its pins come from the display's platformio.ini build flags (USER_SETUP_LOADED), which this
// stand-in does not read. See README.md beside this file.
#pragma once

#include "Arduino.h"

#define TFT_BLACK 0x0000
#define TFT_WHITE 0xFFFF

class TFT_eSPI : public Print {
 public:
  TFT_eSPI(int16_t _W = 240, int16_t _H = 320);
  void init(uint8_t tc = 0xFF);
  void setRotation(uint8_t r);
  int16_t width();
  int16_t height();
  void fillScreen(uint32_t color);
  void fillRect(int32_t x, int32_t y, int32_t w, int32_t h, uint32_t color);
  void pushImage(int32_t x, int32_t y, int32_t w, int32_t h, uint16_t* data);
  void setTextColor(uint16_t fgcolor, uint16_t bgcolor, bool bgfill = false);
  int16_t drawString(const char* string, int32_t x, int32_t y, uint8_t font);
};
