# PlatformIO's runner for doorcast's host tests (pio test -e native, test_framework = custom): each
# test_<name>/ folder here builds tests/<name>_test.cpp with its own small harness (tests/check.h), and this
# reads that harness's output into PlatformIO's test cases:
#
#   <testName>                     a test starts (an identifier alone on its line)
#       <file>:<line>: failed: ... a check failed
#     FAILED: <testName>           the test failed
#       skipped: <why>             the test was skipped
#   SKIP: <why>                    the whole program was skipped (exit 77: no DOORCAST_URL, no link...)
#   N passed, N failed[, N skipped]
#
# A program that skipped tests and failed none exits 77, as ctest expects (SKIP_RETURN_CODE); PlatformIO
# would call that an error, so it is taken here as the skip it is.
import re

from platformio.public import TestCase, TestRunnerBase, TestStatus
from platformio.test.exception import UnitTestError

TEST_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SUMMARY = re.compile(r"^\d+ passed, \d+ failed(, \d+ skipped)?$")


class CustomTestRunner(TestRunnerBase):
    def setup(self):
        self._name = None
        self._status = None
        self._output = []
        self._skipped = False

    def _end_case(self):
        if self._name is None:
            return
        message = None
        if self._status == TestStatus.FAILED:
            message = " ".join(line.strip() for line in self._output if ": failed: " in line) or None
        self.test_suite.add_case(
            TestCase(name=self._name, status=self._status, message=message, stdout="".join(self._output))
        )
        self._name = None

    def on_testing_line_output(self, line):
        super().on_testing_line_output(line)
        text = line.rstrip("\r\n")
        if text.startswith("SKIP: "):
            self._skipped = True
            self.test_suite.add_case(TestCase(name=self.test_suite.test_name, status=TestStatus.SKIPPED, message=text[6:]))
            return
        if SUMMARY.match(text) or TEST_NAME.match(text):
            self._end_case()
            if TEST_NAME.match(text):
                self._name, self._status, self._output = text, TestStatus.PASSED, []
            return
        if self._name is None:
            return
        self._output.append(line)
        if text.strip().startswith("FAILED: "):
            self._status = TestStatus.FAILED
        elif text.strip().startswith("skipped: "):
            self._skipped = True
            if self._status == TestStatus.PASSED:
                self._status = TestStatus.SKIPPED

    def stage_testing(self):
        try:
            return super().stage_testing()
        except UnitTestError as error:
            self._end_case()
            failed = any(case.status == TestStatus.FAILED for case in self.test_suite.cases)
            if self._skipped and not failed and "77" in str(error):
                return None
            raise
        finally:
            self._end_case()
