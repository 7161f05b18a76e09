package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// stream is what go test -json writes for a package with a passing, a
// skipped and a failing test (with a subtest), a package without tests
// and a package that does not build.
const stream = `{"Action":"start","Package":"example.com/a"}
{"Action":"run","Package":"example.com/a","Test":"TestPass"}
{"Action":"output","Package":"example.com/a","Test":"TestPass","Output":"=== RUN   TestPass\n"}
{"Action":"output","Package":"example.com/a","Test":"TestPass","Output":"--- PASS: TestPass (0.00s)\n"}
{"Action":"pass","Package":"example.com/a","Test":"TestPass","Elapsed":0}
{"Action":"run","Package":"example.com/a","Test":"TestSkip"}
{"Action":"output","Package":"example.com/a","Test":"TestSkip","Output":"=== RUN   TestSkip\n"}
{"Action":"output","Package":"example.com/a","Test":"TestSkip","Output":"    a_test.go:9: needs root\n"}
{"Action":"output","Package":"example.com/a","Test":"TestSkip","Output":"--- SKIP: TestSkip (0.00s)\n"}
{"Action":"skip","Package":"example.com/a","Test":"TestSkip","Elapsed":0}
{"Action":"run","Package":"example.com/a","Test":"TestFail"}
{"Action":"run","Package":"example.com/a","Test":"TestFail/sub"}
{"Action":"output","Package":"example.com/a","Test":"TestFail/sub","Output":"    a_test.go:12: want 1, got 2\n"}
{"Action":"output","Package":"example.com/a","Test":"TestFail/sub","Output":"    --- FAIL: TestFail/sub (0.00s)\n"}
{"Action":"fail","Package":"example.com/a","Test":"TestFail/sub","Elapsed":0}
{"Action":"output","Package":"example.com/a","Test":"TestFail","Output":"--- FAIL: TestFail (0.00s)\n"}
{"Action":"fail","Package":"example.com/a","Test":"TestFail","Elapsed":0}
{"Action":"output","Package":"example.com/a","Output":"FAIL\n"}
{"Action":"output","Package":"example.com/a","Output":"FAIL\texample.com/a\t0.012s\n"}
{"Action":"fail","Package":"example.com/a","Elapsed":0.012}
{"Action":"start","Package":"example.com/b"}
{"Action":"output","Package":"example.com/b","Output":"?   \texample.com/b\t[no test files]\n"}
{"Action":"skip","Package":"example.com/b","Elapsed":0}
{"ImportPath":"example.com/c [example.com/c.test]","Action":"build-output","Output":"c/c.go:3:1: syntax error\n"}
{"ImportPath":"example.com/c [example.com/c.test]","Action":"build-fail"}
{"Action":"start","Package":"example.com/c"}
{"Action":"output","Package":"example.com/c","Output":"FAIL\texample.com/c [build failed]\n"}
{"Action":"fail","Package":"example.com/c","Elapsed":0}
`

func TestSummary(t *testing.T) {
	var out bytes.Buffer
	s := newSummary(&out)
	if err := s.read(strings.NewReader(stream)); err != nil {
		t.Fatal(err)
	}
	s.print(&out)
	got := out.String()
	for _, want := range []string{
		// go test's own lines and the failing test's output, as plain go test prints them
		"    a_test.go:12: want 1, got 2\n    --- FAIL: TestFail/sub (0.00s)\n--- FAIL: TestFail (0.00s)\nFAIL\nFAIL\texample.com/a\t0.012s\n",
		"?   \texample.com/b\t[no test files]\n",
		"c/c.go:3:1: syntax error\nFAIL\texample.com/c [build failed]\n",
		"testsum: skipped tests:\n  example.com/a TestSkip: a_test.go:9: needs root\n",
		"  4       1        1       2  10ms  FAIL  example.com/a\n",
		"  0       0        0       0    0s  FAIL  example.com/c\n",
		"testsum: 4 tests run in 2 packages: 1 passed, 1 skipped, 2 failed\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, unwanted := range []string{"=== RUN", "--- PASS", "example.com/b\n"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("output has %q:\n%s", unwanted, got)
		}
	}
	if s.skipped() != 1 || s.failed() != 2 {
		t.Errorf("skipped %d, failed %d; want 1, 2", s.skipped(), s.failed())
	}
}

// TestRunExitStatus: a failing command fails the run, and so does a skip
// under CI=true only.
func TestRunExitStatus(t *testing.T) {
	dir := t.TempDir()
	skipOnly := dir + "/skip.json"
	if err := os.WriteFile(skipOnly, []byte(`{"Action":"skip","Package":"p","Test":"TestX"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		ci   bool
		want int
	}{
		{[]string{"cat", skipOnly}, false, 0},
		{[]string{"cat", skipOnly}, true, 1},
		{[]string{"sh", "-c", "exit 3"}, false, 3},
		{[]string{"no-such-command-testsum"}, false, 1},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		if got := run(tt.args, &out, &out, tt.ci); got != tt.want {
			t.Errorf("run(%q, ci=%t) = %d, want %d\n%s", tt.args, tt.ci, got, tt.want, out.String())
		}
	}
}
