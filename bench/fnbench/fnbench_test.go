package fnbench

import (
	"os"
	"path/filepath"
	"testing"
)

// Benchmarks only run with -bench; `go test ./...` runs TestInputsRender,
// which checks the inputs are accepted and times nothing.

func docsExample(tb testing.TB) []byte {
	b, err := os.ReadFile(filepath.Join("..", "..", DocsExample))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestInputsRender(t *testing.T) {
	for name, yaml := range map[string][]byte{"docs-example": docsExample(t), "large-small": Large(2, 3)} {
		objs, err := Parse(yaml)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		n, err := Render(objs)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n == 0 {
			t.Fatalf("%s: nothing rendered", name)
		}
	}
}

func benchmarkRender(b *testing.B, yaml []byte) {
	objs, err := Parse(yaml)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(objs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderDocsExample(b *testing.B) { benchmarkRender(b, docsExample(b)) }

func BenchmarkRenderTenSpecs254VIPs1000Nodes(b *testing.B) { benchmarkRender(b, Large(10, 1000)) }
