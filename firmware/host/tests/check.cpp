#include "check.h"

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace doorcast_test {

namespace {

struct Case {
  const char* name;
  void (*body)();
};

std::vector<Case>& cases() {
  static std::vector<Case> all;
  return all;
}

int failures = 0;

}  // namespace

void registerTest(const char* name, void (*body)()) { cases().push_back({name, body}); }

void fail(const char* file, int line, const std::string& what) {
  failures++;
  std::cout << "    " << file << ":" << line << ": failed: " << what << std::endl;
}

int runAll() {
  int passed = 0;
  int failed = 0;
  for (const Case& test : cases()) {
    int before = failures;
    std::cout << test.name << std::endl;
    test.body();
    if (failures == before) {
      passed++;
    } else {
      failed++;
      std::cout << "  FAILED: " << test.name << std::endl;
    }
  }
  std::cout << passed << " passed, " << failed << " failed" << std::endl;
  return failed == 0 ? 0 : 1;
}

void skip(const std::string& why) {
  std::cout << "SKIP: " << why << std::endl;
  std::exit(77);
}

Bytes readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cout << "cannot read " << path << std::endl;
    std::exit(2);
  }
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Bytes testdata(const std::string& name) { return readFile(std::string(DOORCAST_TESTDATA) + "/" + name); }

Bytes bytesOf(const std::string& text) { return Bytes(text.begin(), text.end()); }

std::string textOf(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

std::string describe(const Bytes& bytes) {
  std::ostringstream out;
  out << bytes.size() << " bytes [";
  static const char* hex = "0123456789abcdef";
  for (size_t i = 0; i < bytes.size() && i < 24; i++) {
    out << (i > 0 ? " " : "") << hex[bytes[i] >> 4] << hex[bytes[i] & 15];
  }
  out << (bytes.size() > 24 ? " ...]" : "]");
  return out.str();
}

}  // namespace doorcast_test
