// Stand-in for the Arduino-ESP32 2.0.x core's Arduino.h (ESP-IDF 4.4): what doorcast's firmware uses of
// it and of what it includes (FreeRTOS, esp_system, the PSRAM and time helpers), declared as there. See
// README.md beside this file.
#pragma once

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// esp_err.h, esp_intr_alloc.h, esp_system.h
typedef int esp_err_t;
#define ESP_OK 0
#define ESP_FAIL -1
#define ESP_INTR_FLAG_LEVEL1 (1 << 1)
extern "C" uint32_t esp_random(void);

// FreeRTOS as ESP-IDF 4.4 has it (stack depths in bytes).
typedef int BaseType_t;
typedef unsigned int UBaseType_t;
typedef uint32_t TickType_t;
typedef struct QueueDefinition* QueueHandle_t;
typedef struct tskTaskControlBlock* TaskHandle_t;
typedef void (*TaskFunction_t)(void*);
#define pdTRUE ((BaseType_t)1)
#define pdFALSE ((BaseType_t)0)
#define portMAX_DELAY (TickType_t)0xffffffffUL
#define configTICK_RATE_HZ 1000
#define pdMS_TO_TICKS(xTimeInMs) ((TickType_t)(((TickType_t)(xTimeInMs) * (TickType_t)configTICK_RATE_HZ) / (TickType_t)1000U))
QueueHandle_t xQueueCreate(UBaseType_t uxQueueLength, UBaseType_t uxItemSize);
BaseType_t xQueueSend(QueueHandle_t xQueue, const void* pvItemToQueue, TickType_t xTicksToWait);
BaseType_t xQueueReceive(QueueHandle_t xQueue, void* pvBuffer, TickType_t xTicksToWait);
BaseType_t xQueuePeek(QueueHandle_t xQueue, void* pvBuffer, TickType_t xTicksToWait);
UBaseType_t uxQueueMessagesWaiting(const QueueHandle_t xQueue);
BaseType_t xTaskCreate(TaskFunction_t pvTaskCode, const char* const pcName, const uint32_t usStackDepth,
                       void* const pvParameters, UBaseType_t uxPriority, TaskHandle_t* const pvCreatedTask);
void vTaskDelete(TaskHandle_t xTaskToDelete);
void vTaskDelay(const TickType_t xTicksToDelay);

// esp32-hal-gpio.h
#define LOW 0x0
#define HIGH 0x1
#define INPUT 0x01
#define OUTPUT 0x03
#define INPUT_PULLUP 0x05
void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t val);
int digitalRead(uint8_t pin);

// esp32-hal-misc.c, esp32-hal-psram.h, esp32-hal-time.c
unsigned long millis();
void delay(uint32_t ms);
bool psramFound();
void* ps_malloc(size_t size);
void configTime(long gmtOffset_sec, int daylightOffset_sec, const char* server1, const char* server2 = nullptr,
                const char* server3 = nullptr);

// WString.h
class String {
 public:
  const char* c_str() const;
};

// Print.h, HardwareSerial.h
class Print {
 public:
  virtual ~Print() {}
  size_t printf(const char* format, ...) __attribute__((format(printf, 2, 3)));
  size_t print(const char* text);
  size_t print(char c);
  size_t println(const char* text);
  size_t println();
};

class HardwareSerial : public Print {
 public:
  void begin(unsigned long baud, uint32_t config = 0x800001c, int8_t rxPin = -1, int8_t txPin = -1,
             bool invert = false, unsigned long timeout_ms = 20000UL, uint8_t rxfifo_full_thrhd = 112);
};
extern HardwareSerial Serial;
