// Stand-in for bodmer/TJpg_Decoder 1.1's TJpg_Decoder.h (and tjpgd.h's JRESULT): what doorcast's display
// uses, declared as there. See README.md beside this file.
#pragma once

#include "Arduino.h"

typedef enum {
  JDR_OK = 0,
  JDR_INTR,
  JDR_INP,
  JDR_MEM1,
  JDR_MEM2,
  JDR_PAR,
  JDR_FMT1,
  JDR_FMT2,
  JDR_FMT3
} JRESULT;

typedef bool (*SketchCallback)(int16_t x, int16_t y, uint16_t w, uint16_t h, uint16_t* data);

class TJpg_Decoder {
 public:
  void setJpgScale(uint8_t scale);
  void setCallback(SketchCallback sketchCallback);
  void setSwapBytes(bool swap);
  JRESULT drawJpg(int32_t x, int32_t y, const uint8_t array[], uint32_t array_size);
  JRESULT getJpgSize(uint16_t* w, uint16_t* h, const uint8_t array[], uint32_t array_size);
};
extern TJpg_Decoder TJpgDec;
