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
bool skipped = false;

}  // namespace

void registerTest(const char* name, void (*body)()) { cases().push_back({name, body}); }

void fail(const char* file, int line, const std::string& what) {
  failures++;
  std::cout << "    " << file << ":" << line << ": failed: " << what << std::endl;
}

int runAll() {
  int passed = 0;
  int failed = 0;
  int skips = 0;
  for (const Case& test : cases()) {
    int before = failures;
    std::cout << test.name << std::endl;
    skipped = false;
    test.body();
    if (failures == before && skipped) {
      skips++;
    } else if (failures == before) {
      passed++;
    } else {
      failed++;
      std::cout << "  FAILED: " << test.name << std::endl;
    }
  }
  std::cout << passed << " passed, " << failed << " failed";
  if (skips > 0) std::cout << ", " << skips << " skipped";
  std::cout << std::endl;
  // A run that skipped some of its tests and failed none is skipped as a whole for ctest (SKIP_RETURN_CODE
  // 77), so that "Passed" always means every test ran.
  return failed > 0 ? 1 : skips > 0 ? 77 : 0;
}

void skip(const std::string& why) {
  std::cout << "SKIP: " << why << std::endl;
  std::exit(77);
}

void skipTest(const std::string& why) {
  skipped = true;
  std::cout << "    skipped: " << why << std::endl;
}

Bytes readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cout << "cannot read " << path << std::endl;
    std::exit(2);
  }
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// host/testdata: where the build says (CMake sets DOORCAST_TESTDATA), else found from this file's own
// path, host/tests/check.cpp (PlatformIO's native build, pio/test_custom_runner.py).
std::string testdataDir() {
#ifdef DOORCAST_TESTDATA
  return DOORCAST_TESTDATA;
#else
  std::string here = __FILE__;
  size_t at = here.rfind("tests/check.cpp");
  return (at == std::string::npos ? std::string() : here.substr(0, at)) + "testdata";
#endif
}

Bytes testdata(const std::string& name) { return readFile(testdataDir() + "/" + name); }

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
